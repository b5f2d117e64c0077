import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeskLayout, homeWindow, placeOnDisplays } from '../../shared/domain/desk-layout';
import { demoConfig } from '../fakes/fixtures';
import { isDeskWindowUrl } from '../../main/hosts/electron/window-security';

const left = { x: 0, y: 0, width: 1920, height: 1080 };
const right = { x: 1920, y: 0, width: 2560, height: 1440 };

describe('a saved desk, put back on the displays there are', () => {
  it('keeps a window where it was when its display is still there', () => {
    expect(placeOnDisplays({ x: 2000, y: 100, width: 1600, height: 900 }, [left, right])).toEqual({ x: 2000, y: 100, width: 1600, height: 900 });
  });

  it('brings a window from a display that is gone onto the first one, shrunk to fit', () => {
    expect(placeOnDisplays({ x: 2000, y: 100, width: 2400, height: 1300 }, [left])).toEqual({ x: 0, y: 0, width: 1920, height: 1080 });
  });

  it('pulls a window hanging off a display edge back onto it', () => {
    expect(placeOnDisplays({ x: 1500, y: -50, width: 800, height: 600 }, [left, right])).toEqual({ x: 1120, y: 0, width: 800, height: 600 });
  });

  it('refuses a layout that is not one: an unknown role, a window too small to use', () => {
    expect(DeskLayout.safeParse({ windows: [{ role: 'admin', bounds: { x: 0, y: 0, width: 800, height: 600 } }] }).success).toBe(false);
    expect(DeskLayout.safeParse({ windows: [{ role: 'resources', bounds: { x: 0, y: 0, width: 10, height: 600 } }] }).success).toBe(false);
  });
});

describe('the one window a console window may open (Electron host)', () => {
  it('is another role of its own desk, from the app origin', () => {
    expect(isDeskWindowUrl('app://cordon/index.html?role=resources')).toBe(true);
    expect(isDeskWindowUrl('app://cordon/index.html?role=admin')).toBe(false);
    expect(isDeskWindowUrl('https://example.com/index.html?role=resources')).toBe(false);
    expect(isDeskWindowUrl('app://cordon/other.html?role=resources')).toBe(false);
  });
});

describe('the window an operator lands on with no saved desk', () => {
  it('is their first role’s: Call taking for a call handler, Incidents for a dispatcher, Supervisor for a supervisor', () => {
    expect(homeWindow(['call_handler'])).toBe('calltaking');
    expect(homeWindow(['call_handler', 'dispatcher'])).toBe('calltaking');
    expect(homeWindow(['dispatcher', 'call_handler'])).toBe('incidents');
    expect(homeWindow(['supervisor', 'dispatcher', 'call_handler'])).toBe('supervisor');
    expect(homeWindow(['trainer'])).toBe('incidents');
    expect(homeWindow([])).toBe('incidents');
  });
});

describe('the demonstration force’s sign-in screen', () => {
  it('lists exactly the accounts the demonstration operators file has, with their roles', () => {
    const file = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'assets', 'force', 'demo-operators.json'), 'utf8')) as { operators: { name: string; roles: string[]; password: string }[] };
    expect(demoConfig.demonstration?.accounts).toEqual(file.operators.map((o) => ({ name: o.name, roles: o.roles })));
    expect(new Set(file.operators.map((o) => o.password))).toEqual(new Set([demoConfig.demonstration?.password]));
  });
});

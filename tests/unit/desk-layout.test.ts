import { describe, expect, it } from 'vitest';
import { DeskLayout, placeOnDisplays } from '../../shared/domain/desk-layout';
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

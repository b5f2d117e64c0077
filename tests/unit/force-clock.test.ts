import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { parseConsoleOptions } from '../../launch/console-options';
import { consoleNow, readCoreClock } from '../../renderer/app/console-clock';
import { ManualClock } from '../../shared/domain/time';
import { demoConfig } from '../fakes/fixtures';
import { rememberSignIn } from '../fakes/access';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { makeTempDir } from '../fakes/temp-dir';

const root = join(import.meta.dirname, '..', '..');

describe('the console core keeps the time: its clock and the force’s zone', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let core: ConsoleCore;
  let clock: ManualClock;

  beforeEach(async () => {
    dir = makeTempDir();
    // 00:20 BST on 16 July 2026, whatever this machine's clock and zone say.
    clock = new ManualClock(Date.parse('2026-07-15T23:20:00Z'));
    core = createConsoleCore({ dataDir: join(dir.path, 'ws'), workstation: 'WS-T', enrolmentKey: null, serverUrl: 'http://127.0.0.1:9', config: demoConfig, host: 'browser', clock, log: pino({ level: 'error' }), scheduler: new ManualScheduler() });
    await rememberSignIn(core.store, 'bob', 'demo', ['dispatcher']);
  });
  afterEach(() => {
    core.stop();
    dir.remove();
  });

  const reply = (channel: string, request: unknown) => core.dispatch(channel, request);

  it('tells a window its time, so the window counts durations from it rather than its own machine’s clock', async () => {
    expect(await reply('clock.now', {})).toEqual({ ok: true, value: { now: '2026-07-15T23:20:00.000Z' } });
  });

  it('places a typed time by its own clock, in the force’s zone, and refuses one that does not exist or comes twice', async () => {
    await reply('session.signIn', { operator: 'bob', password: 'demo' });
    expect(await reply('clock.nextTime', { text: '00:50' })).toEqual({ ok: true, value: { at: '2026-07-15T23:50:00.000Z' } });

    clock.set(Date.parse('2026-10-25T00:20:00Z')); // 01:20 BST, before the clocks go back
    expect(await reply('clock.nextTime', { text: '01:50' })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^01:50 comes twice on 25 October 2026/) } });
    expect(await reply('clock.nextTime', { text: '01:50 GMT' })).toEqual({ ok: true, value: { at: '2026-10-25T01:50:00.000Z' } });

    clock.set(Date.parse('2026-03-29T00:10:00Z')); // 00:10 GMT, before the clocks go forward
    expect(await reply('clock.nextTime', { text: '01:30' })).toEqual({
      ok: false,
      error: { code: 'bad_request', message: '01:30 does not exist on 29 March 2026: the clocks go forward from 01:00 GMT to 02:00 BST' },
    });
  });
});

describe('a window reckons the core’s time from its own clock and the difference the core reported', () => {
  it('follows a core whose clock was moved (a test, an exercise) months away from the machine’s', async () => {
    const away = 150 * 86_400_000;
    await readCoreClock(async () => ({ now: new Date(Date.now() + away).toISOString() }));
    expect(Math.abs(consoleNow() - (Date.now() + away))).toBeLessThan(1000);
    await readCoreClock(async () => ({ now: new Date().toISOString() }));
    expect(Math.abs(consoleNow() - Date.now())).toBeLessThan(1000);
  });
});

describe('starting with the wrong time zone stops at once, saying why', () => {
  const server = (args: string[]) => spawnSync(process.execPath, [join(root, 'dist', 'node', 'server.mjs'), '--port', '0', ...args], { cwd: root, encoding: 'utf8', timeout: 15_000 });

  it('refuses a force configuration whose zone is not one, rather than refusing every incident later', () => {
    const dir = makeTempDir();
    try {
      const file = join(dir.path, 'force.json');
      writeFileSync(file, JSON.stringify({ ...demoConfig, force: { ...demoConfig.force, timeZone: 'Europe/Londn' } }));
      const said = `force configuration ${file} is not valid: force.timeZone: "Europe/Londn" is not a time zone: use an IANA name such as Europe/London\n`;
      // The reason alone, as the first and only thing said: a stack trace after it would bury it.
      const run = server(['--data', join(dir.path, 'central.sqlite'), '--force-config', file, '--enrolment-key', 'k']);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(said);
      const workstation = spawnSync(process.execPath, [join(root, 'dist', 'node', 'console.mjs'), '--data-dir', join(dir.path, 'ws'), '--force-config', file, '--no-open', '--shell', 'browser'], { cwd: root, encoding: 'utf8', timeout: 15_000 });
      expect(workstation.status).toBe(1);
      expect(workstation.stderr).toBe(said);
    } finally {
      dir.remove();
    }
  });

  it('says where the zone lives now when given the old --time-zone option', () => {
    const dir = makeTempDir();
    try {
      const run = server(['--data', join(dir.path, 'central.sqlite'), '--time-zone', 'Europe/Londn', '--enrolment-key', 'k']);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^--time-zone is no longer an option: the force's time zone is force\.timeZone in its configuration/);
    } finally {
      dir.remove();
    }
  });
});

describe('a call script that cannot be played stops the start in one line', () => {
  it('names the file and what is wrong with it, missing or not valid, with no stack trace after', () => {
    const dir = makeTempDir();
    try {
      const start = (calls: string) =>
        spawnSync(process.execPath, [join(root, 'dist', 'node', 'console.mjs'), '--data-dir', join(dir.path, 'ws'), '--calls', calls, '--no-open', '--shell', 'browser'], { cwd: root, encoding: 'utf8', timeout: 15_000 });
      const missing = start(join(dir.path, 'nowhere.json'));
      expect(missing.status).toBe(1);
      expect(missing.stderr).toMatch(new RegExp(`^cannot read call script ${join(dir.path, 'nowhere.json')}: ENOENT[^\n]*\n$`));
      const wrong = join(dir.path, 'calls.json');
      writeFileSync(wrong, JSON.stringify({ calls: 'many' }));
      const invalid = start(wrong);
      expect(invalid.status).toBe(1);
      expect(invalid.stderr).toMatch(new RegExp(`^call script ${wrong} is not valid: [^\n]*\n$`));
    } finally {
      dir.remove();
    }
  });
});

describe('--clock-start, for tests and exercises', () => {
  it('takes an instant with its offset, and refuses a bare local time that the machine’s zone would decide', () => {
    expect(parseConsoleOptions(['--clock-start', '2026-07-15T13:00:00Z'])).toMatchObject({ clockStart: Date.parse('2026-07-15T13:00:00Z') });
    expect(parseConsoleOptions(['--clock-start', '2026-07-15T14:00:00+01:00'])).toMatchObject({ clockStart: Date.parse('2026-07-15T13:00:00Z') });
    expect(parseConsoleOptions([])).toMatchObject({ clockStart: null });
    expect(() => parseConsoleOptions(['--clock-start', '2026-07-15T14:00'])).toThrow('--clock-start must be an instant with its offset, such as 2026-07-15T13:00:00Z, not "2026-07-15T14:00"');
  });
});

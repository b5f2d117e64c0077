import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/domain/time';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { demoConfig } from '../fakes/fixtures';
import { makeTempDir } from '../fakes/temp-dir';

let dir: ReturnType<typeof makeTempDir>;
let core: ConsoleCore;
let lines: { level: number; part?: string; problem?: string; msg: string }[];

beforeEach(() => {
  dir = makeTempDir();
  lines = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  core = createConsoleCore({
    dataDir: join(dir.path, 'data'),
    workstation: 'WS-A',
    enrolmentKey: 'unused',
    serverUrl: 'http://127.0.0.1:9', // offline: reporting a fault needs nothing from the server
    config: demoConfig,
    host: 'browser',
    clock: systemClock,
    log,
  });
});

afterEach(() => {
  core.stop();
  dir.remove();
});

const report = async (part: string, problem: string) => {
  const reply = await core.dispatch('desk.reportFault', { part, problem });
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as { first: boolean };
};

describe('a part of a window that cannot work', () => {
  it('is logged once for the workstation, however many windows report it and however often', async () => {
    // Three windows with a map, one reloaded: four reports, before anyone has signed in.
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await report('map', 'WebGL is not available in this browser'));
    expect(answers.map((a) => a.first)).toEqual([true, false, false, false]);
    const logged = lines.filter((l) => l.part === 'map');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 40, problem: 'WebGL is not available in this browser' });
    expect(logged[0]!.msg).toContain('map unavailable');
  });

  it('logs each different fault once, and no more than a bounded number in a run', async () => {
    expect((await report('call form', 'x is undefined')).first).toBe(true);
    expect((await report('map', 'x is undefined')).first).toBe(true);
    for (let i = 0; i < 200; i++) await report('incident detail', `failure ${i}`);
    expect(lines.filter((l) => l.part).length).toBe(100);
  });

  it('refuses a report with line breaks or nothing in it', async () => {
    expect((await core.dispatch('desk.reportFault', { part: 'map', problem: 'one\ntwo' })).ok).toBe(false);
    expect((await core.dispatch('desk.reportFault', { part: '', problem: 'x' })).ok).toBe(false);
  });
});

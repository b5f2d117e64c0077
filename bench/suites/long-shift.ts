import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { WAL_SIZE_LIMIT_BYTES, walBytes } from '../../node-common/wal-upkeep';
import { HttpServerLink } from '../../main/sync/server-link';
import { loadForceConfig } from '../../node-common/force-config-file';
import type { Reply } from '../../shared/contract/errors';
import { unverifiedLocation } from '../../shared/domain/location';
import { systemClock } from '../../shared/domain/time';
import { judged, percentile, type BenchFigure, type BenchSuite } from '../bench-types';
import { BENCH_ENROLMENT_KEY, BENCH_OPERATOR } from '../support/bench-access';
import { makeBenchDir } from '../support/bench-dir';
import { startCentralServerProcess, type RunningChild } from '../support/child-process';
import { round } from '../support/cpu-time';
import { SwitchableLink } from '../support/switchable-link';

const SUITE = 'long-shift';
const SHIFT_HOURS = 12;
/**
 * Commands one workstation confirms in the shift: 800 an hour, one every 4.5 s. The visibility suite's busy room
 * averages about 250 per workstation per shift; this is a busy dispatch position at thirty times that, the stress
 * the write-ahead log must survive, not a typical desk.
 */
const COMMANDS = 9600;
/** Commands per second of wall-clock time: the shift compressed about 400 times. */
const RATE_PER_SECOND = 80;
/**
 * Another program reads the file for most of the shift: an inspection tool or a slow backup holding one read
 * transaction for 30 minutes at a time and letting go for a minute between, from the first hour to the eleventh
 * (81% of the shift). While it holds its snapshot, every page written since must stay in the log.
 */
const READER = { fromMinute: 60, untilMinute: 660, holdMinutes: 30, gapMinutes: 1 };
/** The network is down for three hours in the middle: the outbox grows, then drains. */
const OUTAGE = { fromMinute: 240, untilMinute: 420 };
/**
 * The largest log allowed at any time: eight times its steady size. A reader holding a snapshot keeps every page
 * written since, so the log grows by what 30 minutes of work writes (400 commands with the sync client's pulls, at
 * 50 to 80 KB each) and must not grow beyond that: it must go back to its limit in each minute the reader lets go.
 */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;
/** p95 of a confirmed action in the first hour: within the 100 ms the desk's keyboard latency is held to. */
const START_P95_LIMIT_MS = 100;
/** The last hour's p95 may be at most this many times the first's: a shift's data must not slow the desk. */
const END_P95_RATIO = 2;

interface Sample {
  minute: number;
  ms: number;
  walBytes: number;
}

/**
 * A 12-hour shift of one workstation, compressed: the real console core on its SQLite file (WAL, synchronous=FULL)
 * confirming a busy position's commands (incidents opened, logged, corrected and closed; the call form's draft saved
 * as it is typed) with the real central server in its own process, through a three-hour network outage, while
 * another connection holds a read open for most of the shift. Reports the write-ahead log and database file sizes
 * and the command latency hour by hour.
 */
export const longShiftSuite: BenchSuite = {
  name: SUITE,
  description: `a 12-hour shift of one workstation (${COMMANDS.toLocaleString('en-GB')} commands, 3 hours offline, a reader held open 81% of it): file sizes and command latency over time`,
  async run() {
    const dir = makeBenchDir(SUITE);
    const config = loadForceConfig();
    let server: (RunningChild & { url: string }) | null = null;
    let core: ConsoleCore | null = null;
    let reader: Database.Database | null = null;
    try {
      server = await startCentralServerProcess(join(dir.path, 'central.sqlite'));
      const dataDir = join(dir.path, 'workstation');
      const file = join(dataDir, 'workstation.sqlite');
      let opened: ConsoleCore | null = null;
      const link = new SwitchableLink(
        new HttpServerLink({
          baseUrl: server.url,
          device: {
            get clientId() {
              return opened!.store.clientId;
            },
            workstation: 'WS-SHIFT',
            // The default server serves two forces: an enrolment must say which (as the console core's own link does).
            force: config.force.code,
            token: () => opened!.store.meta.get('device_token') || null,
            saveToken: (token) => opened!.store.transaction(() => opened!.store.meta.set('device_token', token ?? '')),
            enrolmentKey: BENCH_ENROLMENT_KEY,
          },
        }),
      );
      core = opened = createConsoleCore({
        dataDir,
        workstation: 'WS-SHIFT',
        enrolmentKey: BENCH_ENROLMENT_KEY,
        serverUrl: server.url,
        config,
        host: 'browser',
        clock: systemClock,
        log: pino({ level: 'silent' }),
        link,
      });
      core.start();
      await value(core, 'session.signIn', BENCH_OPERATOR);

      const operator = new BusyPosition(core);
      const samples: Sample[] = [];
      let readerHeld = false;
      let readerSpells = 0;
      const started = performance.now();
      for (let i = 0; i < COMMANDS; i += 1) {
        const minute = (i * SHIFT_HOURS * 60) / COMMANDS;
        // The other program and the network, as the shift's clock says they are.
        const wantReader = minute >= READER.fromMinute && minute < READER.untilMinute && (minute - READER.fromMinute) % (READER.holdMinutes + READER.gapMinutes) < READER.holdMinutes;
        if (wantReader && !readerHeld) {
          reader ??= new Database(file, { readonly: true });
          reader.exec('BEGIN');
          reader.prepare('SELECT count(*) FROM outbox').get(); // the snapshot is taken at the first read
          readerHeld = true;
          readerSpells += 1;
        } else if (!wantReader && readerHeld) {
          reader!.exec('COMMIT');
          readerHeld = false;
        }
        const linkUp = minute < OUTAGE.fromMinute || minute >= OUTAGE.untilMinute;
        if (linkUp && !link.up) core.sync.kick(); // as the live channel coming back would
        link.up = linkUp;

        const due = started + (i * 1000) / RATE_PER_SECOND;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const before = performance.now();
        await operator.next();
        samples.push({ minute, ms: performance.now() - before, walBytes: walBytes(file) });
      }
      const wallSeconds = (performance.now() - started) / 1000;
      reader?.close();
      reader = null;
      const walAtEnd = walBytes(file);
      const dbAtEnd = statSync(file).size;
      await until(() => core!.store.outbox.pendingCount() === 0, 60_000);
      const serverProblems = server.problems();

      const hours = Array.from({ length: SHIFT_HOURS }, (_, h) => samples.filter((s) => s.minute >= h * 60 && s.minute < (h + 1) * 60));
      const p95 = (list: Sample[]) => percentile(list.map((s) => s.ms), 95);
      const first = hours[0]!;
      const last = hours.at(-1)!;
      const walMax = Math.max(...samples.map((s) => s.walBytes));
      const mib = (bytes: number) => round(bytes / 1024 / 1024, 1);
      const detail = {
        shift: `${SHIFT_HOURS} hours compressed into ${round(wallSeconds, 0)} s: ${COMMANDS} commands at ${RATE_PER_SECOND}/s of wall-clock time (${COMMANDS / SHIFT_HOURS} per shift hour)`,
        mix: 'per incident: incidents.create, 3 × drafts.save (the call form, ~1 KB), 6 × incidents.addLog, incidents.update, incidents.close',
        reader: `a second connection (read-only) holding one read transaction for ${READER.holdMinutes} shift minutes, letting go for ${READER.gapMinutes}, from hour ${READER.fromMinute / 60} to hour ${READER.untilMinute / 60} (${readerSpells} spells)`,
        outage: `the link down from hour ${OUTAGE.fromMinute / 60} to hour ${OUTAGE.untilMinute / 60}`,
        latency: 'core.dispatch() of each command, from the call to its reply: validation, rules, the view and the outbox row in one transaction, synchronous=FULL, the events to the windows',
        hours: hours.map((list, h) => ({
          hour: h + 1,
          commands: list.length,
          p50Ms: round(percentile(list.map((s) => s.ms), 50), 1),
          p95Ms: round(p95(list), 1),
          maxMs: round(Math.max(...list.map((s) => s.ms)), 1),
          walMaxMiB: mib(Math.max(...list.map((s) => s.walBytes))),
          walEndMiB: mib(list.at(-1)!.walBytes),
        })),
        walAtEndMiB: mib(walAtEnd),
        databaseAtEndMiB: mib(dbAtEnd),
        walSizeLimitMiB: mib(WAL_SIZE_LIMIT_BYTES),
        outboxDrainedAfterShift: true,
        serverWarningsOrErrors: serverProblems.length,
        fileSystem: dir.fileSystem,
      };
      const figures: BenchFigure[] = [
        judged({ suite: SUITE, name: 'largest write-ahead log at any time in the shift', value: mib(walMax), unit: 'MiB', limit: { value: mib(WAL_LIMIT_BYTES), unit: 'MiB', better: 'lower' }, detail }),
        judged({
          suite: SUITE,
          name: 'write-ahead log at the end of the shift, an hour after the reader let go',
          value: mib(walAtEnd),
          unit: 'MiB',
          limit: { value: mib(WAL_SIZE_LIMIT_BYTES), unit: 'MiB', better: 'lower' },
          detail: { databaseAtEndMiB: mib(dbAtEnd) },
        }),
        judged({ suite: SUITE, name: 'p95 command latency in the first hour of the shift', value: round(p95(first), 1), unit: 'ms', limit: { value: START_P95_LIMIT_MS, unit: 'ms', better: 'lower' } }),
        judged({
          suite: SUITE,
          name: 'p95 command latency in the last hour of the shift',
          value: round(p95(last), 1),
          unit: 'ms',
          limit: { value: round(p95(first) * END_P95_RATIO, 1), unit: 'ms', better: 'lower' },
          peer: { name: 'p95 in the first hour of the same shift', value: round(p95(first), 1), unit: 'ms' },
        }),
      ];
      return figures;
    } finally {
      reader?.close();
      core?.stop();
      await server?.stop();
      dir.remove();
    }
  },
};

/**
 * A busy dispatch position's work, one command per call of next(): each incident opened, its call form's draft saved
 * as it is typed, logged, corrected and closed.
 */
class BusyPosition {
  private step = 0;
  private incidentId = '';
  private count = 0;

  constructor(private readonly core: ConsoleCore) {}

  async next(): Promise<void> {
    const step = this.step;
    this.step = (this.step + 1) % 12;
    switch (step) {
      case 0: {
        this.count += 1;
        const created = await value<{ incident: { id: string } }>(this.core, 'incidents.create', {
          type: ['BURGLARY', 'ASSAULT', 'CONCERN', 'RTC', 'THEFT'][this.count % 5],
          location: unverifiedLocation(`${1 + (this.count % 200)} High Street`),
          grade: '2',
          firstLog: 'Caller reports the incident; details being taken',
        });
        this.incidentId = created.incident.id;
        return;
      }
      case 1:
      case 4:
      case 8:
        await value(this.core, 'drafts.save', { key: 'call-form', data: { incident: this.incidentId, account: `Caller says ${'they heard shouting and glass breaking next door, '.repeat(16)}`, step } });
        return;
      case 6:
        await value(this.core, 'incidents.update', { incidentId: this.incidentId, fields: { description: `Two men seen leaving in a dark estate car, heading north (update ${this.count})` } });
        return;
      case 11: {
        const { incident } = await value<{ incident: { version: number } }>(this.core, 'incidents.get', { id: this.incidentId });
        await value(this.core, 'incidents.close', { incidentId: this.incidentId, closingCode: 'ADVICE', incidentVersion: incident.version });
        return;
      }
      default:
        await value(this.core, 'incidents.addLog', { incidentId: this.incidentId, text: `Unit updates: area searched, nothing further at this time (${step})` });
    }
  }
}

async function value<T = unknown>(core: ConsoleCore, channel: string, request: unknown): Promise<T> {
  const reply: Reply = await core.dispatch(channel, request);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as T;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`the outbox was not drained ${timeoutMs} ms after the shift`);
    await sleep(50);
  }
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { hashPassword } from '../../node-common/passwords';
import type { ServerRules } from '../../server/commands/plan-command';
import { registerForceUnits } from '../../server/commands/system-commands';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { IncidentView } from '../../shared/contract/views';
import { ExerciseClock } from '../../shared/domain/exercise-clock';
import { unverifiedLocation } from '../../shared/domain/location';
import { ManualClock } from '../../shared/domain/time';
import { ExerciseOutages } from '../../shared/training/exercise-outages';
import { ExerciseRoom } from '../../shared/training/exercise-room';
import { registerTestOperators } from '../fakes/access';
import { call, demoConfig, eventually, silentLog } from '../fakes/fixtures';
import { makeTempDir } from '../fakes/temp-dir';

const START = Date.parse('2026-12-04T22:30:00.000Z');
const MINUTE = 60_000;

/**
 * The try-out's case: an exercise at 8× with the system down ("CAD down"), the trainer pausing while the trainee's
 * desk cannot hear the training server. A real trainee's console core and a real training server; the real time both
 * exercise clocks run on is a manual clock the test moves, so "the same time" is exact.
 */
describe('a trainee’s desk cut off while the trainer pauses', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let server: CentralServer;
  let core: ConsoleCore;
  const real = new ManualClock(Date.parse('2026-11-30T10:00:00.000Z'));
  let trainer: ExerciseClock;
  let trainee: ExerciseClock;
  let outages: ExerciseOutages;
  let room: ExerciseRoom;

  beforeEach(async () => {
    dir = makeTempDir();
    trainer = new ExerciseClock(START, real);
    outages = new ExerciseOutages('trainer');
    room = new ExerciseRoom('trainer');
    const storage = SqliteStorage.open(':memory:');
    const rules: ServerRules = { config: demoConfig, now: () => trainer.now(), training: true };
    await registerForceUnits(storage, rules);
    await registerTestOperators(storage, rules, ['bob'], ['call_handler', 'dispatcher']);
    await storage.setCredential('bob', await hashPassword('shift-pw'));
    server = await startCentralServer({ storage, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: 'exercise-code', training: { clock: trainer, outages, room } });
    trainee = new ExerciseClock(START, real);
    core = createConsoleCore({
      dataDir: dir.path,
      workstation: 'trainee-1',
      serverUrl: server.url,
      enrolmentKey: 'exercise-code',
      config: demoConfig,
      host: 'browser',
      clock: trainee,
      log: silentLog,
      exercise: { desk: 'trainee', clock: trainee, title: 'Test' },
    });
    core.start();
  });
  afterEach(async () => {
    core.stop();
    await server.close();
    dir.remove();
  });

  const status = () => call<{ confirmed: boolean; clock: { running: boolean } }>(core, 'exercise.status', {});

  it('comes back to the trainer’s time, paused as the trainer is, and its work is taken at the exercise’s time', async () => {
    trainer.start();
    trainer.setSpeed(8);
    await eventually(() => trainee.hearsServer() && trainee.state().speed === 8, 'the trainee hears the exercise running at 8×', 10_000);
    await call(core, 'session.signIn', { operator: 'bob', password: 'shift-pw' });
    real.advance(MINUTE);
    expect(trainee.now()).toBe(trainer.now());

    // CAD down for two exercise minutes; the trainee's desk loses the server and says its time is not confirmed.
    outages.takeSystemDown(trainer.now() + 2 * MINUTE);
    await eventually(() => !trainee.hearsServer(), 'the trainee’s desk no longer hears the server', 10_000);
    expect(await status()).toMatchObject({ confirmed: false, clock: { running: true } });

    // The trainer pauses for a minute of real time; the trainee's desk cannot hear it and runs on at 8×.
    trainer.pause();
    real.advance(MINUTE);
    expect(trainee.now() - trainer.now()).toBe(8 * MINUTE);
    // What the trainee does meanwhile is kept at its desk, with the desk's time, until the server takes it.
    const { incident } = await call<{ incident: IncidentView }>(core, 'incidents.create', { type: 'ASSAULT', location: unverifiedLocation('12 High Street'), grade: '1', firstLog: 'A fight' });
    trainer.resume();
    // The system comes back once the exercise passes the outage's end.
    real.advance(20_000);
    await eventually(() => trainee.hearsServer(), 'the trainee’s desk hears the server again', 15_000);
    expect(trainee.now()).toBe(trainer.now());
    expect(await status()).toMatchObject({ confirmed: true, clock: { running: true } });

    // Another pause, heard: both stand at the same time.
    trainer.pause();
    await eventually(() => !trainee.state().running, 'the trainee hears the pause', 10_000);
    real.advance(MINUTE);
    expect(trainee.now()).toBe(trainer.now());

    // The incident raised while the desk was ahead is the exercise's at the time the server took it, never later.
    core.sync.kick();
    await core.sync.settled();
    await eventually(() => core.store.outbox.pending().length === 0, 'the trainee’s outbox is sent', 10_000);
    const created = Date.parse(core.store.view.get('incident', incident.id)!.createdAt);
    expect(created).toBeLessThanOrEqual(trainer.now());
    const doing = room.trainees({ liveContacts: [], incident: () => null })[0]!.doing;
    expect('since' in doing && doing.since !== null ? Date.parse(doing.since) : 0).toBeLessThanOrEqual(trainer.now());
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { hashPassword } from '../../node-common/passwords';
import type { ServerRules } from '../../server/commands/plan-command';
import { registerForceUnits } from '../../server/commands/system-commands';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { IncidentView, RecommendationView } from '../../shared/contract/views';
import { displayReference } from '../../shared/domain/incident';
import { ExerciseClock } from '../../shared/domain/exercise-clock';
import { unverifiedLocation } from '../../shared/domain/location';
import { systemClock } from '../../shared/domain/time';
import { ExerciseRoom } from '../../shared/training/exercise-room';
import { registerTestOperators } from '../fakes/access';
import { call, demoConfig, silentLog } from '../fakes/fixtures';
import { makeTempDir } from '../fakes/temp-dir';

const START = Date.parse('2026-12-04T22:30:00.000Z');

/**
 * What a trainee does reaches the trainer's desk through the training server: a real trainee's console core pushes
 * its commands over HTTP to a real training server, whose room says what the trainee is doing from what it applied.
 */
describe('a trainee’s activity, as the training server sees it', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let server: CentralServer;
  let core: ConsoleCore;
  const room = new ExerciseRoom('trainer');

  beforeEach(async () => {
    dir = makeTempDir();
    const clock = new ExerciseClock(START, systemClock);
    clock.start();
    const storage = SqliteStorage.open(':memory:');
    const rules: ServerRules = { config: demoConfig, now: () => clock.now(), training: true };
    await registerForceUnits(storage, rules);
    await registerTestOperators(storage, rules, ['bob'], ['dispatcher']);
    await storage.setCredential('bob', await hashPassword('shift-pw'));
    server = await startCentralServer({ storage, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: 'exercise-code', training: { clock, room } });
    const traineeClock = new ExerciseClock(START, systemClock);
    core = createConsoleCore({
      dataDir: dir.path,
      workstation: 'trainee-1',
      serverUrl: server.url,
      enrolmentKey: 'exercise-code',
      config: demoConfig,
      host: 'browser',
      clock: traineeClock,
      log: silentLog,
      exercise: { desk: 'trainee', clock: traineeClock, title: 'Test' },
    });
    core.start();
  });
  afterEach(async () => {
    core.stop();
    await server.close();
    dir.remove();
  });

  async function synced(): Promise<void> {
    core.sync.kick();
    await core.sync.settled();
    expect(core.store.outbox.pending()).toEqual([]);
  }
  /** The trainee as the room has them, named by the records of the trainee's own store (the trainer's holds the same). */
  const trainee = () =>
    room.trainees({
      liveContacts: core.store.view.liveContacts(),
      incident: (id) => {
        const incident = core.store.view.get('incident', id);
        return incident ? { reference: displayReference(incident), open: incident.status === 'open' } : null;
      },
    })[0];

  it('dispatching an incident with the unit sent, then signed out', async () => {
    await call(core, 'session.signIn', { operator: 'bob', password: 'shift-pw' });
    await synced();
    expect(trainee()).toMatchObject({ workstation: 'trainee-1', operator: 'bob', roles: ['dispatcher'], doing: { kind: 'idle' } });

    await call(core, 'units.setDuty', { unitId: 'DM-11', duty: 'on_duty', unitVersion: core.store.view.get('unit', 'DM-11')!.version, until: new Date(START + 4 * 3_600_000).toISOString() });
    const { incident } = await call<{ incident: IncidentView }>(core, 'incidents.create', { type: 'ASSAULT', location: unverifiedLocation('12 High Street'), grade: '1', firstLog: 'A fight' });
    const proposed = await call<RecommendationView>(core, 'units.recommend', { incidentId: incident.id });
    expect(proposed.proposals.map((p) => p.callSign)).toContain('DM-11');
    await call(core, 'units.assign', { unitId: 'DM-11', incidentId: incident.id, unitVersion: core.store.view.get('unit', 'DM-11')!.version });
    await synced();
    const reference = displayReference(core.store.view.get('incident', incident.id)!);
    expect(reference).toMatch(/^TRN-/);
    expect(trainee()!.doing).toMatchObject({ kind: 'dispatching', incident: reference, units: ['DM-11'] });

    await call(core, 'session.signOut', {});
    await synced();
    expect(trainee()).toMatchObject({ operator: null, doing: { kind: 'signed_out' } });
  });
});

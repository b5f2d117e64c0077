import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import type { TelephonyAdapter, TelephonyEvent } from '../../main/adapters/telephony/telephony-adapter';
import { hashPassword } from '../../node-common/passwords';
import type { ServerRules } from '../../server/commands/plan-command';
import { registerForceUnits } from '../../server/commands/system-commands';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { answeredHere } from '../../shared/domain/contact';
import { derivedId } from '../../shared/domain/derived-id';
import { ExerciseClock } from '../../shared/domain/exercise-clock';
import { systemClock } from '../../shared/domain/time';
import { ExerciseRoom } from '../../shared/training/exercise-room';
import { registerTestOperators } from '../fakes/access';
import { call, demoConfig, eventually, silentLog } from '../fakes/fixtures';
import { makeTempDir } from '../fakes/temp-dir';

const START = Date.parse('2026-12-04T22:30:00.000Z');
const CODE = 'exercise-code';

/** The trainer's telephony: rings a call when the test says, as the exercise's runner does on the trainer's workstation. */
class TrainerSwitch implements TelephonyAdapter {
  private listener: ((event: TelephonyEvent) => void) | null = null;
  /** What the switch was told of answers at other workstations: the call and where. */
  readonly elsewhere: [string, string][] = [];
  start(listener: (event: TelephonyEvent) => void): void {
    this.listener = listener;
  }
  answer(): void {}
  answeredElsewhere(callId: string, workstation: string): void {
    this.elsewhere.push([callId, workstation]);
  }
  stop(): void {
    this.listener = null;
  }
  ring(callId: string, callerNumber: string): void {
    this.listener?.({ type: 'ringing', callId, source: '999', callerNumber, at: new Date().toISOString() });
  }
}

/**
 * Exercise calls as trainees take them: a real training server, the trainer's console core playing the calls (so
 * every call is offered to the trainer's workstation) and trainees' cores, all over HTTP. carol is signed in at two
 * trainee workstations, as a trainee trying both desks may be.
 */
describe('exercise calls on the trainees’ desks', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  const cores: ConsoleCore[] = [];
  let server: CentralServer;
  let room: ExerciseRoom;
  let telephony: TrainerSwitch;

  function desk(workstation: string, options: { telephony?: TelephonyAdapter } = {}): ConsoleCore {
    const dir = makeTempDir();
    dirs.push(dir);
    const clock = new ExerciseClock(START, systemClock);
    const core = createConsoleCore({
      dataDir: dir.path,
      workstation,
      serverUrl: server.url,
      enrolmentKey: CODE,
      config: demoConfig,
      host: 'browser',
      clock,
      log: silentLog,
      exercise: { desk: 'trainee', clock, title: 'Test' },
      ...options,
    });
    cores.push(core);
    core.start();
    return core;
  }
  async function synced(...desks: ConsoleCore[]): Promise<void> {
    for (const core of desks) {
      core.sync.kick();
      await core.sync.settled();
      expect(core.store.outbox.pending()).toEqual([]);
    }
  }

  beforeEach(async () => {
    const clock = new ExerciseClock(START, systemClock);
    clock.start();
    room = new ExerciseRoom('WS-TRAINER');
    telephony = new TrainerSwitch();
    const storage = SqliteStorage.open(':memory:');
    const rules: ServerRules = { config: demoConfig, now: () => clock.now(), training: true };
    await registerForceUnits(storage, rules);
    await registerTestOperators(storage, rules, ['tina', 'carol'], ['call_handler', 'supervisor']);
    for (const name of ['tina', 'carol']) await storage.setCredential(name, await hashPassword('shift-pw'));
    server = await startCentralServer({ storage, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: CODE, training: { clock, room } });
  });
  afterEach(async () => {
    for (const core of cores.splice(0)) core.stop();
    await server.close();
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('a call answered at a trainee’s workstation is that workstation’s, and the trainer sees it there, not at the same trainee’s other one', async () => {
    const trainer = desk('WS-TRAINER', { telephony });
    const first = desk('WS-T1');
    const second = desk('WS-T2');
    await call(trainer, 'session.signIn', { operator: 'tina', password: 'shift-pw' });
    await call(first, 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    await call(second, 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    await synced(trainer, first, second);

    telephony.ring('fight', '07700 900332');
    const contactId = derivedId(trainer.store.clientId, 'fight');
    await synced(trainer);
    await eventually(async () => (await synced(first), first.store.view.get('contact', contactId)?.state === 'ringing'), 'the call rings at WS-T1');
    await call(first, 'contacts.answer', { contactId });
    await synced(first);
    await eventually(async () => (await synced(second, trainer), [second, trainer].every((core) => core.store.view.get('contact', contactId)?.state === 'answered')), 'every desk has the answer');

    // Offered to the trainer's workstation (its telephony played it), answered and so taken at WS-T1, on every desk.
    for (const core of [first, second, trainer]) {
      const contact = core.store.view.get('contact', contactId)!;
      expect(contact).toMatchObject({ workstation: 'WS-TRAINER', answeredBy: 'carol', answeredAtWorkstation: 'WS-T1' });
      expect(answeredHere(contact, 'carol', 'WS-T1')).toBe(true);
      expect(answeredHere(contact, 'carol', 'WS-T2')).toBe(false);
    }
    // In the order they joined, which the two desks' starts race for.
    const trainees = new Map(room.trainees({ liveContacts: trainer.store.view.liveContacts(), incident: () => null }).map((t) => [t.workstation, t]));
    expect([...trainees.keys()].sort()).toEqual(['WS-T1', 'WS-T2']);
    expect(trainees.get('WS-T1')).toMatchObject({ operator: 'carol', doing: { kind: 'answering', call: '07700 900332' } });
    expect(trainees.get('WS-T2')).toMatchObject({ operator: 'carol', doing: { kind: 'idle' } });
    // The trainer's switch (the exercise's runner) is told, once, so it does not abandon a call a trainee is on.
    expect(telephony.elsewhere).toEqual([['fight', 'WS-T1']]);
  });

  it('refuses a second workstation joining under a name another has joined with, saying how to tell them apart; the first keeps its place', async () => {
    const first = desk('WS-T1');
    await call(first, 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    await synced(first);
    // A machine cloned from the same image: another data folder (another client id), the same name.
    const clone = desk('WS-T1');
    clone.sync.kick();
    await eventually(() => clone.sync.status().blocked !== null, 'the clone is refused');
    expect(clone.sync.status()).toMatchObject({ connection: 'blocked', blocked: { kind: 'name_taken' } });
    expect(clone.sync.status().blocked!.detail).toBe(
      "A workstation named WS-T1 has already joined this exercise (another machine, or another data folder): each trainee's workstation needs a name of its own. Start this one with --workstation NAME, a name no other workstation in the exercise has",
    );
    expect(room.trainees({ liveContacts: [], incident: () => null }).map((t) => [t.workstation, t.operator])).toEqual([['WS-T1', 'carol']]);
    // The first is still itself: it signs out and in again (its enrolment stands).
    await call(first, 'session.signOut', {});
    await call(first, 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    await synced(first);
    // Under a name of its own, the clone joins.
    const renamed = desk('WS-T3');
    await call(renamed, 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    await synced(renamed);
    expect(room.trainees({ liveContacts: [], incident: () => null }).map((t) => t.workstation)).toEqual(['WS-T1', 'WS-T3']);
  });
});

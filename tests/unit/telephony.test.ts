import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedTelephony, type CallScript } from '../../main/adapters/telephony/simulated-telephony';
import type { TelephonyEvent } from '../../main/adapters/telephony/telephony-adapter';
import type { ConsoleCore } from '../../main/core/console-core';
import { ManualClock } from '../../shared/domain/time';
import { call as callCore } from '../fakes/fixtures';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { makeTempDir } from '../fakes/temp-dir';
import { workstationAlone } from '../fakes/workstation-alone';
import { rememberSignIn } from '../fakes/access';

const script: CallScript = {
  calls: [
    { id: 'a', at: 2, source: '999', callerNumber: '07700 900101', handset: { point: { lat: 53.926, lon: 1.7515 }, accuracyM: 14, source: 'AML', after: 20 }, abandonAfter: 60 },
    { id: 'b', at: 5, source: '101', callerNumber: '07700 900202' },
    { id: 'c', at: 9, source: '999', callerNumber: '07700 900303', abandonAfter: 10 },
  ],
};

describe('the simulated telephony', () => {
  it('rings, locates and abandons on its clock, and stops the abandon once answered', () => {
    const scheduler = new ManualScheduler();
    const clock = new ManualClock(Date.parse('2026-11-29T10:00:00Z'));
    const telephony = new SimulatedTelephony(script, clock, scheduler);
    const heard: string[] = [];
    telephony.start((event: TelephonyEvent) => heard.push(`${event.type} ${event.callId}`));
    scheduler.advance(10_000);
    telephony.answer('a');
    scheduler.advance(100_000);
    expect(heard).toEqual(['ringing a', 'ringing b', 'ringing c', 'abandoned c', 'location a']);
  });
});

describe('calls at a workstation', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let core: ConsoleCore;
  let scheduler: ManualScheduler;
  let clock: ManualClock;

  beforeEach(async () => {
    dir = makeTempDir();
    scheduler = new ManualScheduler();
    clock = new ManualClock(Date.parse('2026-11-29T10:00:00Z'));
    core = workstationAlone(dir.path, { workstation: 'WS-C', clock, scheduler, telephony: new SimulatedTelephony(script, clock, scheduler) });
    await rememberSignIn(core.store, 'alice', 'demo', ['call_handler']);
    core.start();
  });
  afterEach(() => {
    core.stop();
    dir.remove();
  });

  const call = <T>(channel: string, request: unknown) => callCore<T>(core, channel, request);
  type Queue = { contacts: { id: string; source: string; state: string; callerNumber: string; handsetLocation: unknown }[] };

  it('are held while nobody is signed in, then queued with 999 first, answered, located and abandoned as they go', async () => {
    scheduler.advance(6_000);
    expect((await core.dispatch('contacts.queue', {})).ok).toBe(false); // nobody signed in: nothing shown
    await call('session.signIn', { operator: 'alice', password: 'demo' });
    let queue = await call<Queue>('contacts.queue', {});
    expect(queue.contacts.map((c) => `${c.source} ${c.state}`)).toEqual(['999 ringing', '101 ringing']);

    await call('contacts.answer', { contactId: queue.contacts[0]!.id });
    scheduler.advance(20_000); // AML for the call answered; call c rings and is abandoned
    queue = await call<Queue>('contacts.queue', {});
    expect(queue.contacts.map((c) => `${c.source} ${c.state}`)).toEqual(['999 answered', '101 ringing']);
    expect(queue.contacts[0]!.handsetLocation).toMatchObject({ source: 'AML', accuracyM: 14 });

    const { tasks } = await call<{ tasks: { callerNumber: string; reason: string }[] }>('tasks.list', {});
    expect(tasks).toEqual([expect.objectContaining({ callerNumber: '07700 900303', reason: '999 call abandoned before it was answered' })]);
  });
});

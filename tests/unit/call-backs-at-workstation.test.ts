import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedTelephony, type CallScript } from '../../main/adapters/telephony/simulated-telephony';
import type { ConsoleCore } from '../../main/core/console-core';
import type { ContactView, TaskView } from '../../shared/contract/views';
import { call as callCore } from '../fakes/fixtures';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { makeTempDir } from '../fakes/temp-dir';
import { workstationAlone } from '../fakes/workstation-alone';
import { rememberSignIn } from '../fakes/access';

// A carrier fault redials 999 from one number five times, each hung up before it is answered; a withheld number
// calls once and hangs up; then the first number rings again and a handler answers it; and a 101 call is answered
// and ended with no incident.
const script: CallScript = {
  calls: [
    ...[0, 1, 2, 3, 4].map((i) => ({ id: `storm-${i}`, at: 1 + i * 10, source: '999' as const, callerNumber: i % 2 ? '+44 7700 900606' : '07700 900606', abandonAfter: 5 })),
    { id: 'withheld', at: 60, source: '999', callerNumber: null, abandonAfter: 5 },
    { id: 'back', at: 80, source: '999', callerNumber: '07700 900606' },
    { id: 'advice', at: 90, source: '101', callerNumber: '07700 900202' },
  ],
};

let dir: ReturnType<typeof makeTempDir>;
let core: ConsoleCore;
let scheduler: ManualScheduler;

beforeEach(async () => {
  dir = makeTempDir();
  scheduler = new ManualScheduler();
  // The clock follows the timers, so each call is received at its own time.
  const start = Date.parse('2026-11-29T10:00:00Z');
  const clock = { now: () => start + scheduler.elapsedMs };
  core = workstationAlone(dir.path, { workstation: 'WS-C', clock, scheduler, telephony: new SimulatedTelephony(script, clock, scheduler) });
  await rememberSignIn(core.store, 'alice', 'demo', ['call_handler']);
  core.start();
  await call('session.signIn', { operator: 'alice', password: 'demo' });
});
afterEach(() => {
  core.stop();
  dir.remove();
});

const call = <T>(channel: string, request: unknown) => callCore<T>(core, channel, request);
const openTasks = async () => (await call<{ tasks: TaskView[] }>('tasks.list', {})).tasks;
const ringing = async (number: string) => (await call<{ contacts: ContactView[] }>('contacts.queue', {})).contacts.find((c) => c.state === 'ringing' && c.callerNumber === number)!;

describe('call-backs at a workstation', () => {
  it('makes one call-back of five abandoned calls from one number, one that cannot be rung back for a withheld number, and closes the first when the number rings in and is answered', async () => {
    scheduler.advance(70_000);
    const tasks = await openTasks();
    expect(tasks.map((t) => [t.kind, t.callerNumber, t.calls.length])).toEqual([
      ['call_back', '07700 900606', 5],
      ['no_call_back', null, 1],
    ]);
    expect(tasks[0]!.calls.map((c) => c.at)).toEqual(['10:00:01', '10:00:11', '10:00:21', '10:00:31', '10:00:41'].map((t) => `2026-11-29T${t}.000Z`));

    scheduler.advance(12_000);
    await call('contacts.answer', { contactId: (await ringing('07700 900606')).id });
    expect((await openTasks()).map((t) => t.kind)).toEqual(['no_call_back']);
    expect(core.store.view.get('task', tasks[0]!.id)).toMatchObject({ state: 'done', doneBy: 'alice', outcome: 'The number rang in again: 999 call answered by alice at 10:01:22' });
  });

  it('will not end an answered call without an incident unless it says how and why, and lists it for the supervisor until it does', async () => {
    scheduler.advance(91_000);
    const advice = await ringing('07700 900202');
    await call('contacts.answer', { contactId: advice.id });
    await expect(call('contacts.end', { contactId: advice.id, outcome: 'completed' })).rejects.toThrow('a call ended without an incident needs a disposal and a note of what was done');
    expect((await call<{ contacts: ContactView[] }>('contacts.unrecorded', {})).contacts.map((c) => c.id)).toContain(advice.id);

    await call('contacts.end', { contactId: advice.id, outcome: 'completed', disposal: { code: 'REFERRED', note: 'Noisy neighbours: referred to the council' } });
    expect((await call<{ contacts: ContactView[] }>('contacts.unrecorded', {})).contacts.map((c) => c.id)).not.toContain(advice.id);
    const { contacts } = await call<{ contacts: ContactView[] }>('contacts.disposed', { since: '2026-11-29T00:00:00.000Z' });
    expect(contacts).toEqual([expect.objectContaining({ id: advice.id, disposal: expect.objectContaining({ code: 'REFERRED', note: 'Noisy neighbours: referred to the council', by: 'alice' }) })]);
  });
});

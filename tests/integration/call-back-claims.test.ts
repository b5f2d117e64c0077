import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import { SimulatedTelephony, type CallScript } from '../../main/adapters/telephony/simulated-telephony';
import { realScheduler } from '../../node-common/scheduler';
import { systemClock } from '../../shared/domain/time';
import { callBackTaskId } from '../../shared/domain/call-backs';
import type { ConflictView, TaskView } from '../../shared/contract/views';
import { integrityCheck } from '../../node-common/sqlite';
import { call, demoConfig, eventually } from '../fakes/fixtures';
import { workstationsOnServer } from '../fakes/workstations-on-server';
import type { TcpProxy } from '../faults/chaos/tcp-proxy';

// Two call handlers at two workstations, one real server process. Abandoned 999 calls from two numbers ring at A
// (twice from the first); B reaches the server through a proxy the test can cut.
const FIRST = '07700 900606';
const SECOND = '07700 900707';
const script: CallScript = {
  calls: [
    { id: 'storm-1', at: 0, source: '999', callerNumber: FIRST, abandonAfter: 0.1 },
    { id: 'storm-2', at: 0.2, source: '999', callerNumber: FIRST, abandonAfter: 0.1 },
    { id: 'other', at: 0.4, source: '999', callerNumber: SECOND, abandonAfter: 0.1 },
  ],
};

const room = workstationsOnServer();
let proxy: TcpProxy;

function core(workstation: string, serverUrl: string, withCalls: boolean): ConsoleCore {
  return room.core(workstation, { serverUrl, ...(withCalls ? { telephony: new SimulatedTelephony(script, systemClock, realScheduler) } : {}) });
}

const taskOf = (number: string) => callBackTaskId(demoConfig.force.code, number, 'unused');
const taskAt = (c: ConsoleCore, number: string) => c.store.view.view('task', taskOf(number)) as TaskView | undefined;

beforeEach(async () => {
  proxy = await room.proxy();
});

describe('claiming a call-back across two workstations', () => {
  it('shows a claim made at one to the other at once, refuses the other’s claim, and makes a claim made offline that lost a conflict there', async () => {
    const a = core('WS-A', room.server.url, true);
    const b = core('WS-B', proxy.url, false);
    await call(a, 'session.signIn', { operator: 'alice', password: 'demo' });
    await call(b, 'session.signIn', { operator: 'dan', password: 'demo' });

    // Both see one task for the first number, with its two calls, and one for the second.
    await eventually(() => taskAt(b, FIRST)?.calls.length === 2 && taskAt(b, SECOND) !== undefined, 'B has both call-backs', 15_000);
    expect((await call<{ tasks: TaskView[] }>(b, 'tasks.list', {})).tasks.map((t) => t.callerNumber)).toEqual([FIRST, SECOND]);

    // Online: alice claims the first; dan sees it taken at once, and cannot claim it.
    const seenByBoth = taskAt(a, FIRST)!.version;
    await call(a, 'tasks.claim', { taskId: taskOf(FIRST), taskVersion: seenByBoth });
    await eventually(() => taskAt(b, FIRST)?.claim?.by === 'alice', 'B sees alice’s claim', 3_000);
    await expect(call(b, 'tasks.claim', { taskId: taskOf(FIRST), taskVersion: seenByBoth })).rejects.toThrow(/^alice has claimed this call-back \(until \d\d:\d\d\): leave it to them$/);

    // Offline: dan claims the second as he last saw it; meanwhile alice claims it online.
    const seen = taskAt(b, SECOND)!.version;
    proxy.cutAll();
    await eventually(() => b.sync.status().connection !== 'online', 'B sees the server go');
    await call(b, 'tasks.claim', { taskId: taskOf(SECOND), taskVersion: seen });
    expect(taskAt(b, SECOND)).toMatchObject({ claim: { by: 'dan' }, pending: true });
    await call(a, 'tasks.claim', { taskId: taskOf(SECOND), taskVersion: taskAt(a, SECOND)!.version });
    await eventually(() => taskAt(a, SECOND)?.pending === false, 'alice’s claim is on the server');

    // Back online: dan's claim lost; it waits in his conflict inbox with alice's side, and his view shows hers.
    proxy.heal();
    await eventually(async () => (await call<{ conflicts: ConflictView[] }>(b, 'conflicts.list', {})).conflicts.length === 1, 'B’s claim is a conflict', 20_000);
    const [lost] = (await call<{ conflicts: ConflictView[] }>(b, 'conflicts.list', {})).conflicts;
    expect(lost).toMatchObject({ commandName: 'task.claim', operator: 'dan', target: { kind: 'task', id: taskOf(SECOND) }, theirs: { claim: { by: 'alice' } } });
    expect(lost!.reason).toMatch(/^alice has claimed this call-back/);
    await eventually(() => taskAt(b, SECOND)?.claim?.by === 'alice' && taskAt(b, SECOND)?.pending === false, 'B shows alice’s claim');
    expect(taskAt(a, SECOND)?.claim?.by).toBe('alice');

    for (const c of [a, b]) expect(integrityCheck(c.store.db)).toBe('ok');
  }, 60_000);
});

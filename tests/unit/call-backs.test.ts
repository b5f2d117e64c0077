import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { callBackNumber, callBackTaskId, claimInForce } from '../../shared/domain/call-backs';
import type { ApplyResult } from '../../shared/commands/types';
import type { Task } from '../../shared/domain/contact';
import { RecordSet } from '../fakes/rules-harness';
import { demoConfig } from '../fakes/fixtures';

let state: RecordSet;
const FORCE = demoConfig.force.code;
const NUMBER = '07700 900303';
/** 10:00 on the test's day, plus minutes. */
const at = (minutes: number) => new Date(Date.parse('2026-11-29T10:00:00.000Z') + minutes * 60_000).toISOString();
const LAPSE = demoConfig.calls.callBacks.claimLapseMinutes;

beforeEach(() => {
  state = new RecordSet();
});

function must(result: ApplyResult): void {
  if (!result.ok) throw new Error(result.reason);
}

/** A 999 call from `number` that rings at `minute` and is abandoned a few seconds later; returns its contact id. */
function abandoned(number: string | null, minute: number): string {
  const contactId = randomUUID();
  must(state.run('contact.receive', { contactId, source: '999', callerNumber: number, receivedAt: at(minute), handsetLocation: null }, 'alice', at(minute)));
  must(state.run('contact.end', { contactId, outcome: 'abandoned', taskId: callBackTaskId(FORCE, number, contactId) }, 'alice', at(minute + 0.2)));
  return contactId;
}

const task = (id = callBackTaskId(FORCE, NUMBER, 'unused')): Task => state.get('task', id)!;
const tasks = () => [...state.records.values()].filter((r) => r.kind === 'task').map((r) => r.doc as Task);

describe('numbers that can be rung back', () => {
  it('reads one number however it was written, and none where the switch gave no number', () => {
    expect(callBackNumber('07700 900303')).toBe('07700900303');
    expect(callBackNumber('+44 7700 900303')).toBe('07700900303');
    for (const none of [null, '', '  ', 'Withheld', 'UNKNOWN', 'private', 'Anonymous', '12']) expect(callBackNumber(none)).toBeNull();
  });

  it('gives one task id per number in a force, and one per call where there is no number', () => {
    expect(callBackTaskId(FORCE, '07700 900303', randomUUID())).toBe(callBackTaskId(FORCE, '+447700900303', randomUUID()));
    expect(callBackTaskId(FORCE, '07700 900303', 'x')).not.toBe(callBackTaskId('OTHER', '07700 900303', 'x'));
    const a = randomUUID();
    const b = randomUUID();
    expect(callBackTaskId(FORCE, null, a)).not.toBe(callBackTaskId(FORCE, null, b));
  });
});

describe('call-backs grouped by number', () => {
  it('makes one task of five abandoned 999 calls from one number, listing every call and its time', () => {
    const calls = [0, 1, 2, 3, 4].map((minute) => abandoned(NUMBER, minute));
    expect(tasks()).toHaveLength(1);
    expect(task()).toMatchObject({
      kind: 'call_back',
      callerNumber: NUMBER,
      state: 'open',
      contactId: calls[0],
      calls: calls.map((contactId, minute) => ({ contactId, at: at(minute), outcome: 'abandoned' })),
    });
  });

  it('adds a silent 999 call from the number to its open task, and ending a call twice adds it once', () => {
    abandoned(NUMBER, 0);
    const silent = randomUUID();
    must(state.run('contact.receive', { contactId: silent, source: '999', callerNumber: '07700900303', receivedAt: at(2), handsetLocation: null }));
    must(state.run('contact.answer', { contactId: silent }));
    const end = { contactId: silent, outcome: 'silent', taskId: callBackTaskId(FORCE, '07700900303', silent) };
    must(state.run('contact.end', end, 'alice', at(3)));
    must(state.run('contact.end', end, 'alice', at(3)));
    expect(task().calls.map((c) => c.outcome)).toEqual(['abandoned', 'silent']);
    expect(task().reason).toBe('Silent 999 call');
  });

  it('gives a withheld or unknown number a task of its own kind for each call, that says it cannot be rung back', () => {
    const first = abandoned(null, 0);
    const second = abandoned('Unknown', 1);
    const both = tasks();
    expect(both).toHaveLength(2);
    expect(both.map((t) => t.kind)).toEqual(['no_call_back', 'no_call_back']);
    expect(task(callBackTaskId(FORCE, null, first)).reason).toBe('999 call abandoned before it was answered, from a withheld or unknown number');
    // Nobody can ring it: an attempt is refused as such.
    const withheld = callBackTaskId(FORCE, 'Unknown', second);
    expect(state.run('task.attempt', { taskId: withheld, attemptId: randomUUID(), result: 'rang' })).toMatchObject({ ok: false, code: 'invalid', reason: 'the number was withheld or is unknown: it cannot be rung back' });
  });

  it('opens the number’s task again, afresh, for a call after it was done', () => {
    abandoned(NUMBER, 0);
    must(state.run('task.complete', { taskId: task().id, outcome: 'Spoke to caller: pocket dial' }, 'alice', at(5)));
    const again = abandoned(NUMBER, 30);
    expect(task()).toMatchObject({ state: 'open', contactId: again, calls: [{ contactId: again }], attempts: [], claim: null, doneBy: null, outcome: null });
  });

  it('refuses a task id that is not this call’s (another force’s for the number, or one of its own), changing nothing', () => {
    const contactId = randomUUID();
    must(state.run('contact.receive', { contactId, source: '999', callerNumber: NUMBER, receivedAt: at(0), handsetLocation: null }));
    for (const taskId of [callBackTaskId('NBR', NUMBER, contactId), randomUUID(), callBackTaskId(FORCE, '07700 900999', contactId), callBackTaskId(FORCE, null, contactId)]) {
      expect(state.run('contact.end', { contactId, outcome: 'abandoned', taskId })).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('not this call’s') });
      expect(task(taskId)).toBeUndefined();
    }
    expect(state.get('contact', contactId)).toMatchObject({ state: 'ringing' });
  });

  it('reads a task written before tasks listed their calls as having its one call', () => {
    const id = callBackTaskId(FORCE, NUMBER, 'x');
    const contactId = randomUUID();
    const old = { id, kind: 'call_back', contactId, callerNumber: NUMBER, reason: '999 call abandoned before it was answered', createdAt: at(0), state: 'open', doneBy: null, doneAt: null, outcome: null, version: 1 };
    state.put([{ kind: 'task', id, doc: old as unknown as Task }]);
    abandoned(NUMBER, 1);
    expect(task().calls).toHaveLength(1);
    must(state.run('task.claim', { taskId: id, taskVersion: 2 }, 'alice', at(2)));
    expect(task().claim?.by).toBe('alice');
  });
});

describe('closing a call-back when the number rings in', () => {
  it('closes the number’s task, with the reason, when a call from it is answered', () => {
    abandoned(NUMBER, 0);
    must(state.run('task.claim', { taskId: task().id, taskVersion: 1 }, 'bob', at(1)));
    const back = randomUUID();
    must(state.run('contact.receive', { contactId: back, source: '999', callerNumber: '+44 7700 900303', receivedAt: at(2), handsetLocation: null }));
    must(state.run('contact.answer', { contactId: back, callBackTaskId: callBackTaskId(FORCE, '+44 7700 900303', back) }, 'alice', at(2)));
    expect(task()).toMatchObject({ state: 'done', doneBy: 'alice', doneAt: at(2), outcome: 'The number rang in again: 999 call answered by alice at 10:02:00' });
    // Bob, who had claimed it, is told it is done rather than ringing the caller too.
    expect(state.run('task.attempt', { taskId: task().id, attemptId: randomUUID(), result: 'no answer' }, 'bob', at(3))).toMatchObject({ ok: false, code: 'conflict', reason: expect.stringContaining('already done by alice') });
  });

  it('leaves the task open when the answer names no task (an older workstation) or another number’s', () => {
    abandoned(NUMBER, 0);
    const other = randomUUID();
    must(state.run('contact.receive', { contactId: other, source: '999', callerNumber: '07700 900999', receivedAt: at(2), handsetLocation: null }));
    must(state.run('contact.answer', { contactId: other, callBackTaskId: task().id }, 'alice', at(2)));
    const plain = randomUUID();
    must(state.run('contact.receive', { contactId: plain, source: '999', callerNumber: NUMBER, receivedAt: at(3), handsetLocation: null }));
    must(state.run('contact.answer', { contactId: plain }, 'alice', at(3)));
    expect(task().state).toBe('open');
  });
});

describe('claims', () => {
  beforeEach(() => {
    abandoned(NUMBER, 0);
  });

  it('lets one handler claim the task; a second, who saw it unclaimed, loses visibly', () => {
    must(state.run('task.claim', { taskId: task().id, taskVersion: 1 }, 'alice', at(1)));
    expect(task().claim).toEqual({ by: 'alice', at: at(1), until: at(1 + LAPSE) });
    expect(state.run('task.claim', { taskId: task().id, taskVersion: 1 }, 'bob', at(2))).toMatchObject({
      ok: false,
      code: 'conflict',
      reason: 'alice has claimed this call-back (until 10:11): leave it to them',
      target: { kind: 'task', id: task().id },
    });
  });

  it('refuses another handler’s attempt and completion while the claim is in force', () => {
    must(state.run('task.claim', { taskId: task().id, taskVersion: 1 }, 'alice', at(1)));
    expect(state.run('task.attempt', { taskId: task().id, attemptId: randomUUID(), result: 'no answer' }, 'bob', at(2))).toMatchObject({ ok: false, code: 'conflict' });
    expect(state.run('task.complete', { taskId: task().id, outcome: 'Spoke to caller' }, 'bob', at(2))).toMatchObject({ ok: false, code: 'conflict' });
    must(state.run('task.complete', { taskId: task().id, outcome: 'Spoke to caller: all well' }, 'alice', at(3)));
    expect(task()).toMatchObject({ state: 'done', doneBy: 'alice', outcome: 'Spoke to caller: all well' });
  });

  it('lapses after the force’s time without an attempt; an attempt keeps it from lapsing', () => {
    must(state.run('task.claim', { taskId: task().id, taskVersion: 1 }, 'alice', at(1)));
    must(state.run('task.attempt', { taskId: task().id, attemptId: randomUUID(), result: 'No answer' }, 'alice', at(8)));
    expect(task().attempts).toEqual([expect.objectContaining({ by: 'alice', at: at(8), result: 'No answer' })]);
    expect(task().claim).toEqual({ by: 'alice', at: at(1), until: at(8 + LAPSE) });
    expect(claimInForce(task(), Date.parse(at(8 + LAPSE)) - 1)?.by).toBe('alice');
    expect(state.run('task.claim', { taskId: task().id, taskVersion: task().version }, 'bob', at(8 + LAPSE - 1))).toMatchObject({ ok: false, code: 'conflict' });
    // Not worked for the lapse time: not in force, for anyone reading it, and bob may take it.
    expect(claimInForce(task(), Date.parse(at(8 + LAPSE)))).toBeNull();
    must(state.run('task.claim', { taskId: task().id, taskVersion: task().version }, 'bob', at(8 + LAPSE)));
    expect(task().claim?.by).toBe('bob');
  });

  it('refuses a claim made on a version that has since changed (offline, say): a new call came meanwhile', () => {
    const seen = task().version;
    abandoned(NUMBER, 1);
    expect(state.run('task.claim', { taskId: task().id, taskVersion: seen }, 'bob', at(2))).toMatchObject({ ok: false, code: 'conflict', reason: expect.stringContaining('changed since you looked') });
  });

  it('lets the holder renew their own claim whatever the version', () => {
    must(state.run('task.claim', { taskId: task().id, taskVersion: 1 }, 'alice', at(1)));
    abandoned(NUMBER, 2);
    must(state.run('task.claim', { taskId: task().id, taskVersion: 1 }, 'alice', at(3)));
    expect(task().claim).toEqual({ by: 'alice', at: at(3), until: at(3 + LAPSE) });
  });

  it('is redone on the task as it is now', async () => {
    const { claimTask } = await import('../../shared/commands/task-commands');
    abandoned(NUMBER, 1);
    expect(claimTask.redo!({ taskId: task().id, taskVersion: 1 }, state)).toEqual({ taskId: task().id, taskVersion: task().version });
  });
});

describe('disposals', () => {
  function answered(): string {
    const contactId = randomUUID();
    must(state.run('contact.receive', { contactId, source: '101', callerNumber: '07700 900202', receivedAt: at(0), handsetLocation: null }));
    must(state.run('contact.answer', { contactId }, 'alice', at(0)));
    return contactId;
  }

  it('refuses to end a call with no incident and no disposal: nothing is recorded and the call stays answered', () => {
    const contactId = answered();
    expect(state.run('contact.end', { contactId, outcome: 'completed', taskId: randomUUID() })).toEqual({
      ok: false,
      code: 'invalid',
      reason: 'a call ended without an incident needs a disposal from the force’s list and a note of what was done',
    });
    expect(state.get('contact', contactId)).toMatchObject({ state: 'answered', disposal: null });
  });

  it('records the disposal from the force’s list, with the note, who and when, on the contact', () => {
    const contactId = answered();
    must(state.run('contact.end', { contactId, outcome: 'completed', taskId: randomUUID(), disposal: { code: 'TRANSFER', note: 'Passed to Highways: debris on the A1' } }, 'alice', at(3)));
    expect(state.get('contact', contactId)).toMatchObject({
      state: 'completed',
      endedAt: at(3),
      incidentId: null,
      disposal: { code: 'TRANSFER', note: 'Passed to Highways: debris on the A1', by: 'alice', at: at(3) },
    });
  });

  it('refuses a disposal the force does not have, and one without a note', () => {
    const contactId = answered();
    expect(state.run('contact.end', { contactId, outcome: 'completed', taskId: randomUUID(), disposal: { code: 'SHRUG', note: 'x' } })).toMatchObject({ ok: false, code: 'invalid', reason: 'unknown disposal "SHRUG"' });
    expect(() => state.run('contact.end', { contactId, outcome: 'completed', taskId: randomUUID(), disposal: { code: 'ADVICE', note: '  ' } })).toThrow('say what was done');
  });
});

describe('workstations of an older version', () => {
  it('get a withheld number’s task as a call-back they can read, saying it cannot be rung; newer ones get it as it is', async () => {
    const { changeForClient } = await import('../../server/changes-for');
    const contactId = abandoned(null, 0);
    const doc = task(callBackTaskId(FORCE, null, contactId));
    const change = { seq: 7, kind: 'task', id: doc.id, doc };
    expect(changeForClient(change, 2).doc).toMatchObject({ kind: 'call_back', reason: '999 call abandoned before it was answered, from a withheld or unknown number (cannot be rung back)' });
    expect(changeForClient(change, 3)).toBe(change);
  });
});

describe('a lost claim in the conflict inbox', () => {
  it('says what was asked and what the call-back is now', async () => {
    const { describeCommand, describeTheirs } = await import('../../renderer/features/conflicts/describe-command');
    abandoned(NUMBER, 0);
    must(state.run('task.claim', { taskId: task().id, taskVersion: 1 }, 'alice', at(1)));
    const lost = state.run('task.claim', { taskId: task().id, taskVersion: 1 }, 'bob', at(2));
    expect(lost).toMatchObject({ ok: false, code: 'conflict' });
    const lookup = { incidents: {}, units: {} };
    expect(describeCommand('task.claim', { taskId: task().id, taskVersion: 1 }, lookup)).toBe('Claim a call-back');
    const conflict = { target: { kind: 'task', id: task().id }, theirs: task() } as unknown as Parameters<typeof describeTheirs>[0];
    expect(describeTheirs(conflict, lookup)).toBe(`The call-back to ${NUMBER} is claimed by alice`);
  });
});

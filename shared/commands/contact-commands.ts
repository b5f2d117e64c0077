import { z } from 'zod';
import { ContactSource, HandsetLocation, withTaskDefaults, type Contact, type Task, type TaskCall } from '../domain/contact';
import { callBackNumber, callBackTaskId, reasonFor } from '../domain/call-backs';
import { findDisposal } from '../domain/force-config';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import { Instant } from '../domain/time';
import { plainText } from '../domain/text';
import type { AnyRecord } from '../domain/records';
import { conflict, missing, notBefore, reject, type ApplyContext, type CommandDefinition, type StateView } from './types';
import { systemEntry } from './system-log';
import { CALLER_NOT_SHARED } from '../domain/share-cut';
import { closedConflict } from './incident-lifecycle';
import { wallClock } from '../domain/wall-clock';

/**
 * The life of a contact, as the telephony adapter and the handler report it: it rings, is answered (or abandoned),
 * the handset's position may arrive, and it ends in an incident, an attachment to one, advice, or a call-back task.
 */

export const ReceiveContactArgs = z.object({
  contactId: Uuid,
  source: ContactSource,
  callerNumber: plainText({ max: 40 }).nullable(),
  receivedAt: Instant,
  handsetLocation: HandsetLocation.nullable(),
});

export const receiveContact: CommandDefinition<z.infer<typeof ReceiveContactArgs>> = {
  name: 'contact.receive',
  args: ReceiveContactArgs,
  reads: (args) => [{ kind: 'contact', id: args.contactId }],
  apply(args, ctx, state) {
    if (state.get('contact', args.contactId)) return { ok: true, changes: [] };
    const contact: Contact = {
      id: args.contactId,
      force: ctx.config.force.code,
      source: args.source,
      callerNumber: args.callerNumber,
      handsetLocation: args.handsetLocation,
      state: 'ringing',
      // Never after the command saying it rang was issued: a desk's clock ahead of the server's is judged by the server's.
      receivedAt: Date.parse(args.receivedAt) > Date.parse(ctx.issuedAt) ? ctx.issuedAt : args.receivedAt,
      workstation: ctx.actor.workstation,
      answeredAt: null,
      answeredBy: null,
      answeredAtWorkstation: null,
      endedAt: null,
      incidentId: null,
      disposal: null,
      version: 1,
    };
    return { ok: true, changes: [{ kind: 'contact', id: contact.id, doc: contact }] };
  },
};

export const AnswerContactArgs = z.object({
  contactId: Uuid,
  /**
   * The call-back task of the caller's number (callBackTaskId), where the workstation knows the number: answering a
   * call from a number that is owed a call-back closes the task. Absent from workstations older than that rule.
   */
  callBackTaskId: Uuid.optional(),
});

/**
 * Answering is contended: a call can be answered once, and not after the caller hung up. A call from a number owed
 * a call-back closes that task: the caller is on the line now, so nobody must ring them back as well.
 */
export const answerContact: CommandDefinition<z.infer<typeof AnswerContactArgs>> = {
  name: 'contact.answer',
  args: AnswerContactArgs,
  reads: (args) => [{ kind: 'contact', id: args.contactId }, ...(args.callBackTaskId ? [{ kind: 'task' as const, id: args.callBackTaskId }] : [])],
  apply(args, given, state) {
    const contact = state.get('contact', args.contactId);
    if (!contact) return missing({ kind: 'contact', id: args.contactId }, 'the call');
    // Not before the call rang: a slow desk's time would count it answered before it came, inside every target.
    const ctx = notBefore(given, contact.receivedAt);
    if (contact.state !== 'ringing') {
      const who = contact.answeredBy ? ` by ${contact.answeredBy}` : '';
      return conflict(`the call is already ${contact.state}${who}`, { kind: 'contact', id: contact.id });
    }
    const changes: AnyRecord[] = [
      { kind: 'contact', id: contact.id, doc: { ...contact, state: 'answered', answeredAt: ctx.issuedAt, answeredBy: ctx.actor.operator, answeredAtWorkstation: ctx.actor.workstation, version: contact.version + 1 } },
    ];
    const task = args.callBackTaskId ? closedByCallIn(contact, args.callBackTaskId, ctx, state) : null;
    if (task) changes.push({ kind: 'task', id: task.id, doc: task });
    return { ok: true, changes };
  },
};

/** The number's open call-back task, closed because a call from that number has just been answered; else null. */
function closedByCallIn(contact: Contact, taskId: string, ctx: ApplyContext, state: StateView): Task | null {
  const rang = contact.source === '999' || contact.source === '101';
  if (!rang || !callBackNumber(contact.callerNumber) || taskId !== callBackTaskId(ctx.config.force.code, contact.callerNumber, contact.id)) return null;
  const stored = state.get('task', taskId);
  if (!stored || stored.state !== 'open') return null;
  const task = withTaskDefaults(stored);
  const outcome = `The number rang in again: ${contact.source} call answered by ${ctx.actor.operator} at ${wallClock(ctx.config.force.timeZone).timeWithSeconds(ctx.issuedAt)}`;
  return { ...task, state: 'done', doneBy: ctx.actor.operator, doneAt: ctx.issuedAt, outcome, version: task.version + 1 };
}

export const LocateContactArgs = z.object({ contactId: Uuid, handsetLocation: HandsetLocation });

/** The handset's position arrives (AML, about 30 seconds in): kept with the call, never put on an incident here. */
export const locateContact: CommandDefinition<z.infer<typeof LocateContactArgs>> = {
  name: 'contact.locate',
  args: LocateContactArgs,
  reads: (args) => [{ kind: 'contact', id: args.contactId }],
  apply(args, _ctx, state) {
    const contact = state.get('contact', args.contactId);
    if (!contact) return missing({ kind: 'contact', id: args.contactId }, 'the call');
    return { ok: true, changes: [{ kind: 'contact', id: contact.id, doc: { ...contact, handsetLocation: args.handsetLocation, version: contact.version + 1 } }] };
  },
};

export const EndContactArgs = z.object({
  contactId: Uuid,
  /** abandoned: hung up before answer. silent: answered, nobody spoke. completed: dealt with, no incident. */
  outcome: z.enum(['abandoned', 'silent', 'completed']),
  /** The call-back task an abandoned or silent 999 call goes to: callBackTaskId of its number. */
  taskId: Uuid,
  /** For a call completed without an incident: a disposal from the force's list, and why, in words. */
  disposal: z
    .object({
      code: z.string().min(1).max(16),
      note: plainText({ min: 1, max: 1000, multiline: true, empty: 'say what was done' }),
    })
    .optional(),
});

/** Calls from one number kept in one task; a storm of thousands from a faulty line keeps the latest this many. */
const MAX_TASK_CALLS = 500;

/**
 * Ends a contact. An abandoned or silent emergency call is never just over: it leaves a call-back task, so someone
 * rings the number back; further calls from the number join the same task. A call ended with no incident says how
 * it was disposed of, from the force's list, and why: otherwise it would simply disappear.
 */
export const endContact: CommandDefinition<z.infer<typeof EndContactArgs>> = {
  name: 'contact.end',
  args: EndContactArgs,
  reads: (args) => [
    { kind: 'contact', id: args.contactId },
    { kind: 'task', id: args.taskId },
  ],
  apply(args, given, state) {
    const contact = state.get('contact', args.contactId);
    if (!contact) return missing({ kind: 'contact', id: args.contactId }, 'the call');
    // Not before it was answered (or rang): a slow desk's time would end the call before it began.
    const ctx = notBefore(given, contact.receivedAt, contact.answeredAt);
    if (contact.state === 'abandoned' || contact.state === 'silent' || contact.state === 'completed') return { ok: true, changes: [] };
    if (args.outcome === 'abandoned' && contact.state !== 'ringing') return reject('invalid', 'only a call not yet answered can be abandoned');
    if (args.outcome !== 'abandoned' && contact.state !== 'answered') return reject('invalid', 'the call has not been answered');
    let disposal: Contact['disposal'] = null;
    if (args.outcome === 'completed') {
      if (!args.disposal) return reject('invalid', 'a call ended without an incident needs a disposal from the force’s list and a note of what was done');
      if (!findDisposal(ctx.config, args.disposal.code)) return reject('invalid', `unknown disposal "${args.disposal.code}"`);
      disposal = { code: args.disposal.code, note: args.disposal.note, by: ctx.actor.operator, at: ctx.issuedAt };
    }
    const changes: AnyRecord[] = [
      { kind: 'contact', id: contact.id, doc: { ...contact, state: args.outcome, endedAt: ctx.issuedAt, disposal, version: contact.version + 1 } },
    ];
    if (args.outcome !== 'completed' && contact.source === '999') {
      // Only this call's task id: its number's in this force, or its own. An id derived for the other force's
      // number (callBackTaskId needs only the number) would take that force's task id before its own abandoned call
      // came, leaving that call with no call-back, and its answer would tell whether the number had rung there.
      if (args.taskId !== callBackTaskId(ctx.config.force.code, contact.callerNumber, contact.id)) {
        return reject('invalid', 'the call-back task named is not this call’s: the workstation names the task of the caller’s number in its own force (update the workstation)');
      }
      const task = taskForCall(contact, args.outcome, args.taskId, ctx, state);
      if (task) changes.push({ kind: 'task', id: task.id, doc: task });
    }
    return { ok: true, changes };
  },
};

/**
 * The call-back task after an abandoned or silent 999 call, under its id (callBackTaskId): a new task, the number's
 * open task with this call added, or the number's closed task opened again for it.
 */
function taskForCall(contact: Contact, outcome: TaskCall['outcome'], taskId: string, ctx: ApplyContext, state: StateView): Task | null {
  const callable = callBackNumber(contact.callerNumber) !== null;
  const call: TaskCall = { contactId: contact.id, at: contact.receivedAt, outcome };
  const reason = reasonFor(outcome, callable);
  const stored = state.get('task', taskId);
  const existing = stored && withTaskDefaults(stored);
  if (existing && existing.state === 'open') {
    if (existing.calls.some((c) => c.contactId === contact.id)) return null;
    return { ...existing, reason, calls: [...existing.calls, call].slice(-MAX_TASK_CALLS), version: existing.version + 1 };
  }
  return {
    id: taskId,
    force: contact.force,
    kind: callable ? 'call_back' : 'no_call_back',
    contactId: contact.id,
    callerNumber: contact.callerNumber,
    reason,
    createdAt: ctx.issuedAt,
    calls: [call],
    attempts: [],
    claim: null,
    state: 'open',
    doneBy: null,
    doneAt: null,
    outcome: null,
    version: (existing?.version ?? 0) + 1,
  };
}

export const AttachContactArgs = z.object({ contactId: Uuid, incidentId: Uuid });

/** Another call about an event already recorded: attached to that incident, with a line in its log, not a second incident. */
export const attachContact: CommandDefinition<z.infer<typeof AttachContactArgs>> = {
  name: 'contact.attach',
  args: AttachContactArgs,
  reads: (args) => [
    { kind: 'contact', id: args.contactId },
    { kind: 'incident', id: args.incidentId },
  ],
  apply(args, ctx, state) {
    const contact = state.get('contact', args.contactId);
    if (!contact) return missing({ kind: 'contact', id: args.contactId }, 'the call');
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    if (contact.incidentId === incident.id) return { ok: true, changes: [] };
    // A call about a closed job would be dealt with into an incident nobody works: reopen it, or make a new one.
    const closed = closedConflict(incident);
    if (closed) return closed;
    if (contact.incidentId) return reject('invalid', 'the call already belongs to another incident');
    const received = wallClock(ctx.config.force.timeZone).timeWithSeconds(contact.receivedAt);
    const entry = systemEntry(ctx, derivedId(contact.id, `attached:${incident.id}`), incident.id, {
      text: `Further contact attached: ${contact.source} from ${contact.callerNumber ?? 'a withheld number'}, received ${received}`,
      shared: `Further contact attached: ${contact.source}, received ${received} (${CALLER_NOT_SHARED})`,
    });
    return {
      ok: true,
      changes: [
        { kind: 'contact', id: contact.id, doc: { ...contact, incidentId: incident.id, state: 'completed', endedAt: ctx.issuedAt, version: contact.version + 1 } },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
};

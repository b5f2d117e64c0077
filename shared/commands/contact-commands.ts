import { z } from 'zod';
import { ContactSource, HandsetLocation, type Contact, type Task } from '../domain/contact';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import { Instant } from '../domain/time';
import { plainText } from '../domain/text';
import type { AnyRecord } from '../domain/records';
import { conflict, missing, reject, type CommandDefinition } from './types';
import { systemEntry } from './system-log';
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
      source: args.source,
      callerNumber: args.callerNumber,
      handsetLocation: args.handsetLocation,
      state: 'ringing',
      receivedAt: args.receivedAt,
      workstation: ctx.actor.workstation,
      answeredAt: null,
      answeredBy: null,
      endedAt: null,
      incidentId: null,
      version: 1,
    };
    return { ok: true, changes: [{ kind: 'contact', id: contact.id, doc: contact }] };
  },
};

export const AnswerContactArgs = z.object({ contactId: Uuid });

/** Answering is contended: a call can be answered once, and not after the caller hung up. */
export const answerContact: CommandDefinition<z.infer<typeof AnswerContactArgs>> = {
  name: 'contact.answer',
  args: AnswerContactArgs,
  reads: (args) => [{ kind: 'contact', id: args.contactId }],
  apply(args, ctx, state) {
    const contact = state.get('contact', args.contactId);
    if (!contact) return missing({ kind: 'contact', id: args.contactId }, 'the call');
    if (contact.state !== 'ringing') {
      const who = contact.answeredBy ? ` by ${contact.answeredBy}` : '';
      return conflict(`the call is already ${contact.state}${who}`, { kind: 'contact', id: contact.id });
    }
    return {
      ok: true,
      changes: [{ kind: 'contact', id: contact.id, doc: { ...contact, state: 'answered', answeredAt: ctx.issuedAt, answeredBy: ctx.actor.operator, version: contact.version + 1 } }],
    };
  },
};

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
  /** abandoned: hung up before answer. silent: answered, nobody spoke. completed: dealt with (advice, no incident). */
  outcome: z.enum(['abandoned', 'silent', 'completed']),
  taskId: Uuid,
});

/**
 * Ends a contact. An abandoned or silent emergency call is never just over: it leaves a call-back task, so someone
 * rings the number back.
 */
export const endContact: CommandDefinition<z.infer<typeof EndContactArgs>> = {
  name: 'contact.end',
  args: EndContactArgs,
  reads: (args) => [
    { kind: 'contact', id: args.contactId },
    { kind: 'task', id: args.taskId },
  ],
  apply(args, ctx, state) {
    const contact = state.get('contact', args.contactId);
    if (!contact) return missing({ kind: 'contact', id: args.contactId }, 'the call');
    if (contact.state === 'abandoned' || contact.state === 'silent' || contact.state === 'completed') return { ok: true, changes: [] };
    if (args.outcome === 'abandoned' && contact.state !== 'ringing') return reject('invalid', 'only a call not yet answered can be abandoned');
    if (args.outcome !== 'abandoned' && contact.state !== 'answered') return reject('invalid', 'the call has not been answered');
    const changes: AnyRecord[] = [
      { kind: 'contact', id: contact.id, doc: { ...contact, state: args.outcome, endedAt: ctx.issuedAt, version: contact.version + 1 } },
    ];
    if (args.outcome !== 'completed' && contact.source === '999') {
      const task: Task = {
        id: args.taskId,
        kind: 'call_back',
        contactId: contact.id,
        callerNumber: contact.callerNumber,
        reason: args.outcome === 'abandoned' ? '999 call abandoned before it was answered' : 'Silent 999 call',
        createdAt: ctx.issuedAt,
        state: 'open',
        doneBy: null,
        doneAt: null,
        outcome: null,
        version: 1,
      };
      changes.push({ kind: 'task', id: task.id, doc: task });
    }
    return { ok: true, changes };
  },
};

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
    const entry = systemEntry(ctx, derivedId(contact.id, `attached:${incident.id}`), incident.id, `Further contact attached: ${contact.source} from ${contact.callerNumber ?? 'a withheld number'}, received ${wallClock(ctx.config.force.timeZone).timeWithSeconds(contact.receivedAt)}`);
    return {
      ok: true,
      changes: [
        { kind: 'contact', id: contact.id, doc: { ...contact, incidentId: incident.id, state: 'completed', endedAt: ctx.issuedAt, version: contact.version + 1 } },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
};

export const CompleteTaskArgs = z.object({ taskId: Uuid, outcome: plainText({ min: 1, max: 500, empty: 'say what came of it' }) });

export const completeTask: CommandDefinition<z.infer<typeof CompleteTaskArgs>> = {
  name: 'task.complete',
  args: CompleteTaskArgs,
  reads: (args) => [{ kind: 'task', id: args.taskId }],
  apply(args, ctx, state) {
    const task = state.get('task', args.taskId);
    if (!task) return missing({ kind: 'task', id: args.taskId }, 'the task');
    if (task.state === 'done') return conflict(`already done by ${task.doneBy ?? 'someone'}`, { kind: 'task', id: task.id });
    return { ok: true, changes: [{ kind: 'task', id: task.id, doc: { ...task, state: 'done', doneBy: ctx.actor.operator, doneAt: ctx.issuedAt, outcome: args.outcome, version: task.version + 1 } }] };
  },
};

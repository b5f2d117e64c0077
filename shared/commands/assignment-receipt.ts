import { z } from 'zod';
import { canRecordDelivery, commitsUnit, type Assignment } from '../domain/assignment';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import { raisedBy } from '../domain/raised';
import type { AnyRecord, RecordKey } from '../domain/records';
import { plainText } from '../domain/text';
import { deploymentConfirmed } from '../dispatch/receipts';
import { notBefore, type CommandDefinition } from './types';
import { releaseUnit } from './unit-assign';
import { assignmentNamed, assignmentPartiesMissing, assignmentReads } from './assignment-lookup';
import { systemEntry } from './system-log';

const Receipt = z.enum(['received', 'accepted', 'rejected']);
type Receipt = z.infer<typeof Receipt>;

export const RecordReceiptArgs = z.object({
  assignmentId: Uuid,
  unitId: z.string().min(1),
  incidentId: Uuid,
  receipt: Receipt,
  /** The crew's reason, for a rejection. */
  note: plainText({ max: 200 }).default(''),
});
export type RecordReceiptArgs = z.infer<typeof RecordReceiptArgs>;

const words = { received: 'received the deployment', accepted: 'accepted the deployment', rejected: 'rejected the deployment' } as const;

/** The log line of each kind of receipt: written once, so a terminal resending a receipt changes nothing. */
const receiptEntryId = (assignmentId: string, receipt: Receipt) => derivedId(assignmentId, `receipt:${receipt}`);

/** Why a receipt comes after the fact, in the log's words; null for one in its time. */
function lateness(assignment: Assignment): string | null {
  if (assignment.radioConfirmed) return 'after the dispatcher confirmed it by radio';
  if (assignment.status !== 'assigned') return `after the unit was booked ${assignment.status.replace('_', ' ')}`;
  if (assignment.delivery?.state === 'accepted') return 'after it had accepted';
  if (assignment.delivery?.state === 'rejected') return 'after it had rejected';
  return null;
}

/**
 * What the vehicle's terminal said of a deployment message. Every receipt is recorded in the incident's log, once
 * (a terminal resending one changes nothing), and the delivery state only moves forward, so a late receipt never
 * undoes what is known. A rejection stands the unit down only while nothing has confirmed the deployment; after an
 * acceptance, a confirmation by radio or a status the unit was booked at, it is a question for the dispatcher
 * (stand the unit down, or keep it), raised at the workstation the terminal spoke through.
 */
export const recordReceipt: CommandDefinition<RecordReceiptArgs> = {
  name: 'assignment.receipt',
  args: RecordReceiptArgs,
  reads: (args): RecordKey[] => [...assignmentReads(args), ...Receipt.options.map((receipt) => ({ kind: 'logEntry' as const, id: receiptEntryId(args.assignmentId, receipt) }))],
  apply(args, given, state) {
    const assignment = assignmentNamed(args, state);
    if ('ok' in assignment) return assignment;
    // A reservation not yet deployed has sent no message for a terminal to answer.
    if (assignment.delivery === null) return { ok: true, changes: [] };
    // Not before the deployment it answers, nor the receipt before it (a terminal or desk clock behind the server's):
    // the receipt keeps its own time otherwise, however late it is relayed, for how long the crew took to answer.
    const ctx = notBefore(given, assignment.deployedAt, assignment.delivery.at);
    const entryId = receiptEntryId(assignment.id, args.receipt);
    if (state.get('logEntry', entryId)) return { ok: true, changes: [] };
    const unit = state.get('unit', args.unitId);
    const incident = state.get('incident', args.incidentId);
    if (!unit || !incident) return assignmentPartiesMissing(ctx, assignment);

    const late = lateness(assignment);
    const forward = canRecordDelivery(assignment.delivery.state, args.receipt);
    const rejected = args.receipt === 'rejected' && commitsUnit(assignment.status);
    const standDown = rejected && !deploymentConfirmed(assignment);
    const question = rejected && !standDown;
    const note = args.note ? `: ${args.note}` : '';
    const text = question
      ? `${unit.callSign}'s terminal rejected the deployment ${late}${note}. Not stood down: the dispatcher is asked whether to stand it down or keep it`
      : `${unit.callSign} ${words[args.receipt]}${late ? ` (late: ${late})` : ''}${note}`;
    const entry = systemEntry(ctx, entryId, incident.id, text, incident.force);
    const changes: AnyRecord[] = [{ kind: 'logEntry', id: entry.id, doc: entry }];
    if (!forward && !question) return { ok: true, changes };

    const updated: Assignment = {
      ...assignment,
      delivery: forward ? { state: args.receipt, at: ctx.issuedAt, note: args.note } : assignment.delivery,
      status: standDown ? 'cleared' : assignment.status,
      lateRejection: question ? { at: ctx.issuedAt, note: args.note, raised: raisedBy(ctx) } : assignment.lateRejection,
      updatedAt: ctx.issuedAt,
      version: assignment.version + 1,
    };
    changes.unshift({ kind: 'assignment', id: assignment.id, doc: updated });
    if (standDown) changes.push(...releaseUnit(unit, incident, assignment.id, ctx.issuedAt));
    return { ok: true, changes };
  },
};

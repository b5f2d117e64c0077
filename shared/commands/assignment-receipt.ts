import { z } from 'zod';
import { canRecordDelivery, commitsUnit } from '../domain/assignment';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import type { AnyRecord } from '../domain/records';
import { plainText } from '../domain/text';
import { reject, type CommandDefinition } from './types';
import { releaseUnit } from './unit-assign';
import { assignmentNamed, assignmentReads } from './assignment-lookup';
import { systemEntry } from './system-log';

export const RecordReceiptArgs = z.object({
  assignmentId: Uuid,
  unitId: z.string().min(1),
  incidentId: Uuid,
  receipt: z.enum(['received', 'accepted', 'rejected']),
  /** The crew's reason, for a rejection. */
  note: plainText({ max: 200 }).default(''),
});
export type RecordReceiptArgs = z.infer<typeof RecordReceiptArgs>;

const words = { received: 'received the deployment', accepted: 'accepted the deployment', rejected: 'rejected the deployment' } as const;

/**
 * What the vehicle's terminal said of a deployment message. Receipts only move forward (a late "received" after
 * "accepted" changes nothing), so a terminal resending them is harmless. A rejection stands the unit down from the
 * incident, visibly, so the dispatcher sends another.
 */
export const recordReceipt: CommandDefinition<RecordReceiptArgs> = {
  name: 'assignment.receipt',
  args: RecordReceiptArgs,
  reads: assignmentReads,
  apply(args, ctx, state) {
    const assignment = assignmentNamed(args, state);
    if ('ok' in assignment) return assignment;
    if (!canRecordDelivery(assignment.delivery?.state ?? null, args.receipt)) return { ok: true, changes: [] };
    const unit = state.get('unit', args.unitId);
    const incident = state.get('incident', args.incidentId);
    if (!unit || !incident) return reject('not_found', 'the unit or incident of this assignment is missing');

    const entry = systemEntry(ctx, derivedId(assignment.id, `receipt:${args.receipt}`), incident.id, `${unit.callSign} ${words[args.receipt]}${args.note ? `: ${args.note}` : ''}`);
    const delivery = { state: args.receipt, at: ctx.issuedAt, note: args.note };
    const standDown = args.receipt === 'rejected' && commitsUnit(assignment.status);
    const changes: AnyRecord[] = [
      { kind: 'assignment', id: assignment.id, doc: { ...assignment, delivery, status: standDown ? 'cleared' : assignment.status, updatedAt: ctx.issuedAt, version: assignment.version + 1 } },
      { kind: 'logEntry', id: entry.id, doc: entry },
    ];
    if (standDown) changes.push(...releaseUnit(unit, incident, assignment.id, ctx.issuedAt));
    return { ok: true, changes };
  },
};

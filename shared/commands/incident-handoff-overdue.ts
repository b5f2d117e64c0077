import { z } from 'zod';
import { Uuid } from '../domain/ids';
import { Instant } from '../domain/time';
import { queueName } from '../domain/dispatch-queues';
import { UNTAKEN_LOG_PREFIX, handoffAlertEntryId, handoffOf, untakenHandoff } from '../dispatch/handoffs';
import { systemEntry } from './system-log';
import type { CommandDefinition } from './types';

export const HandoffOverdueArgs = z.object({
  incidentId: Uuid,
  /** The wait it is about (its start), so a claim about an earlier wait, before a reopening, changes nothing. */
  waitingSince: Instant,
  stage: z.enum(['dispatchers', 'supervisor']),
});
export type HandoffOverdueArgs = z.infer<typeof HandoffOverdueArgs>;

const nothing = { ok: true as const, changes: [] };

/**
 * Writes in the incident's log that it was left untaken past its grade's time and who is alerted: its queue's
 * dispatchers, then the supervisor. A claim, issued by the first desk whose clock reaches the time (main/core/
 * deadline-watch.ts); the first the server applies writes the line, and every later one, or one made when the
 * incident was taken meanwhile, changes nothing. The incident itself is left alone: its version must not change
 * under a dispatcher about to take it. The alerts themselves every desk works out from the incident and its clock.
 */
export const handoffOverdue: CommandDefinition<HandoffOverdueArgs> = {
  name: 'incident.handoffOverdue',
  args: HandoffOverdueArgs,
  reads: (args) => [
    { kind: 'incident', id: args.incidentId },
    { kind: 'logEntry', id: handoffAlertEntryId(args.incidentId, args.waitingSince, args.stage) },
  ],
  apply(args, ctx, state) {
    const incident = state.get('incident', args.incidentId);
    const id = handoffAlertEntryId(args.incidentId, args.waitingSince, args.stage);
    if (!incident || state.get('logEntry', id) || handoffOf(incident).waitingSince !== args.waitingSince) return nothing;
    const untaken = untakenHandoff(ctx.config, incident, Date.parse(ctx.issuedAt));
    if (!untaken || untaken.stage === 'waiting' || (args.stage === 'supervisor' && untaken.stage !== 'supervisor')) return nothing;
    const at = args.stage === 'supervisor' ? untaken.supervisorAtMs : untaken.dispatchersAtMs;
    const seconds = Math.round(((at ?? 0) - Date.parse(untaken.since)) / 1000);
    const transferred = incident.handovers?.some((handover) => handover.to === incident.force && handover.at === untaken.since);
    const from = transferred ? `it was transferred to ${incident.force}` : (incident.reopenings?.length ?? 0) > 0 ? 'it was reopened' : 'it was made';
    const who = args.stage === 'supervisor' ? 'the supervisor is alerted' : `the ${queueName(ctx.config, untaken.queue)} queue's dispatchers are alerted`;
    const entry = systemEntry(ctx, id, incident.id, `${UNTAKEN_LOG_PREFIX} ${seconds} s after ${from}: ${who}`);
    return { ok: true, changes: [{ kind: 'logEntry', id: entry.id, doc: entry }] };
  },
};

import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { DescriptiveFields, descriptiveFieldLabels, type Incident } from '../domain/incident';
import { describeLocation, type IncidentLocation } from '../domain/location';
import { markStale } from '../domain/thrive';
import { Uuid } from '../domain/ids';
import type { AnyRecord } from '../domain/records';
import { missing, type CommandDefinition } from './types';
import { closedConflict } from './incident-lifecycle';
import { systemEntry } from './system-log';
import { CALLER_FIELDS, CALLER_NOT_SHARED } from '../domain/share-cut';
import { queueFor, queueName, queueOf, queueKey } from '../domain/dispatch-queues';

export const UpdateIncidentArgs = z.object({
  incidentId: Uuid,
  /** The commandId: the log lines recording what each change overwrote take their ids from it. */
  changeId: Uuid,
  fields: DescriptiveFields.refine((f) => Object.keys(f).length > 0, 'nothing to change'),
});
export type UpdateIncidentArgs = z.infer<typeof UpdateIncidentArgs>;

/**
 * Corrects descriptive fields. Last writer wins per field, in the server's order, with no version check: a
 * correction is never refused for being late while the incident is open. What it overwrote is not lost: each change
 * adds a log line naming the old and new values. A closed incident takes none: a correction that reaches it after
 * the closure (made offline, say) is a conflict, like every late change to a closed incident.
 */
export const updateIncident: CommandDefinition<UpdateIncidentArgs> = {
  name: 'incident.update',
  args: UpdateIncidentArgs,
  reads: (args) => [{ kind: 'incident', id: args.incidentId }],
  apply(args, ctx, state) {
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    const closed = closedConflict(incident);
    if (closed) return closed;
    const next: Incident = { ...incident };
    const changes: AnyRecord[] = [];
    for (const field of Object.keys(args.fields) as (keyof DescriptiveFields)[]) {
      const value = args.fields[field];
      if (value === undefined) continue;
      const old = incident[field];
      if (JSON.stringify(old) === JSON.stringify(value)) continue;
      (next as Record<string, unknown>)[field] = value;
      const text = `${descriptiveFieldLabels[field]} changed from ${quote(shown(old))} to ${quote(shown(value))}`;
      // The caller's name, number and account are the owning force's: another force assisting reads that they changed.
      const line = CALLER_FIELDS.has(field) ? { text, shared: `${descriptiveFieldLabels[field]} changed (${CALLER_NOT_SHARED})` } : text;
      const entry = systemEntry(ctx, derivedId(args.changeId, field), incident.id, line);
      changes.push({ kind: 'logEntry', id: entry.id, doc: entry });
    }
    if (changes.length === 0) return { ok: true, changes: [] };
    // A new place or a new account of what happened bears on risk: the assessment is due again.
    const riskFacts = (['location', 'description'] as const).filter((f) => f in args.fields && JSON.stringify(args.fields[f]) !== JSON.stringify(incident[f]));
    if (riskFacts.length) next.thrive = markStale(incident.thrive, `${riskFacts.join(' and ')} changed`);
    // A new place may be another area's: the incident moves to that queue (its wait, if untaken, runs on).
    if (riskFacts.includes('location')) {
      const before = queueOf(ctx.config, incident);
      next.queue = queueFor(ctx.config, next.location);
      if (queueKey(before) !== queueKey(next.queue)) {
        const moved = systemEntry(ctx, derivedId(args.changeId, 'queue'), incident.id, `Queue changed from ${queueName(ctx.config, before)} to ${queueName(ctx.config, next.queue)}`);
        changes.push({ kind: 'logEntry', id: moved.id, doc: moved });
      }
    }
    next.updatedAt = ctx.issuedAt;
    next.version = incident.version + 1;
    return { ok: true, changes: [{ kind: 'incident', id: incident.id, doc: next }, ...changes] };
  },
  // Done again (once the incident is reopened, say): the same corrections, as a new change.
  redo: (args) => ({ ...args, changeId: derivedId(args.changeId, 'redo') }),
};

function shown(value: string | IncidentLocation): string {
  return typeof value === 'string' ? value : describeLocation(value);
}

function quote(value: string): string {
  return value === '' ? '(blank)' : `“${value}”`;
}

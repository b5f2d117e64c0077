import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import type { LogEntry } from '../domain/incident';
import { displayReference } from '../domain/incident';
import { ThriveAnswer, describeAssessment } from '../domain/thrive';
import { missing, reject, type CommandDefinition } from './types';
import { closedConflict } from './incident-lifecycle';
import { systemEntry } from './system-log';
import { THRIVE_NOT_SHARED } from '../domain/share-cut';

export const AssessRiskArgs = z.object({
  incidentId: Uuid,
  assessmentId: Uuid,
  answers: z.array(ThriveAnswer).min(1).max(40),
});

/**
 * Records a THRIVE assessment: the answers on the incident, and every question with its answer in the log. Not on
 * a closed incident (the assessment decides attendance, and nobody is going): one that arrives after the closure
 * is a conflict, its answers kept with it.
 */
export const assessRisk: CommandDefinition<z.infer<typeof AssessRiskArgs>> = {
  name: 'incident.assessRisk',
  args: AssessRiskArgs,
  reads: (args) => [{ kind: 'incident', id: args.incidentId }],
  apply(args, ctx, state) {
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    const closed = closedConflict(incident);
    if (closed) return closed;
    const unknown = args.answers.find((a) => !ctx.config.thrive.some((q) => q.id === a.questionId));
    if (unknown) return reject('invalid', `unknown THRIVE question "${unknown.questionId}"`);
    // The answers stay with the owning force; another force assisting reads that risk was assessed (share-cut.ts).
    const entry = systemEntry(ctx, derivedId(args.assessmentId, 'thrive'), incident.id, { text: describeAssessment(ctx.config, args.answers), shared: THRIVE_NOT_SHARED });
    return {
      ok: true,
      changes: [
        {
          kind: 'incident',
          id: incident.id,
          doc: { ...incident, thrive: { answers: args.answers, assessedAt: ctx.issuedAt, assessedBy: ctx.actor.operator, stale: false, staleBecause: null }, updatedAt: ctx.issuedAt, version: incident.version + 1 },
        },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
};

export const LinkArgs = z.object({ incidentId: Uuid, otherId: Uuid, linkId: Uuid });

/**
 * Relates two incidents (the same event seen twice, a series): both record the link, with a line in each log.
 * Unlinking undoes it the same way, so a wrong link is never permanent. Closed incidents may be linked: a caller
 * ringing back about a closed job gets a new incident, related to the old one.
 */
function linkCommand(name: 'incident.link' | 'incident.unlink'): CommandDefinition<z.infer<typeof LinkArgs>> {
  const linking = name === 'incident.link';
  return {
    name,
    args: LinkArgs,
    reads: (args) => [
      { kind: 'incident', id: args.incidentId },
      { kind: 'incident', id: args.otherId },
    ],
    apply(args, ctx, state) {
      if (args.incidentId === args.otherId) return reject('invalid', 'an incident cannot be linked to itself');
      const one = state.get('incident', args.incidentId);
      const other = state.get('incident', args.otherId);
      if (!one) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
      if (!other) return missing({ kind: 'incident', id: args.otherId }, 'the other incident');
      const linked = one.related.includes(other.id);
      if (linked === linking) return { ok: true, changes: [] };
      const relate = (from: typeof one, to: typeof one) => ({
        ...from,
        related: linking ? [...from.related, to.id] : from.related.filter((id) => id !== to.id),
        updatedAt: ctx.issuedAt,
        version: from.version + 1,
      });
      const line = (on: typeof one, to: typeof one): LogEntry => systemEntry(ctx, derivedId(args.linkId, on.id), on.id, `${linking ? 'Linked as related to' : 'No longer related to'} ${displayReference(to)}`);
      return {
        ok: true,
        changes: [
          { kind: 'incident', id: one.id, doc: relate(one, other) },
          { kind: 'incident', id: other.id, doc: relate(other, one) },
          { kind: 'logEntry', id: derivedId(args.linkId, one.id), doc: line(one, other) },
          { kind: 'logEntry', id: derivedId(args.linkId, other.id), doc: line(other, one) },
        ],
      };
    },
  };
}

export const linkIncidents = linkCommand('incident.link');
export const unlinkIncidents = linkCommand('incident.unlink');

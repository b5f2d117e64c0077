import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { findIncidentType } from '../domain/force-config';
import { Uuid } from '../domain/ids';
import { openingTypeOf } from '../domain/incident';
import { isDowngrade } from '../domain/grading';
import { plainText } from '../domain/text';
import { markStale } from '../domain/thrive';
import { closedConflict } from './incident-lifecycle';
import { missing, reject, type CommandDefinition } from './types';
import { systemEntry } from './system-log';

export const ChangeTypeArgs = z.object({
  incidentId: Uuid,
  changeId: Uuid,
  type: z.string().min(1),
  reason: plainText({ max: 500 }).default(''),
});
export type ChangeTypeArgs = z.infer<typeof ChangeTypeArgs>;

/**
 * What the incident turns out to be differs from what it was opened as (a "concern for safety" that is a domestic).
 * The type changes, and with it what the incident needs (recommendations follow the new type) and the questions
 * its risk assessment asks, which is due again at once. The opening type stays on the record, as NSIR keeps the
 * opening category whatever the incident closes as. Like a grade, the latest change in the server's order stands,
 * each one logged with what it replaced; a closed incident takes none.
 */
export const changeIncidentType: CommandDefinition<ChangeTypeArgs> = {
  name: 'incident.changeType',
  args: ChangeTypeArgs,
  reads: (args) => [{ kind: 'incident', id: args.incidentId }],
  apply(args, ctx, state) {
    const type = findIncidentType(ctx.config, args.type);
    if (!type) return reject('invalid', `unknown incident type "${args.type}"`);
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    const closed = closedConflict(incident);
    if (closed) return closed;
    if (incident.type === type.code) return { ok: true, changes: [] };
    const before = findIncidentType(ctx.config, incident.type);
    const opening = openingTypeOf(incident);
    // The grade is a decision of its own (a downgrade needs a supervisor): the log says when the new type usually
    // goes more urgently than the incident is graded, so the operator looks at it.
    const usual = isDowngrade(ctx.config, type.defaultGrade, incident.grade) ? ` ${type.name} is usually grade ${type.defaultGrade}; this one stays grade ${incident.grade} until regraded.` : '';
    const entry = systemEntry(
      ctx,
      derivedId(args.changeId, 'type'),
      incident.id,
      `Type changed from ${before?.name ?? incident.type} (${incident.type}) to ${type.name} (${type.code})${args.reason ? `: ${args.reason}` : ''}. Opened as ${findIncidentType(ctx.config, opening)?.name ?? opening} (${opening}); risk assessment due again.${usual}`,
    );
    return {
      ok: true,
      changes: [
        {
          kind: 'incident',
          id: incident.id,
          doc: {
            ...incident,
            type: type.code,
            openingType: opening,
            thrive: markStale(incident.thrive, `type changed to ${type.name}`),
            updatedAt: ctx.issuedAt,
            version: incident.version + 1,
          },
        },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
  redo: (args) => ({ ...args, changeId: derivedId(args.changeId, 'redo') }),
};

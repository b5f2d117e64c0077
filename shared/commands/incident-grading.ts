import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { findGrade } from '../domain/force-config';
import { isDowngrade } from '../domain/grading';
import { Uuid } from '../domain/ids';
import type { Incident } from '../domain/incident';
import { hasRole } from '../domain/operator';
import { plainText } from '../domain/text';
import { markStale } from '../domain/thrive';
import { conflict, missing, notBefore, reject, type ApplyContext, type CommandDefinition } from './types';
import { closedConflict } from './incident-lifecycle';
import { systemEntry } from './system-log';

export const RegradeArgs = z.object({
  incidentId: Uuid,
  changeId: Uuid,
  grade: z.string().min(1),
  reason: plainText({ max: 500 }).default(''),
});

/**
 * Changing the grade. Upgrading takes effect at once and restarts the attendance clock. Downgrading needs a reason
 * and a supervisor: asked for by anyone else, it waits (the grade stays) until a supervisor decides; a supervisor's
 * own downgrade is their decision. Either way the risk assessment is due again.
 */
export const regradeIncident: CommandDefinition<z.infer<typeof RegradeArgs>> = {
  name: 'incident.regrade',
  args: RegradeArgs,
  reads: (args) => [{ kind: 'incident', id: args.incidentId }],
  writes: (args) => [{ kind: 'logEntry', id: derivedId(args.changeId, 'grade') }],
  apply(args, given, state) {
    if (!findGrade(given.config, args.grade)) return reject('invalid', `unknown grade "${args.grade}"`);
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    // Not before the incident was opened: a slow desk's time would grade it before the call.
    const ctx = notBefore(given, incident.createdAt);
    const closed = closedConflict(incident);
    if (closed) return closed;
    if (incident.grade === args.grade && !incident.pendingDowngrade) return { ok: true, changes: [] };
    const downgrade = isDowngrade(ctx.config, incident.grade, args.grade);
    if (downgrade && !args.reason) return reject('invalid', 'a downgrade needs a reason');
    const supervisor = hasRole(state.get('operator', ctx.actor.operator), 'supervisor');
    if (downgrade && !supervisor) {
      const next: Incident = {
        ...incident,
        pendingDowngrade: { grade: args.grade, reason: args.reason, requestedBy: ctx.actor.operator, requestedAt: ctx.issuedAt },
        updatedAt: ctx.issuedAt,
        version: incident.version + 1,
      };
      return withLog(next, args.changeId, `Downgrade to grade ${args.grade} asked for: ${args.reason}. Waiting for a supervisor.`, ctx);
    }
    return withLog(setGrade(incident, args.grade, ctx), args.changeId, `${downgrade ? 'Downgraded' : 'Regraded'} from ${incident.grade} to ${args.grade}${args.reason ? `: ${args.reason}` : ''}`, ctx);
  },
};

export const DecideDowngradeArgs = z.object({
  incidentId: Uuid,
  decisionId: Uuid,
  approve: z.boolean(),
  note: plainText({ max: 500 }).default(''),
});

/** A supervisor confirms or refuses a downgrade someone asked for. */
export const decideDowngrade: CommandDefinition<z.infer<typeof DecideDowngradeArgs>> = {
  name: 'incident.decideDowngrade',
  args: DecideDowngradeArgs,
  reads: (args) => [{ kind: 'incident', id: args.incidentId }],
  writes: (args) => [{ kind: 'logEntry', id: derivedId(args.decisionId, 'grade') }],
  apply(args, given, state) {
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    // Not before the incident, nor the downgrade it decides: a slow desk's time.
    const ctx = notBefore(given, incident.createdAt, incident.pendingDowngrade?.requestedAt);
    const closed = closedConflict(incident);
    if (closed) return closed;
    const pending = incident.pendingDowngrade;
    if (!pending) return conflict('no downgrade is waiting on this incident', { kind: 'incident', id: incident.id });
    const note = args.note ? ` (${args.note})` : '';
    if (!args.approve) {
      const next: Incident = { ...incident, pendingDowngrade: null, updatedAt: ctx.issuedAt, version: incident.version + 1 };
      return withLog(next, args.decisionId, `Downgrade to grade ${pending.grade} refused${note}; stays grade ${incident.grade}`, ctx);
    }
    return withLog(setGrade(incident, pending.grade, ctx), args.decisionId, `Downgrade to grade ${pending.grade} confirmed${note} (asked by ${pending.requestedBy}: ${pending.reason})`, ctx);
  },
};

/** The grade takes effect: the attendance clock starts again, and the assessment is due again. */
function setGrade(incident: Incident, grade: string, ctx: ApplyContext): Incident {
  return {
    ...incident,
    grade,
    gradedAt: ctx.issuedAt,
    pendingDowngrade: null,
    thrive: markStale(incident.thrive, `grade changed to ${grade}`),
    updatedAt: ctx.issuedAt,
    version: incident.version + 1,
  };
}

function withLog(incident: Incident, sourceId: string, text: string, ctx: ApplyContext) {
  const entry = systemEntry(ctx, derivedId(sourceId, 'grade'), incident.id, text);
  return { ok: true as const, changes: [{ kind: 'incident' as const, id: incident.id, doc: incident }, { kind: 'logEntry' as const, id: entry.id, doc: entry }] };
}

import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { Uuid } from '../domain/ids';
import type { Incident } from '../domain/incident';
import { mayReopen, roleNames } from '../domain/operator';
import { findClosingCode } from '../domain/force-config';
import { plainText } from '../domain/text';
import { markStale } from '../domain/thrive';
import { conflict, missing, notBefore, reject, type CommandDefinition } from './types';
import { wallClock } from '../domain/wall-clock';
import { systemEntry } from './system-log';
import { waitingFrom } from '../dispatch/handoffs';
import { queueOf } from '../domain/dispatch-queues';

export const ReopenReason = plainText({ min: 1, max: 500, empty: 'say why it is reopened' });

export const ReopenIncidentArgs = z.object({
  incidentId: Uuid,
  reopenId: Uuid,
  reason: ReopenReason,
  /** The version of the closed incident the operator decided on. */
  incidentVersion: z.number().int().positive(),
});
export type ReopenIncidentArgs = z.infer<typeof ReopenIncidentArgs>;

/**
 * Opens a closed incident again, with a reason, by the roles the force's configuration allows (ForceConfig
 * .reopening). Contended like closing: decided on the version the operator saw, so two reopenings (or a reopening
 * racing a second closure) never both stand. What it does:
 * - the incident is open and back in the dispatcher's queue, with no unit: units cleared from it stay cleared;
 * - its attendance clock starts afresh, the grade's target counting from the reopening (as a new grading does),
 *   and stops at the next unit at scene;
 * - the risk assessment is due again (something new brought it back);
 * - the closure it undid is kept with the reopening (code, when, by whom), so a second closure with another code
 *   leaves both on the record, and the log says it all.
 */
export const reopenIncident: CommandDefinition<ReopenIncidentArgs> = {
  name: 'incident.reopen',
  args: ReopenIncidentArgs,
  reads: (args) => [{ kind: 'incident', id: args.incidentId }],
  apply(args, given, state) {
    if (!given.trusted && !mayReopen(state.get('operator', given.actor.operator), given.config.reopening)) {
      return reject('forbidden', `only a ${given.config.reopening.roles.map((role) => roleNames[role].toLowerCase()).join(' or ')} may reopen an incident`);
    }
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    // Not dated before it was closed, nor its last change: a slow desk's time would start its handoff overdue.
    const ctx = notBefore(given, incident.createdAt, incident.closedAt, incident.updatedAt);
    const target = { kind: 'incident' as const, id: incident.id };
    if (incident.status === 'open') {
      const last = incident.reopenings?.[incident.reopenings.length - 1];
      return conflict(last ? `already reopened by ${last.by}` : 'the incident is open', target);
    }
    if (incident.version !== args.incidentVersion) {
      // When, in the force's time; never the version numbers, which mean nothing to the dispatcher.
      return conflict(`the incident changed at ${wallClock(ctx.config.force.timeZone).time(incident.updatedAt)}, after you looked: look at it again before reopening it`, target);
    }
    const reopened: Incident = {
      ...incident,
      status: 'open',
      reopenings: [
        ...(incident.reopenings ?? []),
        {
          at: ctx.issuedAt,
          by: ctx.actor.operator,
          reason: args.reason,
          closingCode: incident.closingCode ?? '',
          closedAt: incident.closedAt ?? incident.updatedAt,
          closedBy: incident.closedBy ?? incident.createdBy,
          attendedAt: incident.attendedAt ?? null,
        },
      ],
      closingCode: null,
      closedAt: null,
      closedBy: null,
      gradedAt: ctx.issuedAt,
      attendedAt: null,
      // Back in its queue, waiting for a dispatcher to take it again: the untaken alert runs from now.
      queue: queueOf(ctx.config, incident),
      handoff: waitingFrom(ctx.issuedAt),
      thrive: markStale(incident.thrive, 'the incident was reopened'),
      updatedAt: ctx.issuedAt,
      version: incident.version + 1,
    };
    const code = incident.closingCode ?? '';
    const closedAs = `${findClosingCode(ctx.config, code)?.name ?? code} (${code})`;
    const entry = systemEntry(
      ctx,
      derivedId(args.reopenId, 'reopened'),
      incident.id,
      `Reopened: ${args.reason}. It had been closed as ${closedAs} by ${incident.closedBy ?? 'someone'}; the grade ${incident.grade} attendance clock starts again now`,
    );
    return {
      ok: true,
      changes: [
        { kind: 'incident', id: incident.id, doc: reopened },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
  redo: (args, state) => ({ ...args, reopenId: derivedId(args.reopenId, 'redo'), incidentVersion: state.get('incident', args.incidentId)?.version ?? args.incidentVersion }),
};

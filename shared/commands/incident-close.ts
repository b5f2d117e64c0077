import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { findClosingCode } from '../domain/force-config';
import { Uuid } from '../domain/ids';
import { reservationsOf } from '../domain/incident';
import type { AnyRecord } from '../domain/records';
import { wallClock } from '../domain/wall-clock';
import { conflict, missing, notBefore, reject, type CommandDefinition } from './types';
import { systemEntry } from './system-log';

export const CloseIncidentArgs = z.object({
  incidentId: Uuid,
  closeId: Uuid,
  closingCode: z.string().min(1),
  /** The version the operator was looking at when they closed it. */
  incidentVersion: z.number().int().positive(),
  /**
   * The reservations waiting on the incident as the operator saw it (its `reservations`): closing cancels each, so
   * the command names them to read them. One made since changed the incident's version, so the close loses anyway.
   */
  reservationIds: z.array(Uuid).max(100).default([]),
});
export type CloseIncidentArgs = z.infer<typeof CloseIncidentArgs>;

/**
 * Closing is contended: it is compared against the version the operator saw. If anyone changed the incident
 * since (a new grade, a corrected location, a unit sent or reserved), the close loses and goes to the conflict
 * inbox, because the operator decided without knowing. It deals with every assignment of the incident: units still
 * committed keep it open (clear them first); reservations for an appointment are cancelled, each with a line in
 * the log, so no unit is later sent to a job that no longer exists. A downgrade still waiting lapses, logged.
 */
export const closeIncident: CommandDefinition<CloseIncidentArgs> = {
  name: 'incident.close',
  args: CloseIncidentArgs,
  reads: (args) => [{ kind: 'incident', id: args.incidentId }, ...args.reservationIds.map((id) => ({ kind: 'assignment' as const, id }))],
  writes: (args) => ['closed', 'downgrade', ...args.reservationIds.map((id) => `reservation:${id}`)].map((label) => ({ kind: 'logEntry', id: derivedId(args.closeId, label) })),
  apply(args, given, state) {
    const closing = findClosingCode(given.config, args.closingCode);
    if (!closing) return reject('invalid', `unknown closing code "${args.closingCode}"`);
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    // Not dated before the incident's last change (a clear, a reservation, its opening): a slow desk's time.
    const ctx = notBefore(given, incident.createdAt, incident.updatedAt);
    const target = { kind: 'incident' as const, id: incident.id };
    if (incident.status === 'closed') return conflict(`already closed by ${incident.closedBy ?? 'someone'}`, target);
    if (incident.version !== args.incidentVersion) {
      // When, in the force's time; never the version numbers, which mean nothing to the dispatcher.
      return conflict(`the incident changed at ${wallClock(ctx.config.force.timeZone).time(incident.updatedAt)}, after you looked: look at it again before closing it`, target);
    }
    if (incident.activeUnits.length > 0) return conflict(`units still committed: ${incident.activeUnits.join(', ')}`, target);
    const waiting = reservationsOf(incident);
    const unseen = waiting.filter((id) => !args.reservationIds.includes(id));
    if (unseen.length > 0) return conflict(`${unseen.length === 1 ? 'a unit is' : `${unseen.length} units are`} reserved for it that the close did not name`, target);

    const wall = wallClock(ctx.config.force.timeZone);
    const entry = (id: string, text: string): AnyRecord => ({ kind: 'logEntry', id, doc: systemEntry(ctx, id, incident.id, text) });
    const changes: AnyRecord[] = [];
    for (const id of waiting) {
      const reservation = state.get('assignment', id);
      if (!reservation || reservation.status !== 'reserved') continue;
      changes.push(
        { kind: 'assignment', id, doc: { ...reservation, status: 'cleared', updatedAt: ctx.issuedAt, version: reservation.version + 1 } },
        entry(derivedId(args.closeId, `reservation:${id}`), `${reservation.unitId} reservation${reservation.reservedFor ? ` for ${wall.dateTime(reservation.reservedFor)}` : ''} cancelled: the incident is closed`),
      );
    }
    const lapsed = incident.pendingDowngrade;
    if (lapsed) changes.push(entry(derivedId(args.closeId, 'downgrade'), `Downgrade to grade ${lapsed.grade} asked by ${lapsed.requestedBy} not decided: the incident is closed`));
    changes.push(entry(derivedId(args.closeId, 'closed'), `Closed: ${closing.name} (${closing.code})`));
    changes.unshift({
      kind: 'incident',
      id: incident.id,
      doc: {
        ...incident,
        status: 'closed',
        closingCode: closing.code,
        closedAt: ctx.issuedAt,
        closedBy: ctx.actor.operator,
        reservations: [],
        reservedUnits: {},
        pendingDowngrade: null,
        updatedAt: ctx.issuedAt,
        version: incident.version + 1,
      },
    });
    return { ok: true, changes };
  },
  redo: (args, state) => {
    const incident = state.get('incident', args.incidentId);
    return {
      ...args,
      closeId: derivedId(args.closeId, 'redo'),
      incidentVersion: incident?.version ?? args.incidentVersion,
      reservationIds: incident ? [...reservationsOf(incident)] : args.reservationIds,
    };
  },
};

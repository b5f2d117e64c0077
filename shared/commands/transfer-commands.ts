import { z } from 'zod';
import { derivedId } from '../domain/derived-id';
import { ForceCode } from '../domain/force';
import { Uuid } from '../domain/ids';
import { commonPriority } from '../domain/common-priority';
import { findIncidentType, type ForceConfig } from '../domain/force-config';
import { describeLocation } from '../domain/location';
import { TransferReason, type Transfer } from '../domain/transfer';
import type { Incident } from '../domain/incident';
import type { Unit } from '../domain/unit';
import { plainText } from '../domain/text';
import { atEffect, conflict, missing, notBefore, reject, type ApplyResult, type CommandDefinition } from './types';
import { systemEntry } from './system-log';

/**
 * Offering an incident's ownership to the other force, and its answer (shared/domain/transfer.ts). The offering
 * force's dispatchers and supervisors offer and withdraw; the other force's accept or decline. Every step compares
 * and sets: the offer against the incident's version the dispatcher saw, each answer against the offer's. Accepting
 * changes only the offer here; the server moves the incident in the same transaction, if it still stands at the
 * version offered (server/commands/transfer-move.ts), since only the server holds the incident and the offer both.
 */

export const OfferTransferArgs = z.object({
  transferId: Uuid,
  incidentId: Uuid,
  /** The incident's version the dispatcher saw when offering it. */
  incidentVersion: z.number().int().positive(),
  to: ForceCode,
  reason: TransferReason,
});
export type OfferTransferArgs = z.infer<typeof OfferTransferArgs>;

/** The owning force's dispatcher offers one of its open incidents to another force, with a reason. */
export const offerTransfer: CommandDefinition<OfferTransferArgs> = {
  name: 'transfer.offer',
  args: OfferTransferArgs,
  reads: (args) => [
    { kind: 'incident', id: args.incidentId },
    { kind: 'transfer', id: args.transferId },
  ],
  apply(args, given, state) {
    const own = given.config.force.code;
    if (state.get('transfer', args.transferId)) return reject('invalid', 'this offer has been made already');
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    // Not before the incident's last change, which the offer was made on (a slow desk's time).
    const ctx = notBefore(given, incident.createdAt, incident.updatedAt);
    if (incident.force !== own) return reject('forbidden', `only ${incident.force}, the force that owns the incident, may offer it to another force`);
    if (args.to === own) return reject('invalid', `the incident is ${own}'s already: offer it to another force`);
    if (incident.status !== 'open') return conflict('the incident is closed: only an open incident is transferred', { kind: 'incident', id: incident.id });
    if (incident.version !== args.incidentVersion) return conflict('the incident changed since you looked: look at it again before offering it', { kind: 'incident', id: incident.id });
    const committed = unitsCommitted(incident, own, ownUnitsOf(ctx.config));
    if (committed) return reject('invalid', `the incident still has ${committed}: an incident moves with no unit committed to it (or keep it and ask ${args.to} for a unit)`);
    const transfer: Transfer = {
      id: args.transferId,
      force: own,
      to: args.to,
      incidentId: incident.id,
      incidentVersion: incident.version,
      incident: {
        reference: incident.reference ?? incident.provisionalReference,
        type: findIncidentType(ctx.config, incident.type)?.name ?? incident.type,
        commonPriority: commonPriority(ctx.config, incident.grade),
        location: describeLocation(incident.location),
      },
      reason: args.reason,
      status: 'offered',
      offeredAt: ctx.issuedAt,
      offeredBy: ctx.actor.operator,
      answeredAt: null,
      answeredBy: null,
      declineReason: null,
      updatedAt: ctx.issuedAt,
      version: 1,
    };
    const entry = systemEntry(ctx, derivedId(args.transferId, 'offered'), incident.id, `Offered to ${args.to} to take over: ${args.reason}`);
    return {
      ok: true,
      changes: [
        { kind: 'transfer', id: transfer.id, doc: transfer },
        { kind: 'logEntry', id: entry.id, doc: entry },
      ],
    };
  },
  redo: (args, state) => ({ ...args, transferId: derivedId(args.transferId, 'redo'), incidentVersion: state.get('incident', args.incidentId)?.version ?? args.incidentVersion }),
};

export const AcceptTransferArgs = z.object({
  transferId: Uuid,
  transferVersion: z.number().int().positive(),
  /** The incident offered (the offer's): the server reads it to move it. */
  incidentId: Uuid,
});
export type AcceptTransferArgs = z.infer<typeof AcceptTransferArgs>;

/** The force offered the incident accepts it: the server makes it theirs (server/commands/transfer-move.ts). */
export const acceptTransfer: CommandDefinition<AcceptTransferArgs> = {
  name: 'transfer.accept',
  args: AcceptTransferArgs,
  reads: (args) => [{ kind: 'transfer', id: args.transferId }],
  apply(args, given, state) {
    // At the server's time: the incident moves forces then, and the new owner's handoff clock runs from it (atEffect).
    const ctx = atEffect(given);
    const checked = offeredTo(ctx.config.force.code, state.get('transfer', args.transferId), args.transferId, args.transferVersion);
    if ('ok' in checked) return checked;
    if (checked.incidentId !== args.incidentId) return reject('invalid', 'the offer is of another incident');
    const accepted: Transfer = { ...checked, status: 'accepted', answeredAt: ctx.issuedAt, answeredBy: ctx.actor.operator, updatedAt: ctx.issuedAt, version: checked.version + 1 };
    return { ok: true, changes: [{ kind: 'transfer', id: accepted.id, doc: accepted }] };
  },
  redo: (args, state) => ({ ...args, transferVersion: state.get('transfer', args.transferId)?.version ?? args.transferVersion }),
};

export const DeclineTransferArgs = z.object({
  transferId: Uuid,
  transferVersion: z.number().int().positive(),
  reason: plainText({ min: 1, max: 300, empty: 'say why the incident is declined' }),
});
export type DeclineTransferArgs = z.infer<typeof DeclineTransferArgs>;

/** The force offered the incident declines it, with a reason; the incident stays where it was. */
export const declineTransfer: CommandDefinition<DeclineTransferArgs> = {
  name: 'transfer.decline',
  args: DeclineTransferArgs,
  reads: (args) => [{ kind: 'transfer', id: args.transferId }],
  apply(args, given, state) {
    // At the server's time: the incident moves forces then, and the new owner's handoff clock runs from it (atEffect).
    const ctx = atEffect(given);
    const checked = offeredTo(ctx.config.force.code, state.get('transfer', args.transferId), args.transferId, args.transferVersion);
    if ('ok' in checked) return checked;
    const declined: Transfer = { ...checked, status: 'declined', answeredAt: ctx.issuedAt, answeredBy: ctx.actor.operator, declineReason: args.reason, updatedAt: ctx.issuedAt, version: checked.version + 1 };
    return { ok: true, changes: [{ kind: 'transfer', id: declined.id, doc: declined }] };
  },
};

export const WithdrawTransferArgs = z.object({ transferId: Uuid, transferVersion: z.number().int().positive() });
export type WithdrawTransferArgs = z.infer<typeof WithdrawTransferArgs>;

/** The offering force takes back an offer not yet answered. */
export const withdrawTransfer: CommandDefinition<WithdrawTransferArgs> = {
  name: 'transfer.withdraw',
  args: WithdrawTransferArgs,
  reads: (args) => [{ kind: 'transfer', id: args.transferId }],
  apply(args, ctx, state) {
    const transfer = state.get('transfer', args.transferId);
    if (!transfer) return missing({ kind: 'transfer', id: args.transferId }, 'the offer');
    if (transfer.force !== ctx.config.force.code) return reject('forbidden', `only ${transfer.force}, which made the offer, may withdraw it`);
    if (transfer.version !== args.transferVersion) return conflict('the offer changed since you looked', { kind: 'transfer', id: transfer.id });
    if (transfer.status !== 'offered') return conflict(`the offer was ${transfer.status} already`, { kind: 'transfer', id: transfer.id });
    const withdrawn: Transfer = { ...transfer, status: 'withdrawn', updatedAt: ctx.issuedAt, version: transfer.version + 1 };
    return { ok: true, changes: [{ kind: 'transfer', id: withdrawn.id, doc: withdrawn }] };
  },
};

/**
 * The units committed to an incident, each named under its own force, with who must clear it, in words true from the
 * side of `force` (the incident's owner, offering it), or null for none: "DM-11 of DMO's on it (DMO clears it); NB-101,
 * of another force (a unit lent to DMO, DMO clears and hands back first; one its own force deployed under a share,
 * that force clears)". An incident moves without units: a force's units stay its own, and once the incident is
 * another force's their deployments could no longer be cleared by their dispatchers; a lent unit is the borrower's to
 * hand back, never passed on with the incident. `ownUnits`: the owner's call signs (its configuration's units).
 */
export function unitsCommitted(incident: Pick<Incident, 'activeUnits' | 'reservations' | 'reservedUnits'>, force: ForceCode, ownUnits: ReadonlySet<string>): string | null {
  const list = (ids: readonly string[]) => (ids.length === 1 ? ids[0]! : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)!}`);
  const them = (ids: readonly string[]) => (ids.length === 1 ? 'it' : 'them');
  const reservations = incident.reservations ?? [];
  const reservedUnit = (id: string) => incident.reservedUnits?.[id];
  const ownActive = incident.activeUnits.filter((unit) => ownUnits.has(unit));
  const others = incident.activeUnits.filter((unit) => !ownUnits.has(unit));
  const ownReserved = reservations.filter((id) => { const unit = reservedUnit(id); return unit === undefined || ownUnits.has(unit); });
  const othersReserved = reservations.filter((id) => !ownReserved.includes(id)).map((id) => reservedUnit(id)!);
  const words: string[] = [];
  if (ownActive.length > 0) words.push(`${list(ownActive)} of ${force}'s on it (${force} clears ${them(ownActive)})`);
  if (ownReserved.length > 0) words.push(`${ownReserved.length} reservation${ownReserved.length === 1 ? '' : 's'} of ${force}'s units (${force} cancels ${them(ownReserved)})`);
  if (others.length > 0) words.push(`${list(others)}, of another force, on it (a unit lent to ${force}: ${force} clears it and hands it back first; one its own force deployed under a share: that force clears it)`);
  if (othersReserved.length > 0) words.push(`a reservation of ${list(othersReserved)}, lent to ${force} (${force} cancels it and hands the unit back first)`);
  return words.length ? words.join('; ') : null;
}

/** A force's own units, by call sign: those of its configuration (the server brings them into service). */
export function ownUnitsOf(config: Pick<ForceConfig, 'units'>): ReadonlySet<string> {
  return new Set(config.units.map((unit) => unit.callSign));
}

/** The offer, if it was made to this force, is still waiting, and is the version the dispatcher answered. */
function offeredTo(own: string, transfer: Transfer | undefined, id: string, seenVersion: number): Transfer | Extract<ApplyResult, { ok: false }> {
  if (!transfer) return missing({ kind: 'transfer', id }, 'the offer') as Extract<ApplyResult, { ok: false }>;
  if (transfer.to !== own) return { ok: false, code: 'forbidden', reason: `the incident was offered to ${transfer.to}: only ${transfer.to} answers` };
  if (transfer.version !== seenVersion) return { ok: false, code: 'conflict', reason: 'the offer changed since you looked', target: { kind: 'transfer', id } };
  if (transfer.status !== 'offered') return { ok: false, code: 'conflict', reason: `the offer was ${transfer.status} already`, target: { kind: 'transfer', id } };
  return transfer;
}

/**
 * The units lent for the incident and not yet handed back (their documents' `loan` names it), in words true from the
 * side of `force`, the force whose step it is (offering or accepting), or null for none (issue 12 M5). An incident
 * moves with no loan open for it: a loan is between the borrower, for its own incident, and the lender; once the
 * incident is the other force's the borrower could no longer run the unit there nor hand it back through the
 * incident's log, and the new owner, if it lent the unit, would hold its own unit as lent to another force on its own
 * job. Refusing, rather than ending the loan on the way, keeps the hand-back a dispatcher's act the lender sees. A
 * request still waiting is the lender's to answer: accepting one for an incident since transferred is refused by the
 * server (server/commands/plan-command.ts lentForMovedIncident). `units`: those the server read (any force's).
 */
export function unitsOnLoanFor(incidentId: string, units: readonly (Unit | undefined)[], force: ForceCode): string | null {
  const lent = units.filter((unit): unit is Unit => !!unit?.loan && unit.loan.incidentId === incidentId);
  if (lent.length === 0) return null;
  return lent
    .map((unit) => {
      const borrower = unit.loan!.to;
      const mine = force === borrower ? `${borrower} returns it` : `${borrower} returns it or ${unit.force} takes it back`;
      return `${unit.callSign}, ${unit.force}'s, is still lent to ${borrower} for the incident (${mine} first)`;
    })
    .join('; ');
}

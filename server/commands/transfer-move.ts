import type { ParsedCommand } from '../../shared/commands/registry';
import type { StateView } from '../../shared/commands/types';
import type { AnyRecord, RecordKey } from '../../shared/domain/records';
import type { LogEntry } from '../../shared/domain/incident';
import { AcceptTransferArgs, OfferTransferArgs, ownUnitsOf, unitsCommitted, unitsOnLoanFor } from '../../shared/commands/transfer-commands';
import { commonPriority } from '../../shared/domain/common-priority';
import { derivedId } from '../../shared/domain/derived-id';
import { wallClock } from '../../shared/domain/wall-clock';
import { arrangementId, arrangementShareId } from '../../shared/domain/arrangement';
import { fixedShareIds, isActive, keptShareId, type Share } from '../../shared/domain/share';
import { describeTypeMapping, keptShare, transferredIncident, type Transfer } from '../../shared/domain/transfer';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import type { ServerRules } from './plan-command';

/** Every force the server serves (plan-command's servedForces, without importing it back). */
const served = (rules: ServerRules) => [rules.config, ...(rules.alsoServes ?? [])];

/**
 * What offering or moving an incident reads, besides what the command itself reads: the incident; every served
 * force's units (ids are call signs), to find one still lent for it (unitsOnLoanFor); and, accepting, every share of
 * it any force could have made with another (the old owner's end with the move: transferEndedShares), the kept view
 * among them. Read only by the server, outside the partition's check of the command's own reads: the accepting force
 * may not touch the offering force's incident, and does not; the server moves it because the offer and its acceptance
 * say so, and only as transferredIncident says.
 */
export function transferMoveReads(command: ParsedCommand, rules: ServerRules): RecordKey[] {
  const name = command.definition.name;
  if (name !== 'transfer.accept' && name !== 'transfer.offer') return [];
  const incidentId = name === 'transfer.accept' ? AcceptTransferArgs.parse(command.args).incidentId : OfferTransferArgs.parse(command.args).incidentId;
  const units = served(rules).flatMap((config) => config.units.map((unit) => ({ kind: 'unit' as const, id: unit.callSign })));
  if (name === 'transfer.offer') return units;
  return [{ kind: 'incident', id: incidentId }, ...units, ...sharesOfIncident(incidentId, rules).map((id) => ({ kind: 'share' as const, id }))];
}

/**
 * For a transfer's acceptance: the incident whose every share the storage reads, whatever its id
 * (CommandPlan.allSharesOf), so that a view an old owner kept under the id an older build gave it (derived from the
 * transfer that made it, not from the incident: before c507591) ends with the next transfer as one kept now does.
 */
export function transferSharesOf(command: ParsedCommand): string[] {
  return command.definition.name === 'transfer.accept' ? [AcceptTransferArgs.parse(command.args).incidentId] : [];
}

/** Every share of the incident one served force could have made with another: automatic, by hand, kept, by arrangement. */
function sharesOfIncident(incidentId: string, rules: ServerRules): string[] {
  const forces = served(rules);
  return forces.flatMap((owner) =>
    forces
      .filter((other) => other !== owner)
      .flatMap((other) => [...fixedShareIds(incidentId, other.force.code), ...owner.incidentTypes.map((type) => arrangementShareId(incidentId, arrangementId(owner.force.code, type.code, other.force.code)))]),
  ).filter((id, at, all) => all.indexOf(id) === at);
}

export type TransferMove = { ok: true; changes: AnyRecord[] } | { ok: false; code: 'conflict' | 'invalid'; reason: string; target: RecordKey };

/**
 * The incident moved by each offer this command accepts: it becomes the accepting force's (transferredIncident: its
 * grade of the new scheme, its type by common code, or the type it had here before, a queue of the new force, nobody
 * in charge), with a line in its log; its old owner keeps a view-tier share so it does not vanish from that force's
 * desk, and every share the old owner made of it ends (transferEndedShares). A conflict, moving nothing, when the
 * incident is no longer where it was offered: changed since (its version), closed, or no longer the offering force's;
 * refused, for the offer as for its acceptance, while a unit is still lent for it (unitsOnLoanFor).
 */
export function transferMoves(changes: readonly AnyRecord[], state: StateView, rules: ServerRules, envelope: CommandEnvelope): TransferMove {
  const made: AnyRecord[] = [];
  const unitsRead = () => served(rules).flatMap((config) => config.units.map((unit) => state.get('unit', unit.callSign)));
  for (const change of changes) {
    if (change.kind !== 'transfer') continue;
    const transfer: Transfer = change.doc;
    const target = { kind: 'transfer' as const, id: transfer.id };
    if (transfer.status === 'offered' && !state.get('transfer', change.id)) {
      const lent = unitsOnLoanFor(transfer.incidentId, unitsRead(), transfer.force);
      if (lent) return { ok: false, code: 'invalid', reason: `${lent}: an incident moves with no unit on loan for it`, target };
      continue;
    }
    if (transfer.status !== 'accepted' || state.get('transfer', change.id)?.status === 'accepted') continue;
    // The conflict is on the offer, which the accepting force may see; never the incident, which it may not yet.
    const incident = state.get('incident', transfer.incidentId);
    if (!incident) return { ok: false, code: 'conflict', reason: 'the incident offered does not exist', target };
    if (incident.force !== transfer.force) return { ok: false, code: 'conflict', reason: `the incident is no longer ${transfer.force}'s to give`, target };
    if (incident.status !== 'open') return { ok: false, code: 'conflict', reason: `the incident was closed since ${transfer.force} offered it: nothing moved`, target };
    // Implied by the version (a deployment changes the incident), and said in words all the same.
    // Named from the accepting force's side: the units are whose they are, the offering force's or another's.
    const from = served(rules).find((config) => config.force.code === transfer.force);
    const committed = unitsCommitted(incident, transfer.force, from ? ownUnitsOf(from) : new Set());
    if (committed) return { ok: false, code: 'conflict', reason: `units have been committed to the incident since ${transfer.force} offered it: ${committed}; nothing moved`, target };
    // A unit cleared from the incident but not handed back changes nothing of the incident: looked for on the units.
    const lent = unitsOnLoanFor(incident.id, unitsRead(), rules.config.force.code);
    if (lent) return { ok: false, code: 'conflict', reason: `${lent}: nothing moved; ${transfer.force} may offer it again once the loan has ended`, target };
    if (incident.version !== transfer.incidentVersion) {
      // When, in the accepting force's time; never the version numbers, which mean nothing to its dispatcher.
      const at = wallClock(rules.config.force.timeZone).time(incident.updatedAt);
      return { ok: false, code: 'conflict', reason: `the incident changed at ${at}, after ${transfer.force} offered it: nothing moved; ${transfer.force} may offer it again`, target };
    }
    const to = rules.config;
    const priority = from ? commonPriority(from, incident.grade) : null;
    // When the acceptance took effect, the server's time (transfer.accept: atEffect), not the accepting desk's: the
    // new owner's handoff clock runs from it, and a slow desk's time would start it already overdue.
    const at = transfer.answeredAt ?? envelope.issuedAt;
    const { incident: moved, type } = transferredIncident(incident, from, to, priority, at, envelope.operator);
    // The shares under the ids the rules derive, and any other the storage found of the incident (an older build's kept view).
    const shareIds = [...new Set([...sharesOfIncident(incident.id, rules), ...(state.shareIdsOf?.(incident.id) ?? [])])];
    const ended = transferEndedShares(shareIds.map((id) => state.get('share', id)), transfer, { operator: envelope.operator, issuedAt: at });
    // Its own event in the log: the creation line, createdBy and createdAtWorkstation stay whose they were.
    const line: LogEntry = {
      id: derivedId(transfer.id, 'accepted'),
      force: to.force.code,
      incidentId: incident.id,
      kind: 'system',
      text: `Ownership transferred from ${transfer.force} to ${to.force.code}, offered by ${transfer.offeredBy} (${transfer.reason}) and accepted by ${envelope.operator}: ${transfer.force} grade ${incident.grade} is ${to.force.code} grade ${moved.grade} (common priority ${priority ?? 'unknown'}); ${describeTypeMapping(type, transfer.force, to.force.code)}; queue ${moved.queue?.force}/${moved.queue?.area}; ${transfer.force} keeps a view of it${ended.length > 0 ? `; ${transfer.force}'s shares of it end (with ${[...new Set(ended.map((share) => share.sharedWith))].join(', ')})` : ''}`,
      author: envelope.operator,
      workstation: envelope.workstation,
      at,
      // Nothing of the caller in it: another force assisting reads it as written (share-cut.ts logEntryCut).
      sharedText: null,
    };
    const kept = state.get('share', keptShareId(incident.id, transfer.force));
    const share = keptShare(transfer, envelope.operator, at, kept);
    made.push({ kind: 'incident', id: moved.id, doc: moved }, { kind: 'logEntry', id: line.id, doc: line });
    for (const doc of ended) made.push({ kind: 'share', id: doc.id, doc });
    if (!kept || !isActive(kept) || kept.force !== share.force) made.push({ kind: 'share', id: share.id, doc: share });
  }
  return { ok: true, changes: made };
}

/**
 * The shares the incident's old owner made of it, active until now, ended by the transfer (issue 12 M8): once the
 * incident is another force's, what its old owner shared shares nothing, and left active a share would come back to
 * life, as if never ended, when the incident came home (DMO → NBR → DMO revived DMO's share with NBR). Each is revoked
 * in the accepting command's name with the transfer's id (`byTransfer`), so nobody takes it for a dispatcher's
 * decision (revokedByHand). The former owner's view of the incident is then what the new owner shares, its kept view
 * first. Pure.
 */
export function transferEndedShares(shares: readonly (Share | undefined)[], transfer: Transfer, envelope: Pick<CommandEnvelope, 'operator' | 'issuedAt'>): Share[] {
  return shares
    .filter((share): share is Share => !!share && share.force === transfer.force && share.incidentId === transfer.incidentId && isActive(share))
    .map((share) => ({
      ...share,
      revoked: { at: envelope.issuedAt, by: envelope.operator, reason: `ended: ${transfer.force} transferred the incident to ${transfer.to}`, byTransfer: transfer.id },
      version: share.version + 1,
    }));
}

import type { ParsedCommand } from '../../shared/commands/registry';
import type { StateView } from '../../shared/commands/types';
import type { AnyRecord, RecordKey } from '../../shared/domain/records';
import type { LogEntry } from '../../shared/domain/incident';
import { AcceptTransferArgs, ownUnitsOf, unitsCommitted } from '../../shared/commands/transfer-commands';
import { commonPriority } from '../../shared/domain/common-priority';
import { derivedId } from '../../shared/domain/derived-id';
import { wallClock } from '../../shared/domain/wall-clock';
import { describeTypeMapping, keptShare, transferredIncident, type Transfer } from '../../shared/domain/transfer';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import type { ServerRules } from './plan-command';

/**
 * What moving an accepted incident reads, besides the offer the command itself reads: the incident, and the share
 * its old owner keeps. Read only by the server, outside the partition's check of the command's own reads: the
 * accepting force may not touch the offering force's incident, and does not; the server moves it because the offer
 * and its acceptance say so, and only as transferredIncident says.
 */
export function transferMoveReads(command: ParsedCommand): RecordKey[] {
  if (command.definition.name !== 'transfer.accept') return [];
  const args = AcceptTransferArgs.parse(command.args);
  return [
    { kind: 'incident', id: args.incidentId },
    { kind: 'share', id: derivedId(args.transferId, 'kept-share') },
  ];
}

export type TransferMove = { ok: true; changes: AnyRecord[] } | { ok: false; reason: string; target: RecordKey };

/**
 * The incident moved by each offer this command accepts: it becomes the accepting force's (transferredIncident: its
 * grade of the new scheme, its type by common code, a queue of the new force, nobody in charge), with a line in its log, and its old owner
 * keeps a view-tier share so it does not vanish from that force's desk. A conflict, moving nothing, when the incident
 * is no longer where it was offered: changed since (its version), closed, or no longer the offering force's.
 */
export function transferMoves(changes: readonly AnyRecord[], state: StateView, rules: ServerRules, envelope: CommandEnvelope): TransferMove {
  const made: AnyRecord[] = [];
  for (const change of changes) {
    if (change.kind !== 'transfer' || change.doc.status !== 'accepted' || state.get('transfer', change.id)?.status === 'accepted') continue;
    const transfer: Transfer = change.doc;
    // The conflict is on the offer, which the accepting force may see; never the incident, which it may not yet.
    const target = { kind: 'transfer' as const, id: transfer.id };
    const incident = state.get('incident', transfer.incidentId);
    if (!incident) return { ok: false, reason: 'the incident offered does not exist', target };
    if (incident.force !== transfer.force) return { ok: false, reason: `the incident is no longer ${transfer.force}'s to give`, target };
    if (incident.status !== 'open') return { ok: false, reason: `the incident was closed since ${transfer.force} offered it: nothing moved`, target };
    // Implied by the version (a deployment changes the incident), and said in words all the same.
    // Named from the accepting force's side: the units are whose they are, the offering force's or another's.
    const from = [rules.config, ...(rules.alsoServes ?? [])].find((config) => config.force.code === transfer.force);
    const committed = unitsCommitted(incident, transfer.force, from ? ownUnitsOf(from) : new Set());
    if (committed) return { ok: false, reason: `units have been committed to the incident since ${transfer.force} offered it: ${committed}; nothing moved`, target };
    if (incident.version !== transfer.incidentVersion) {
      // When, in the accepting force's time; never the version numbers, which mean nothing to its dispatcher.
      const at = wallClock(rules.config.force.timeZone).time(incident.updatedAt);
      return { ok: false, reason: `the incident changed at ${at}, after ${transfer.force} offered it: nothing moved; ${transfer.force} may offer it again`, target };
    }
    const to = rules.config;
    const priority = from ? commonPriority(from, incident.grade) : null;
    const { incident: moved, type } = transferredIncident(incident, from, to, priority, envelope.issuedAt);
    // Its own event in the log: the creation line, createdBy and createdAtWorkstation stay whose they were.
    const line: LogEntry = {
      id: derivedId(transfer.id, 'accepted'),
      force: to.force.code,
      incidentId: incident.id,
      kind: 'system',
      text: `Ownership transferred from ${transfer.force} to ${to.force.code}, offered by ${transfer.offeredBy} (${transfer.reason}) and accepted by ${envelope.operator}: ${transfer.force} grade ${incident.grade} is ${to.force.code} grade ${moved.grade} (common priority ${priority ?? 'unknown'}); ${describeTypeMapping(type, transfer.force, to.force.code)}; queue ${moved.queue?.force}/${moved.queue?.area}; ${transfer.force} keeps a view of it`,
      author: envelope.operator,
      workstation: envelope.workstation,
      at: envelope.issuedAt,
      // Nothing of the caller in it: another force assisting reads it as written (share-cut.ts logEntryCut).
      sharedText: null,
    };
    const share = keptShare(transfer, envelope.operator, envelope.issuedAt);
    made.push({ kind: 'incident', id: moved.id, doc: moved }, { kind: 'logEntry', id: line.id, doc: line });
    if (!state.get('share', share.id)) made.push({ kind: 'share', id: share.id, doc: share });
  }
  return { ok: true, changes: made };
}

import type { AnyRecord, RecordKey } from './records';
import { commitsUnit, type Assignment } from './assignment';
import type { ForceCode } from './force';
import { isActive, SHARE_OWNER_COMMANDS, sharePassedOnRefusal, type Share } from './share';
import type { Unit } from './unit';
import { mayChange, ownerOf, refusalToChange, type SharePolicy } from './partition';
import { wallClock } from './wall-clock';

/**
 * What a force holding another force's incident through a share may write to it. Pure, so the server (which
 * enforces it: server/commands/plan-command.ts) and the tests ask the same rule.
 *
 * - At the view tier: nothing. Every command that reads the incident (or its log, or its deployments) to write is
 *   refused, with the tier named.
 * - At the assist tier: the commands in ASSIST_COMMANDS, and of what they write only: a new log entry on the incident,
 *   a deployment of the force's own unit on it (made, its status moved, its terminal's receipts), and, on the
 *   incident itself, the fields a deployment moves (ASSIST_INCIDENT_FIELDS: its units attending, when the first
 *   arrived). Never its grade, type, location, description or closing; never its calls, warning markers or tasks
 *   (which the holder never sees); never the owner's units. What the holder writes is the incident's record, so it
 *   belongs to the owning force (the rules write it so: a log entry's `byForce` says who wrote it), and stays with
 *   it when the share is revoked or cut to view, after which the holder may write nothing more.
 */

/**
 * The commands the assist tier allows on the incident held: write in its log, deploy its own units (or back-enter
 * one sent by radio while the system was down, from its paper record) and run them (move their statuses, relay their
 * terminals' receipts, raise the receipt alarm of one its crew has not accepted in time, confirm a deployment by
 * radio, answer a terminal's late rejection: the owner's desk may do none of these for them,
 * shared/domain/assignment.ts deploymentRunBy).
 */
export const ASSIST_COMMANDS: ReadonlySet<string> = new Set(['incident.addLog', 'unit.assign', 'assignment.record', 'assignment.setStatus', 'assignment.receipt', 'assignment.receiptOverdue', 'assignment.confirmByRadio', 'assignment.answerLateRejection']);

/** The incident's fields a deployment moves: the only ones an assisting force's command may change. */
export const ASSIST_INCIDENT_FIELDS: ReadonlySet<string> = new Set(['activeUnits', 'attendedAt', 'updatedAt', 'version']);

/** What one command of `force` is: its name, and the policy of the shares as they stand in its transaction. */
export interface WriteCheck {
  force: ForceCode;
  command: string;
  policy: SharePolicy;
  /** The force's time zone, for the times a refusal names (a loan's end); UTC where none is given. */
  timeZone?: string;
  /**
   * Shares of the incidents the command reads that were made with this force and revoked since (the server reads them
   * with the rest): a refusal on such an incident says its owner revoked the share, and when, not only that it is not
   * shared. Absent: none known.
   */
  revoked?: readonly Share[];
}

/**
 * Why the command may not read this record (to write on it), or null when it may: the force's own; one a policy lets
 * it change (a unit lent to it); or one it holds at the assist tier, for a command the tier allows.
 */
export function refusalToRead(check: WriteCheck, record: AnyRecord): string | null {
  const plain = refusalToChange(check.force, record, check.policy);
  if (!plain) return null;
  // A unit lent to the force and since taken back or returned: said so, whatever it has become since.
  const lent = loanEndedRefusal(check, record);
  if (lent) return lent;
  const grant = check.policy.grant(check.force, record);
  if (!grant) {
    const moved = transferredAway(check, record);
    if (moved) return `${moved}, and not shared with ${check.force}: ${check.force} may not change it`;
    return shareRevokedRefusal(check, record) ?? plain;
  }
  // Sharing it on, or revoking a share of it, is refused as the owner's to do, whatever the tier.
  if ((record.kind === 'incident' || record.kind === 'share') && SHARE_OWNER_COMMANDS.has(check.command)) return sharePassedOnRefusal(check.force, ownerOf(record) ?? 'another force');
  // A share itself, held by the force it names, is the owner's alone to change.
  if (record.kind === 'share') return plain;
  if (grant.assist && ASSIST_COMMANDS.has(check.command) && !othersDeployment(check.force, record)) return closedToAssist(check, record);
  return heldRefusal(check, record, grant.assist ?? false);
}

/**
 * The assist tier is for working the incident with its owner: once the owner has closed it, the assisting force may
 * no longer write in its log, a line or a paper deployment's times (its owner's own people still may: a result or a note for the record after closure is
 * ordinary control-room practice). Deploying a unit or moving one on a closed incident is the rules' to refuse (a
 * conflict: shared/commands/incident-lifecycle.ts closedConflict), as for the owner; clearing its own unit from it
 * stays allowed, so no unit is left committed to a closed job. Null when the command may go on.
 */
function closedToAssist(check: WriteCheck, record: AnyRecord): string | null {
  if (record.kind !== 'incident' || record.doc.status !== 'closed' || !LOG_WRITING_COMMANDS.has(check.command)) return null;
  const owner = ownerOf(record) ?? 'another force';
  const what = check.command === 'assignment.record' ? 'a deployment kept on paper' : 'the line';
  return `${owner} has closed the incident: ${check.force}, assisting, may no longer write in its log (${owner}'s control room may add ${what}, or reopen the incident)`;
}

/** The assist tier's commands that write the incident's log as their purpose: a line, or a paper deployment's times. */
const LOG_WRITING_COMMANDS: ReadonlySet<string> = new Set(['incident.addLog', 'assignment.record']);

/**
 * Why the command may not write this change, given the record as it stood (`before`, null for a new one), or null
 * when it may: what it could read and write by the partition, or, at the assist tier, a new log entry of the
 * incident's owner on it, its own unit's deployment (of the owner's incident), and the incident in the fields a
 * deployment moves only.
 */
export function refusalToWrite(check: WriteCheck, change: AnyRecord, before: AnyRecord | null): string | null {
  const plain = refusalToChange(check.force, change, check.policy);
  if (!plain) return null;
  const lent = loanEndedRefusal(check, before ?? change);
  if (lent) return lent;
  const grant = check.policy.grant(check.force, change);
  if (!grant?.assist || !ASSIST_COMMANDS.has(check.command)) return grant ? heldRefusal(check, change, grant.assist ?? false) : plain;
  if (before && ownerOf(before) !== ownerOf(change)) return plain;
  switch (change.kind) {
    case 'logEntry':
      // Append-only: a line written, never one changed.
      return before ? heldRefusal(check, change, true) : null;
    case 'assignment':
      // Its own unit lent to the owner is the owner's to run, assisting or not (the borrower deployed it).
      if (change.doc.lent === true || (before?.kind === 'assignment' && before.doc.lent === true)) return heldRefusal(check, change, false);
      return othersDeployment(check.force, change) ? heldRefusal(check, change, true) : null;
    case 'incident': {
      const changed = before ? changedFields(before.doc as object, change.doc) : Object.keys(change.doc);
      const barred = changed.filter((field) => !ASSIST_INCIDENT_FIELDS.has(field));
      return barred.length === 0 ? null : `${heldRefusal(check, change, true)} (it would change ${barred.join(', ')})`;
    }
    default:
      return heldRefusal(check, change, true);
  }
}

/**
 * Why the changes a command's rules made may not be written, or null: the first change to a record not the force's
 * own that the partition and the assist tier refuse (refusalToWrite), given the record as it stood (`before`: its
 * document, undefined or null for none). A record the force may change whole (its own, a unit lent to it) passes.
 * The one check the server (server/commands/plan-command.ts, deciding) and the workstation (main/sync/issue-command.ts,
 * refusing at once, online or offline, in the same words) both make of what a command writes.
 */
export function strayedWrite(check: WriteCheck, changes: readonly AnyRecord[], before: (key: RecordKey) => unknown): string | null {
  for (const change of changes) {
    if (!refusalToChange(check.force, change, check.policy)) continue;
    const doc = before({ kind: change.kind, id: change.id });
    const was = doc === undefined || doc === null ? null : ({ kind: change.kind, id: change.id, doc } as AnyRecord);
    const problem = refusalToWrite(check, change, was);
    if (!problem) continue;
    if (was && ownerOf(was) === ownerOf(change) && mayChange(check.force, was, check.policy)) continue;
    return problem;
  }
  return null;
}

/**
 * Why the force may not change a record of an incident whose owner shared it with the force and revoked that share
 * since, in words: "DMO revoked its share of the incident with NBR at 10:42 GMT: NBR may not change it" (the latest
 * revocation, in the force's time zone); null when no revoked share of its incident is known (WriteCheck.revoked). A
 * command made offline before the revocation, or on a desk not yet told, says what happened, not only "not shared".
 */
function shareRevokedRefusal(check: WriteCheck, record: AnyRecord): string | null {
  const incidentId = record.kind === 'incident' ? record.id : (record.doc as { incidentId?: unknown }).incidentId;
  if (typeof incidentId !== 'string') return null;
  const ended = (check.revoked ?? [])
    .filter((share) => share.incidentId === incidentId && share.sharedWith === check.force && share.revoked !== null)
    .sort((a, b) => Date.parse(b.revoked!.at) - Date.parse(a.revoked!.at))[0];
  if (!ended) return null;
  return `${ended.force} revoked its share of the incident with ${check.force} at ${wallClock(check.timeZone ?? 'UTC').timeZoned(ended.revoked!.at)}: ${check.force} may not change it`;
}

/**
 * An incident the force owned and transferred since, in words: "DMO transferred the incident to NBR at 10:42 GMT
 * (accepted by quinn): it is NBR's now", from the latest handover away from the force (Incident.handovers), in the
 * force's time zone; null for any other record, or an incident the force never gave up. A former owner's command
 * refused after the transfer (made offline before it heard, or on a desk not yet told) says what happened, not a
 * generic "may not" about a share it never asked for.
 */
function transferredAway(check: WriteCheck, record: AnyRecord): string | null {
  if (record.kind !== 'incident' || record.doc.force === check.force) return null;
  const handover = [...(record.doc.handovers ?? [])].reverse().find((h) => h.from === check.force);
  if (!handover) return null;
  const at = wallClock(check.timeZone ?? 'UTC').timeZoned(handover.at);
  return `${check.force} transferred the incident to ${handover.to} at ${at} (accepted by ${handover.acceptedBy}): it is ${record.doc.force}'s now`;
}

/**
 * Why the force may not move another force's unit that was lent to it and is no longer (issue 12 M4: the refusal of a
 * borrower's status change, made offline after the lender took the unit back, said the incident, the borrower's own,
 * was shared with it to view only): "NB-101 was taken back by NBR at 10:42; it is no longer DMO's to move". Null for
 * any other record. The lender's unit, the lender's words: nothing of the incident's share comes into it.
 */
function loanEndedRefusal(check: WriteCheck, record: AnyRecord): string | null {
  if (record.kind !== 'unit' || record.doc.force === check.force) return null;
  const ended = record.doc.loanEnded;
  if (!ended || ended.to !== check.force || record.doc.loan) return null;
  const owner = record.doc.force;
  const when = ended.at ? ` at ${wallClock(check.timeZone ?? 'UTC').timeZoned(ended.at)}` : '';
  const how = ended.how === 'returned' ? `was returned to ${owner}${when}` : `was taken back by ${owner}${when}`;
  return `${record.doc.callSign} ${how}; it is no longer ${check.force}'s to move`;
}

/** A deployment of a unit not the force's own: the owner runs its units (and those lent to it), never the holder. */
function othersDeployment(force: ForceCode, record: AnyRecord): boolean {
  return record.kind === 'assignment' && record.doc.unitForce !== force;
}

/** The fields whose values differ between two documents (either side's keys). */
function changedFields(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]));
}

/**
 * The refusal for a record held through a share, naming the tier and what it allows; never what the record says. A
 * deployment of the force's own unit lent to the owner is shown to it by the loan, not a share (the incident may be
 * shared with it at no tier): said so, and who runs the unit until it is returned.
 */
function heldRefusal(check: WriteCheck, record: AnyRecord, assist: boolean): string {
  const force = check.force;
  const owner = ownerOf(record) ?? 'another force';
  const moved = transferredAway(check, record);
  if (moved) {
    const held = assist ? `${owner} shares it with ${force} at the assist tier: ${force} may write in its log and deploy and run its own units there, not change the incident` : `${force} holds it to view only, and may not write to it`;
    return `${moved}; ${held}`;
  }
  if (record.kind === 'assignment' && record.doc.unitForce === force && (record.doc.lent === true || !assist)) {
    return `${record.doc.unitId} is lent to ${owner}, which runs it on ${owner}'s incident until it is returned: ${force} sees its deployment there, and may not change it`;
  }
  return assist
    ? `${owner} has shared the incident with ${force} at the assist tier: ${force} may write in its log and deploy and run its own units there, not change the incident, its calls, markers or tasks, or ${owner}'s units`
    : `${owner} has shared the incident with ${force} to view only: ${force} may not write to it`;
}

/**
 * The units of the force holding the share still deployed on the incident (unit ids, which are call signs). A share
 * is not revoked or cut to view while there are any: the holder could then no longer move or clear them, and the
 * owner does not run another force's units, so they would stay committed to a job their force cannot see. The
 * holder clears them first (the desk and the console core say so, and the server refuses it: assistEndProblem).
 * A unit the holder lent to the owner is not among them: the owner deployed it and runs it (the loan, not the
 * share, is what lets it), so the share may end with it there.
 */
export function holderUnitsDeployed(assignments: readonly Pick<Assignment, 'unitId' | 'unitForce' | 'status' | 'lent'>[], holder: ForceCode): string[] {
  return assignments.filter((assignment) => assignment.unitForce === holder && !assignment.lent && commitsUnit(assignment.status)).map((assignment) => assignment.unitId);
}

/** Why an assist share may not be ended (`doing`: 'revoked' or 'cut to view') with `units` of the holder still deployed; null if none are. */
export function assistEndRefusal(holder: ForceCode, units: readonly string[], doing: 'revoked' | 'cut to view'): string | null {
  return units.length === 0 ? null : `${units.join(', ')} of ${holder} still deployed on the incident: ${holder} clears its units before the share is ${doing}`;
}

/**
 * The same rule as the server checks it, on a change to a share: `was` the share before, `now` after, `committed`
 * the units committed to its incident now (the incident's activeUnits, read by the server). Why the change may not
 * be made (an assist share revoked or cut to view with units of the holder committed there), or null.
 */
export function assistEndProblem(was: Share | undefined, now: Share, committed: readonly Pick<Unit, 'id' | 'force' | 'commitment' | 'loan'>[]): string | null {
  if (!was || !isActive(was) || was.tier !== 'assist' || (isActive(now) && now.tier === 'assist')) return null;
  // A unit lent to the owner is the owner's to run there (holderUnitsDeployed).
  const holders = committed.filter((unit) => unit.force === was.sharedWith && unit.commitment?.incidentId === was.incidentId && unit.loan?.to !== was.force).map((unit) => unit.id);
  return assistEndRefusal(was.sharedWith, holders, isActive(now) ? 'cut to view' : 'revoked');
}

import { applyCommand, parseCommand, readsOf, type ParsedCommand } from '../../shared/commands/registry';
import { erasedMeanwhile, possiblyNamed, type ErasureSeen } from '../../shared/domain/erasure';
import { cutNamesOf, unservedForceProblem } from './served-forces';
import { notBefore, type ApplyContext, type ApplyResult, type RejectionCode, type StateView } from '../../shared/commands/types';
import { checkRedo, redoReads } from '../../shared/commands/refusal-handle';
import { Conflict, followedOn } from '../../shared/domain/conflict';
import { Refusal, refusalFollowedOn, type RefusalCode } from '../../shared/domain/refusal';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { AnyRecord, RecordKey } from '../../shared/domain/records';
import type { ForceCode } from '../../shared/domain/force';
import { ownerOf, refusalToChange, visibleTo, type SharePolicy } from '../../shared/domain/partition';
import { serverSharePolicy } from '../share-policy';
import { assistEndProblem, refusalToRead, strayedWrite, type WriteCheck } from '../../shared/domain/assist-writes';
import { commandPolicy } from '../../shared/domain/command-policy';
import { fixedShareIds, isActive, type Share } from '../../shared/domain/share';
import { forceReference, referenceDay, TRAINING_REFERENCE_PREFIX } from '../../shared/domain/reference';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import type { CommandPlan, Decision, Holding } from '../storage/storage';
import type { ForceArea } from '../../shared/area/force-areas';
import { automaticShare, automaticShareTargets } from '../../shared/domain/automatic-sharing';
import { derivedId } from '../../shared/domain/derived-id';
import type { LogEntry } from '../../shared/domain/incident';
import { arrangementShareReads, arrangementShares, handRevocation, ownSharesWith } from './arrangement-shares';
import { arrangementId, arrangementShareId } from '../../shared/domain/arrangement';
import { transferMoveReads, transferMoves, transferSharesOf } from './transfer-move';
import { onServerTime } from './exercise-time';
import { latestInstant } from '../../shared/domain/time';
import { takeBackReads, takeBackStandDown, type TakeBackLoanArgs } from '../../shared/commands/loan-take-back';
import { recordConsulted } from '../../shared/commands/record-consulted';
import { commandWords } from '../../shared/commands/command-words';
import { nameTakenWords } from '../../shared/commands/operator-accounts';
import { everHeld, neverHeld, consultationReads, consultationThenReads } from './consultation-check';
import { automaticProblem, madeAutomatically, SYSTEM_AUTHOR } from '../../shared/domain/automatic';
import { commonPriorityIn } from '../../shared/domain/common-priority';
import type { Loan } from '../../shared/domain/loan';
import { wallClock } from '../../shared/domain/wall-clock';

/**
 * The rules a server decides by. `config` is a force's configuration: the one a command is decided with is its
 * workstation's force's (see rulesOfForce), whose time zone decides reference days (the force's midnight) and whose
 * grades, types and codes the command is held to. A server of several forces lists the others in `alsoServes`.
 */
export interface ServerRules {
  config: ForceConfig;
  /** The other forces this server serves on the same platform, each with its own rules; none for a one-force server. */
  alsoServes?: readonly ForceConfig[];
  now(): number;
  /** A training server's: its force references begin TRAINING_REFERENCE_PREFIX, so no exercise's is read for a live one. */
  training?: boolean;
  /** The forces' areas (the area's force boundaries): where incidents are shared across the border automatically. */
  forceAreas?: readonly ForceArea[];
}

/** Every force the server serves, in the order it was given them. */
export function servedForces(rules: ServerRules): ForceConfig[] {
  return [rules.config, ...(rules.alsoServes ?? [])];
}

/**
 * The rules for one served force: that force's configuration, the rest as the server's (its clock, training). Null for a force the server does not
 * serve, or none (a workstation or account of no force), which may then do nothing.
 */
export function rulesOfForce(rules: ServerRules, force: ForceCode | null | undefined): ServerRules | null {
  if (!force) return null;
  const served = servedForces(rules);
  const config = served.find((candidate) => candidate.force.code === force);
  // Everything else the server's rules say (its clock, whether it is a training server) holds for every force alike.
  return config ? { ...rules, config, alsoServes: served.filter((other) => other !== config) } : null;
}

/** A plan that refuses without looking at anything: for commands turned away before the rules (a bad ticket, unreadable). */
export function refusalPlan(code: RefusalCode, reason: string, record: AnyRecord | null): CommandPlan {
  const decision: Decision = { status: 'rejected', code, reason, changes: record ? [record] : [] };
  return { reads: [], force: null, decide: () => decision };
}

/**
 * The server's authoritative handling of one command: the same pure rules the workstation ran, against the
 * server's records, plus what only the server may do: give a new incident its force reference, and turn a refusal
 * into a record the room sees: a lost race into a conflict for the operator's and supervisors' inbox, any other
 * refusal into a refusal record that waits until someone handles it.
 */
export function planCommand(sent: CommandEnvelope, rules: ServerRules, options: { trusted?: boolean } = {}): CommandPlan {
  // A training server's exercise clock judges the time (server/commands/exercise-time.ts).
  // One reading of the server's clock judges the command: the time it is taken at, if the desk's was ahead, is the
  // time it is recorded at.
  const nowMs = rules.now();
  const { envelope, deskIssuedAt } = onServerTime(sent, { now: () => nowMs }, options.trusted ?? false);
  const parsed = parseCommand(envelope.name, envelope.args);
  // Arguments that do not parse are kept as sent (the refusal must say what came), unless they name an erased
  // record: every id in them, read as text, is checked for one (possiblyNamed).
  // The plans refused here carry the workstation's force too: the storage keeps the arguments of a force that never
  // held an erased record they name, as for an id it never had (CommandPlan.named).
  const asking = rules.config.force.code;
  if (!parsed.ok) return { ...refusalPlan('invalid', parsed.reason, refusalRecord(envelope, 'invalid', parsed.reason, rules)), force: asking, named: possiblyNamed(envelope.args) };
  // Refused before the rules read anything: the records its arguments name, for the storage's check of an erased one
  // (worked out only for such a refusal, not for every command).
  const named = () => readsOf(parsed.command, envelope.operator);
  const disowned = automaticProblem(envelope);
  if (disowned) return { ...refusalPlan('invalid', disowned, refusalRecord(envelope, 'invalid', disowned, rules)), force: asking, named: named() };
  const unserved = unservedForceProblem(envelope.name, envelope.args, rules);
  if (unserved) return { ...refusalPlan('invalid', unserved, refusalRecord(envelope, 'invalid', unserved, rules)), force: asking, named: named() };
  const planned = { ...contextOf(envelope, rules, options.trusted ?? false, nowMs), ...(deskIssuedAt ? { deskIssuedAt } : {}) };
  const reads = readsOf(parsed.command, envelope.operator, envelope.redoOf);
  const force = rules.config.force.code;
  const automatic = automaticShareReads(reads, rules);
  // Read by the server alone, beside what the command reads: standing arrangements, an accepted offer's incident, a
  // taken-back unit's deployment, and the shares of the incidents it reads (each key once).
  const arranged = arrangementShareReads(reads, rules);
  const moving = transferMoveReads(parsed.command, rules);
  const everyShareOf = transferSharesOf(parsed.command);
  const standDown = standDownReads(parsed.command);
  const shares = sharesRead(reads, rules);
  const ending = shareEndReads(parsed.command);
  // A consultation's records, read to check that the looking force could have seen them (consultation-check.ts).
  const looked = envelope.name === recordConsulted.name ? consultationReads(envelope) : [];
  // The conflict or refusal of the command this one follows (CommandEnvelope.follows), if that one lost or was
  // refused: see refusedWithLeader.
  const leader: RecordKey[] = (envelope.follows ?? []).flatMap((id) => [
    { kind: 'conflict' as const, id },
    { kind: 'refusal' as const, id },
  ]);
  const lending = lentIncidentReads(parsed.command);
  const thenReads = looked.length > 0 ? (state: StateView) => consultationThenReads(looked, state, rules) : (ending ?? lending);
  return {
    ...(thenReads ? { thenReads } : {}),
    reads: [...reads, ...[...automatic, ...arranged, ...moving, ...standDown, ...shares, ...looked, ...leader].filter((key, at, all) => !reads.some((own) => own.id === key.id && own.kind === key.kind) && all.findIndex((other) => other.id === key.id && other.kind === key.kind) === at)],
    writes: parsed.command.definition.writes?.(parsed.command.args) ?? [],
    force,
    ...(everyShareOf.length > 0 ? { allSharesOf: everyShareOf } : {}),
    erased: (decision, erasures) => inErasedWords(decision, erasures, envelope.commandId, rules),
    decide(state, nextSerial, holding) {
      // The shares of the incidents it reads, as they stand in this transaction: a write racing a revocation is
      // decided by the revocation if it came first (shared/domain/assist-writes.ts).
      const check: WriteCheck = { force, command: envelope.name, policy: policyOfShares(shares, state, rules), timeZone: rules.config.force.timeZone, revoked: revokedShares(shares, state, force) };
      // The partition first: a command that would read or change another force's record is refused in words, before
      // the rules see it, so nothing of that record shapes what is decided (shared/domain/partition.ts).
      // Another force's record the command's force cannot see at all is, to the rules, a record that is not there: the
      // command is refused as for an id the server never had (its words, its code, the conflict it leaves), so a
      // crafted push never learns that an id is another force's record (hiddenReads).
      const hidden = hiddenReads(check, reads, state, rules, envelope.operator);
      const seen: StateView = hidden.size === 0 ? state : { get: (kind, id) => (hidden.has(`${kind}:${id}`) ? undefined : state.get(kind, id)) };
      const trespass = partitionProblem(check, reads.filter((key) => !hidden.has(`${key.kind}:${key.id}`)), state);
      if (trespass) {
        // A status press on a deployment whose making was refused for the same share is shown with that refusal.
        // A redo refused here passes its refusal on, as one refused by the rules does (redoneAnyway).
        const keptOn = refusedWithLeader(envelope, trespass, reads, seen, state, force);
        if (keptOn) return { status: 'rejected', code: 'conflict', reason: keptOn.reason, changes: [keptOn.leader, ...redoneAnyway(planned, state)] };
        return { status: 'rejected', code: 'forbidden', reason: trespass, changes: [refusalRecord(envelope, 'forbidden', trespass, rules), ...redoneAnyway(planned, state)] };
      }
      // A look at another force's record it never held is logged as a look at a record unknown here: in the looking
      // force's log only, never the owner's (consultation-check.ts), as a look at an id the server never had is.
      const unseen = neverHeld(looked, state, rules);
      // A force writing to another's incident through a share does so from when it was shared at the earliest: a slow
      // desk's time, or one queued before, would put its deployment, arrival or log line where it could not have been
      // (a try-out's high: an assisting force's unit booked at scene half an hour early stopped the owner's attendance
      // clock then).
      // So too a force writing to an incident transferred to it, from when the transfer took effect; and anything done
      // on or with an incident, from when it was opened (a slow desk's correction, link or request for a unit).
      const ctx = notBefore(planned, assistingSince(shares, state, force), ...heldByIncidents(reads, state, force));
      // A command the rules cannot process is refused, with the reason, rather than failing the request: otherwise
      // the workstation would resend it for ever and every command behind it would wait.
      let refused: Extract<ApplyResult, { ok: false }>;
      try {
        const result = applyCommand(parsed.command, ctx, seen);
        // Where no storage says (a test's records), what holds a key is what the records give for it.
        const holds: Holding = holding ?? ((key) => declaredOrNot(() => state.get(key.kind, key.id)));
        const stray = result.ok ? (takenId(result.changes, reads, seen, holds) ?? strayedChange(check, result.changes, state)) : null;
        const strayed = result.ok ? (hiddenWrite(result.changes, hidden) ?? (stray ? { code: 'forbidden' as const, reason: stray } : null)) : null;
        // Checked here, not by the rules: only the server reads the holder's units (shareEndReads).
        const unitsThere = result.ok && !strayed && ending ? assistEndedWithUnits(result.changes, state) : null;
        // Checked here too: only the server reads the borrower's incident a lender's acceptance is for.
        const movedAway = result.ok && !strayed && !unitsThere && lending ? lentForMovedIncident(result.changes, state, rules) : null;
        const moved = result.ok && !strayed && !unitsThere && !movedAway ? transferMoves(result.changes, state, rules, envelope) : null;
        if (result.ok && !strayed && !unitsThere && moved?.ok) {
          const changes = withForceReferences([...result.changes, ...moved.changes], rules, nextSerial);
          // A share the server makes is the server's act, at its time: when the other force may first see and write.
          const sharedAt = ctx.recordedAt ?? ctx.issuedAt;
          return {
            status: 'applied',
            changes: [...changes, ...automaticShares(changes, state, rules, envelope, automatic, sharedAt), ...arrangementShares(changes, state, rules, envelope, arranged, sharedAt), ...standDownOf(parsed.command, changes, state, ctx)],
            ...(unseen.length > 0 ? { unseen } : {}),
          };
        }
        const cut = result.ok ? null : cutFor(check, reads, seen);
        if (!result.ok) refused = cut ? reasonAsSeen(result, () => applyCommand(parsed.command, ctx, cut)) : result;
        else if (strayed) refused = { ok: false, ...strayed };
        else if (unitsThere) refused = { ok: false, code: 'invalid', reason: unitsThere };
        else if (movedAway) refused = { ok: false, code: 'conflict', reason: movedAway.reason, target: movedAway.target };
        // An accepted offer whose incident is no longer as offered: a conflict for the accepting dispatcher's inbox.
        else refused = moved && !moved.ok ? { ok: false, code: moved.code, reason: moved.reason, target: moved.target } : { ok: false, code: 'invalid', reason: 'the server could not move the incident' };
      } catch (error) {
        refused = { ok: false, code: 'invalid', reason: `the server could not apply this command: ${(error as Error).message}` };
      }
      const kept = refusedWithLeader(envelope, refused.reason, reads, seen, state, force);
      if (kept) return { status: 'rejected', code: 'conflict', reason: kept.reason, changes: [kept.leader, ...redoneAnyway(ctx, state)] };
      const record =
        refused.code === 'conflict'
          ? refused.target
            ? conflictRecord(envelope, refused.reason, refused.target, seen, rules, check.policy)
            : null
          : refusalRecord(envelope, refused.code, refused.reason, rules);
      return { status: 'rejected', code: refused.code, reason: refused.reason, changes: [...(record ? [record] : []), ...redoneAnyway(ctx, state)] };
    },
  };
}

/**
 * A command refused because a record it acts on was erased meanwhile (the rules, not shown it, found nothing: "the
 * incident does not exist"), in the words of the erasure as the command's force's log has it (erasedMeanwhile: who
 * erased it and when, in the force's time zone; to a force that held it through a share, only which force). The
 * record is the conflict's target, where the rules named one; else (a deployment kept by its unit's force, whose
 * incident went) the incident erased among those read. The words replace the refusal's in the decision and in its
 * conflict or refusal record. Any other decision (a refusal for another reason, a record not erased, one the force's
 * log has no erasure of: it never held it) is returned as it is.
 */
function inErasedWords(decision: Decision, erasures: ReadonlyMap<string, ErasureSeen>, commandId: string, rules: ServerRules): Decision {
  if (decision.status !== 'rejected' || (decision.code !== 'conflict' && decision.code !== 'not_found')) return decision;
  const own = decision.changes.find((change) => change.id === commandId && (change.kind === 'conflict' || change.kind === 'refusal'));
  if (!own) return decision;
  const target = own.kind === 'conflict' ? own.doc.target : null;
  const key = target ? `${target.kind}:${target.id}` : [...erasures.keys()].find((name) => name.startsWith('incident:'));
  const seen = key === undefined ? undefined : erasures.get(key);
  if (!key || !seen) return decision;
  const reason = erasedMeanwhile(key.slice(0, key.indexOf(':')), seen, rules.config.force.code, rules.config.force.timeZone);
  const changes = decision.changes.map((change): AnyRecord => (change === own ? ({ ...change, doc: { ...change.doc, reason } } as AnyRecord) : change));
  return { ...decision, reason, changes };
}

/**
 * For a lender's acceptance of a loan (loan.accept): the incident the loan is for, read by the server after the loan
 * (its id is the loan's), outside the partition's check: the lender's own rules never see the borrower's incident.
 */
function lentIncidentReads(command: ParsedCommand): ((state: StateView) => RecordKey[]) | undefined {
  if (command.definition.name !== 'loan.accept') return undefined;
  const { loanId } = command.args as { loanId: string };
  return (state) => {
    const loan = declaredOrNot(() => state.get('loan', loanId));
    return loan ? [{ kind: 'incident', id: loan.incidentId }] : [];
  };
}

/**
 * Why a lender may not accept a request for an incident transferred since it was made (issue 12 M5, its waiting
 * kind): the loan would lend a unit to a force for an incident no longer its own, or, lent to the new owner's own
 * job, hold the new owner's unit as lent to another force. A conflict on the request, in the lender's words and time,
 * nothing lent; null when the incident is still the borrower's (or not read: a storage without it, a test's records).
 */
function lentForMovedIncident(changes: readonly AnyRecord[], state: StateView, rules: ServerRules): { reason: string; target: RecordKey } | null {
  const loan = changes.find((change) => change.kind === 'loan')?.doc as Loan | undefined;
  if (!loan || loan.status !== 'accepted') return null;
  const incident = declaredOrNot(() => state.get('incident', loan.incidentId));
  if (!incident || incident.force === loan.force) return null;
  const own = rules.config.force.code;
  const handover = [...(incident.handovers ?? [])].reverse().find((h) => h.from === loan.force);
  const when = handover ? ` at ${wallClock(rules.config.force.timeZone).timeZoned(handover.at)}` : '';
  const now = incident.force === own ? `${own}'s own incident now: deploy a unit of ${own}'s to it` : `${incident.force}'s incident now`;
  return { reason: `${loan.force} transferred ${loan.incident.reference} to ${incident.force}${when}, after asking for a unit: it is ${now}; nothing lent`, target: { kind: 'loan', id: loan.id } };
}

/**
 * A lender's take-back of a unit deployed on the borrower's incident (shared/commands/loan-take-back.ts): the
 * borrower's deployment and incident, which the server reads for it outside the partition check (the lender's own
 * rules never see them), and the stand-down it writes there in the command's name once the take-back is applied.
 */
function standDownReads(command: ParsedCommand): RecordKey[] {
  return command.definition.name === 'loan.takeBack' ? takeBackReads(command.args as TakeBackLoanArgs) : [];
}

function standDownOf(command: ParsedCommand, changes: readonly AnyRecord[], state: StateView, ctx: ApplyContext): AnyRecord[] {
  if (command.definition.name !== 'loan.takeBack') return [];
  const loan = changes.find((c) => c.kind === 'loan');
  const { deployment } = command.args as TakeBackLoanArgs;
  if (loan?.kind !== 'loan' || !deployment) return [];
  return takeBackStandDown(loan.doc, state.get('assignment', deployment.assignmentId), state.get('incident', deployment.incidentId), ctx);
}

/**
 * The records a command reads that belong to another force and that its force may not see at all (no share, no loan,
 * nothing that shows it to the force), by `kind:id`: the rules are not shown them, so the command is refused as for
 * an id the server never had. A record the force can see but not change (shared for viewing) keeps the partition's
 * words: its existence is no secret from that force. Another force's account is hidden too (issue 12 M10): an
 * account command naming it is answered, after the issuer's role is checked, exactly as for a name no account holds,
 * and one that would add it is told only that the name is taken (hiddenWrite), since names are one namespace. The
 * issuer's own account keeps the partition's words, as does an asker of no force (it may do nothing), and a record
 * the force held once (everHeld).
 */
function hiddenReads(check: WriteCheck, reads: readonly RecordKey[], state: StateView, rules: ServerRules, issuer: string): Set<string> {
  const hidden = new Set<string>();
  if (!check.force) return hidden;
  for (const key of reads) {
    // The issuer's own account keeps the partition's words (an operator acts only in their own force).
    if (key.kind === 'operator' && key.id === issuer) continue;
    const doc = state.get(key.kind, key.id);
    if (doc === undefined || doc === null) continue;
    const record = { kind: key.kind, id: key.id, doc } as AnyRecord;
    const owner = ownerOf(record);
    if (owner === null || owner === check.force || visibleTo(check.force, record, check.policy) !== null) continue;
    // One it held once (a share since revoked, an incident it transferred away) is no secret from it: the partition's
    // words say why it may not change it now.
    if (key.kind !== 'operator' && everHeld(key, doc as { incidentId?: unknown }, check.force, state, rules)) continue;
    hidden.add(`${key.kind}:${key.id}`);
  }
  return hidden;
}

/**
 * The state as the command's force may see it: another force's records it reads cut to the share that shows them
 * (visibleTo), its own whole; null when it reads none of another force's. For the words of a refusal only
 * (reasonAsSeen): the rules decide on the whole record.
 */
function cutFor(check: WriteCheck, reads: readonly RecordKey[], seen: StateView): StateView | null {
  if (!check.force) return null;
  const cut = new Map<string, unknown>();
  for (const key of reads) {
    const doc = seen.get(key.kind, key.id);
    if (doc === undefined || doc === null || key.kind === 'operator') continue;
    const record = { kind: key.kind, id: key.id, doc } as AnyRecord;
    const owner = ownerOf(record);
    if (owner === null || owner === check.force) continue;
    cut.set(`${key.kind}:${key.id}`, visibleTo(check.force, record, check.policy)?.doc);
  }
  if (cut.size === 0) return null;
  return { get: (kind, id) => (cut.has(`${kind}:${id}`) ? (cut.get(`${kind}:${id}`) as never) : seen.get(kind, id)) };
}

/**
 * A refusal in words made from the records as the command's force may see them. The rules decided on another
 * force's shared record whole, and their reason is made from it ("the incident is closed (CRIME) by carol"); said to
 * the holder, kept in its conflict, its refused command and the command log, it would carry what the share withholds
 * (a closing code, who closed it) and outlive a revoke or an erasure. Asked again of the cut records (`asSeen`), the
 * rules give the holder's words; if the cut records would not refuse it at all, the words say only that it changed.
 */
function reasonAsSeen(refused: Extract<ApplyResult, { ok: false }>, asSeen: () => ApplyResult): Extract<ApplyResult, { ok: false }> {
  let again: ApplyResult;
  try {
    again = asSeen();
  } catch {
    return { ...refused, reason: 'the record has changed since this was done' };
  }
  if (again.ok) return { ...refused, reason: 'the record has changed since this was done' };
  return again.reason === refused.reason ? refused : { ...refused, reason: again.reason };
}

/**
 * Why the server will not write a change the rules made to a record they were not shown (hiddenReads): a new record
 * under an id another force's record already holds. Says only that the id is taken, never whose it is or what.
 */
function hiddenWrite(changes: readonly AnyRecord[], hidden: ReadonlySet<string>): { code: RejectionCode; reason: string } | null {
  const taken = changes.find((change) => hidden.has(`${change.kind}:${change.id}`));
  if (!taken) return null;
  // An account's id is a person's name, which an administrator chose: said as the rules say a name taken (operator.add).
  if (taken.kind === 'operator') return { code: 'invalid', reason: nameTakenWords(taken.id) };
  return { code: 'forbidden', reason: `the server would not write it: the id ${taken.id} is already in use on the server; a new record needs a new id` };
}

/**
 * Why the server will not write a record the rules made new under an id some record already holds, or null. The rules
 * see only the records a command declares, and take any other id for a new one; without this check a crafted command
 * could name another record's id for a record it makes (an incident's first log line under the id of another force's
 * line) and overwrite it, whatever force's, or bring back an erased one. So every change the rules make is checked
 * against what the store holds under its key (`holds`, any force's, an erased record's withdrawal included):
 * - a record the rules were shown (`reads`, as `seen`) is theirs to change: the partition's checks decide that;
 * - otherwise the id must be free, or hold the same record, written again (a status line of one deployment set
 *   twice): of the same force, on the same incident, by the same force;
 * - anything else is refused in the words of any taken id, never whose it is or what (as hiddenWrite's).
 */
function takenId(changes: readonly AnyRecord[], reads: readonly RecordKey[], seen: StateView, holds: Holding): string | null {
  for (const change of changes) {
    const shown = reads.some((key) => key.kind === change.kind && key.id === change.id);
    if (shown && seen.get(change.kind, change.id) !== undefined) continue;
    const held = holds({ kind: change.kind, id: change.id });
    if (held === undefined) continue;
    if (held !== null && !shown && sameRecord(held, change)) continue;
    return `the server would not write it: the id ${change.id} is already in use on the server; a new record needs a new id`;
  }
  return null;
}

/** Whether a record held under an id the rules were not shown is the one a change writes again: same force, incident, writer. */
function sameRecord(held: unknown, change: AnyRecord): boolean {
  const was = held as { force?: unknown; incidentId?: unknown; byForce?: unknown };
  const now = change.doc as { force?: unknown; incidentId?: unknown; byForce?: unknown };
  return held !== null && was.force === now.force && was.incidentId === now.incidentId && was.byForce === now.byForce;
}

/**
 * Why a command of `force` may not go ahead for a record it reads (one of another force, not shared with it to
 * change), or null. Every record it reads is checked, its operator's too: an operator acts only in their own force.
 */
function partitionProblem(check: WriteCheck, reads: RecordKey[], state: StateView): string | null {
  for (const key of reads) {
    const doc = state.get(key.kind, key.id);
    if (doc === undefined) continue;
    const problem = refusalToRead(check, { kind: key.kind, id: key.id, doc } as AnyRecord);
    if (problem) return problem;
  }
  return null;
}

/**
 * The shares a command reads with the incidents it reads: for each, the fixed-id shares of it with the command's own
 * force, which are what may let it write to another force's incident: automatic, by hand, and one per standing
 * arrangement another force could have made with this one (one per incident type of that force: the incident's type
 * is not known until it is read). A share made under another id (by a workstation older than the fixed id; the view
 * an old owner keeps after a transfer) still lets the force see the incident, but not write to it: the check fails
 * closed. On a one-force server there are none.
 */
function sharesRead(reads: readonly RecordKey[], rules: ServerRules): RecordKey[] {
  if (!rules.alsoServes?.length) return [];
  const own = rules.config.force.code;
  const arrangements = [rules.config, ...rules.alsoServes]
    .filter((config) => config.force.code !== own)
    .flatMap((config) => config.incidentTypes.map((type) => arrangementId(config.force.code, type.code, own)));
  return reads
    .filter((key) => key.kind === 'incident')
    .flatMap((key) => [...fixedShareIds(key.id, own), ...arrangements.map((arrangement) => arrangementShareId(key.id, arrangement))].map((id) => ({ kind: 'share' as const, id })));
}

/**
 * For a command that changes a share (share.create, share.revoke): its incident and the units committed to it, read
 * by the server after the share, so that an assist share is not ended while the holder's units are on the job
 * (assistEndedWithUnits). Nothing more is read for a share that is not an active assist share.
 */
function shareEndReads(command: ParsedCommand): ((state: StateView) => RecordKey[]) | undefined {
  const name = command.definition.name;
  if (name !== 'share.create' && name !== 'share.revoke') return undefined;
  const { shareId } = command.args as { shareId: string };
  return (state) => {
    const share = declaredOrNot(() => state.get('share', shareId));
    if (!share || !isActive(share) || share.tier !== 'assist') return [];
    const incident = declaredOrNot(() => state.get('incident', share.incidentId));
    return [{ kind: 'incident', id: share.incidentId }, ...(incident?.activeUnits ?? []).map((id) => ({ kind: 'unit' as const, id }))];
  };
}

/**
 * Why a command's share changes may not be written: one ends an assist share (revokes it or cuts it to view) while
 * units of the holder are still committed to the incident (shared/domain/assist-writes.ts), as a workstation whose
 * view was behind the holder's deployment could ask. The units are read by shareEndReads; null if none is.
 */
function assistEndedWithUnits(changes: readonly AnyRecord[], state: StateView): string | null {
  for (const change of changes) {
    if (change.kind !== 'share') continue;
    const was = declaredOrNot(() => state.get('share', change.id));
    const incident = was && declaredOrNot(() => state.get('incident', was.incidentId));
    const committed = (incident?.activeUnits ?? []).flatMap((id) => declaredOrNot(() => state.get('unit', id)) ?? []);
    const problem = assistEndProblem(was, change.doc, committed);
    if (problem) return problem;
  }
  return null;
}

/**
 * The policy a command is checked by: the shares it read, as they stand, and what the records carry
 * (shared/domain/command-policy.ts); its cuts name the owner's grade and type as the holder is shown them, for the
 * copy a conflict keeps (conflictRecord).
 */
/**
 * When `force` could first write to the other forces' incidents the command reads, through the shares among those
 * read made with it and still in force (for each incident, its earliest such share's time; the latest of those), or
 * null where it reads none of another force's (ISO UTC). For notBefore.
 */
function assistingSince(shares: readonly RecordKey[], state: StateView, force: ForceCode): string | null {
  const since = new Map<string, string>();
  for (const key of shares) {
    const share = state.get('share', key.id);
    if (!share || share.sharedWith !== force || !isActive(share)) continue;
    const first = since.get(share.incidentId);
    if (first === undefined || Date.parse(share.at) < Date.parse(first)) since.set(share.incidentId, share.at);
  }
  return latestInstant(since.values());
}

/**
 * What the incidents the command reads hold its time to (ISO UTC, for notBefore): when each was opened (nothing is
 * done on or with an incident before it), and when `force` came to own one transferred to it (the latest such
 * transfer's time, the server's: transfer-move.ts).
 */
function heldByIncidents(reads: readonly RecordKey[], state: StateView, force: ForceCode): string[] {
  const floors: string[] = [];
  for (const key of reads) {
    if (key.kind !== 'incident') continue;
    const incident = declaredOrNot(() => state.get('incident', key.id));
    if (!incident) continue;
    floors.push(incident.createdAt);
    const handover = incident.force === force ? [...(incident.handovers ?? [])].reverse().find((h) => h.to === force) : undefined;
    if (handover) floors.push(handover.at);
  }
  return floors;
}

/** The shares among those read that were made with `force` and are revoked (WriteCheck.revoked). */
function revokedShares(shares: readonly RecordKey[], state: StateView, force: ForceCode): Share[] {
  return shares.map((key) => state.get('share', key.id)).filter((share): share is Share => share !== undefined && share.sharedWith === force && share.revoked !== null);
}

function policyOfShares(shares: readonly RecordKey[], state: StateView, rules: ServerRules): SharePolicy {
  return commandPolicy(shares.map((key) => state.get('share', key.id)).filter((share): share is Share => share !== undefined), cutNamesOf(rules));
}

/**
 * A change the rules made for a record `force` may not change (a rule that stamped another force): why, or null. A
 * record the force could change as it stood, still of the same owner, may be written even if the force may not
 * change what it becomes: a lent unit returned by its borrower ends the borrower's right to it in that very change.
 */
function strayedChange(check: WriteCheck, changes: AnyRecord[], state: StateView): string | null {
  // Only a record the command declared may be read; one it did not (a log line's derived id) it writes new.
  return strayedWrite(check, changes, (key) => declaredOrNot(() => state.get(key.kind, key.id)));
}

/** The record as it stands, or undefined for one the command did not declare among its reads (the storage will not read it). */
function declaredOrNot<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** What the rules are told of a command: when and by whom it was issued, the force's configuration, what it redoes. */
function contextOf(envelope: CommandEnvelope, rules: ServerRules, trusted: boolean, nowMs: number): ApplyContext {
  return {
    issuedAt: envelope.issuedAt,
    recordedAt: new Date(nowMs).toISOString(),
    actor: { operator: envelope.operator, workstation: envelope.workstation, clientId: envelope.clientId },
    config: rules.config,
    // Another force's incident's grade is of that force's scheme: read through its common priority (receiptGrade).
    commonPriorityOf: (force, grade) => commonPriorityIn(servedForces(rules), force, grade),
    commandId: envelope.commandId,
    ...(envelope.redoOf ? { redoOf: envelope.redoOf } : {}),
    ...(envelope.relay ? { relay: envelope.relay } : {}),
    ...(madeAutomatically(envelope) ? { automatic: true as const } : {}),
    ...(trusted ? { trusted: true } : {}),
  };
}

/**
 * A command that did a refused one again, itself refused (a rule, a lost race, its ticket): the refusal it redid is
 * still marked handled by it, as its workstation has already marked it, because the exception has passed to this
 * command's own conflict or refusal record; leaving both waiting would show one piece of work twice and invite
 * doing it twice. Not when the redo was refused for the refusal itself (handled first elsewhere, or not theirs).
 */
function redoneAnyway(ctx: ApplyContext, state: StateView): AnyRecord[] {
  const check = checkRedo(ctx, state);
  // Never another force's refusal, whatever the command names (a ticket refusal reads it unchecked by the partition).
  return check?.ok && !refusalToChange(ctx.config.force.code, check.marking, serverSharePolicy()) ? [check.marking] : [];
}

/**
 * A command turned away for its sign-in ticket, before the rules: refused as `unauthenticated` (held at its
 * workstation until its operator signs in again), recorded for the room, and, if it redid a refusal, that one
 * marked as passed to it (see redoneAnyway).
 */
export function ticketRefusalPlan(sent: CommandEnvelope, reason: string, rules: ServerRules): CommandPlan {
  const nowMs = rules.now();
  const { envelope } = onServerTime(sent, { now: () => nowMs });
  const ctx = contextOf(envelope, rules, false, nowMs);
  // The records its arguments name, though the rules never read them: one erased since keeps its arguments out of the log.
  const parsed = parseCommand(envelope.name, envelope.args);
  return {
    reads: envelope.redoOf ? [{ kind: 'operator', id: envelope.operator }, ...redoReads(envelope.redoOf)] : [],
    named: parsed.ok ? readsOf(parsed.command, envelope.operator) : possiblyNamed(envelope.args),
    force: rules.config.force.code,
    decide: (state) => ({ status: 'rejected', code: 'unauthenticated', reason, changes: [refusalRecord(envelope, 'unauthenticated', reason, rules), ...redoneAnyway(ctx, state)] }),
  };
}

/**
 * The automatic shares a command may make: for each incident it reads, one with each other force the platform serves
 * (their ids are fixed, shared/domain/share.ts), read with the rest so the server sees whether one was made before.
 */
function automaticShareReads(reads: readonly RecordKey[], rules: ServerRules): RecordKey[] {
  if (!rules.forceAreas?.length) return [];
  const others = servedForces(rules).map((config) => config.force.code).filter((code) => code !== rules.config.force.code);
  // Every share the force could have made with the other, for whether one was revoked by hand (handRevocation).
  return reads.filter((key) => key.kind === 'incident').flatMap((key) => others.flatMap((other) => ownSharesWith(key.id, other, rules)).map((id) => ({ kind: 'share' as const, id })));
}

/**
 * Shares made by the server, whoever's command placed the incident (an offline workstation's included): an incident of
 * the force whose location is in the other force's area or near its border (automatic-sharing.ts) is shared with it at
 * the force's configured tier, once: an automatic share made before, even one since revoked by hand, is not made again,
 * nor one with a force a dispatcher revoked any share of the incident from by hand (revokedByHand: a revocation stands).
 * Each with a line in the incident's log saying so. Only for incidents whose share the command declared it reads.
 */
function automaticShares(changes: readonly AnyRecord[], state: StateView, rules: ServerRules, envelope: CommandEnvelope, declared: readonly RecordKey[], sharedAt: string): AnyRecord[] {
  const may = new Set(declared.map((key) => key.id));
  const served = servedForces(rules).map((config) => config.force.code);
  const made: AnyRecord[] = [];
  for (const change of changes) {
    if (change.kind !== 'incident' || change.doc.force !== rules.config.force.code) continue;
    for (const target of automaticShareTargets(change.doc, rules.forceAreas ?? [], rules.config.sharing, served)) {
      const share = automaticShare(change.doc, target, rules.config.sharing.tier, envelope.operator, sharedAt);
      if (!may.has(share.id) || state.get('share', share.id) || made.some((record) => record.id === share.id)) continue;
      if (handRevocation(change.id, share.sharedWith, state, rules, new Set(declared.map((key) => `${key.kind}:${key.id}`)))) continue;
      const line: LogEntry = {
        id: derivedId(share.id, 'shared'),
        force: share.force,
        incidentId: share.incidentId,
        kind: 'system',
        text: `Shared automatically with ${share.sharedWith} (${share.tier}): ${share.reason}`,
        // The server's act, following the operator's command: the log names the system, not them (automatic.ts).
        author: SYSTEM_AUTHOR,
        signedIn: envelope.operator,
        workstation: envelope.workstation,
        at: sharedAt,
        // Nothing of the caller in it: another force assisting reads it as written (share-cut.ts logEntryCut).
        sharedText: null,
      };
      made.push({ kind: 'share', id: share.id, doc: share }, { kind: 'logEntry', id: line.id, doc: line });
    }
  }
  return made;
}

/** New incidents get the next reference of the day in the force's time zone; the rest pass unchanged. */
function withForceReferences(changes: AnyRecord[], rules: ServerRules, nextSerial: (counter: string) => number): AnyRecord[] {
  return changes.map((change): AnyRecord => {
    if (change.kind !== 'incident' || change.doc.reference !== null) return change;
    const day = referenceDay(rules.now(), rules.config.force.timeZone);
    // Each force numbers its own incidents: its own counter per day (migration 7 moved the one force's to its name).
    const serial = nextSerial(`incident-reference:${rules.config.force.code}:${day}`);
    const reference = forceReference(rules.config.force.code, day, serial);
    return { ...change, doc: { ...change.doc, reference: rules.training ? `${TRAINING_REFERENCE_PREFIX}${reference}` : reference } };
  });
}

/**
 * A command refused only because the one it follows was (CommandEnvelope.follows): it acts on a record that does
 * not exist (or that its force may not see), and the command that would have made it lost (its conflict still open)
 * or was refused outright (a permission or partition refusal, its refusal still waiting); that command's arguments
 * name the record. It is kept on that conflict (Conflict.followedBy) or refusal (Refusal.followedBy) instead of
 * becoming a record of its own, so the dispatcher sees one record for the deployment lost to a loan, or refused, with
 * the crew's receipts and status presses that followed from it, not one more per press saying "the deployment does
 * not exist". It is answered as a conflict, as before: its workstation forgets it once the record that keeps it
 * arrives (main/store/outbox.ts). `reason`: why it was refused on its own. Null for any other refusal.
 */
function refusedWithLeader(envelope: CommandEnvelope, reason: string, reads: readonly RecordKey[], seen: StateView, state: StateView, force: ForceCode): { leader: AnyRecord; reason: string } | null {
  if (!envelope.follows) return null;
  const absent = reads.filter((key) => key.kind !== 'operator' && seen.get(key.kind, key.id) === undefined).map((key) => JSON.stringify(key.id));
  if (absent.length === 0) return null;
  // The command that would have made the missing record: its arguments name it (a deployment's assignmentId).
  const names = (args: unknown) => {
    const text = JSON.stringify(args ?? null);
    return absent.some((id) => text.includes(id));
  };
  const follower = { commandId: envelope.commandId, commandName: envelope.name, args: envelope.args, operator: envelope.operator, issuedAt: envelope.issuedAt, reason };
  const from = { clientId: envelope.clientId, force };
  for (const id of envelope.follows) {
    const lost = Conflict.safeParse(state.get('conflict', id));
    if (lost.success && names(lost.data.args)) {
      const leader = followedOn(lost.data, follower, from);
      const why = `refused with your earlier command (${commandWords(lost.data.commandName)}), which lost: ${lost.data.reason}`;
      return leader ? { leader: { kind: 'conflict', id: leader.id, doc: { ...leader, detectedAt: lost.data.detectedAt } }, reason: why } : null;
    }
    const turnedDown = Refusal.safeParse(state.get('refusal', id));
    if (turnedDown.success && names(turnedDown.data.args)) {
      const leader = refusalFollowedOn(turnedDown.data, follower, from);
      const why = `refused with your earlier command (${commandWords(turnedDown.data.commandName)}), which was refused: ${turnedDown.data.reason}`;
      return leader ? { leader: { kind: 'refusal', id: leader.id, doc: leader }, reason: why } : null;
    }
  }
  return null;
}

/**
 * The conflict a command lost to, for its force's inbox, with the record as it stands (`theirs`) as that force may see
 * it: another force's incident it holds through a share goes cut to the share (no caller, THRIVE or log text), as
 * the partition would send it, since the conflict is the command's force's record and reaches all its workstations.
 */
function conflictRecord(envelope: CommandEnvelope, reason: string, target: RecordKey, state: StateView, rules: ServerRules, policy: SharePolicy): AnyRecord {
  const stands = state.get(target.kind, target.id);
  const theirs = stands ? (visibleTo(rules.config.force.code, { kind: target.kind, id: target.id, doc: stands } as AnyRecord, policy)?.doc ?? null) : null;
  const conflict: Conflict = {
    id: envelope.commandId,
    force: rules.config.force.code,
    commandName: envelope.name,
    args: envelope.args,
    operator: envelope.operator,
    workstation: envelope.workstation,
    clientId: envelope.clientId,
    issuedAt: envelope.issuedAt,
    detectedAt: new Date(rules.now()).toISOString(),
    reason,
    target,
    theirs,
    status: 'open',
    resolution: null,
    resolvedBy: null,
    resolvedAt: null,
    version: 1,
  };
  return { kind: 'conflict', id: conflict.id, doc: conflict };
}

/**
 * A refused command as the room sees it, waiting for its issuer or a supervisor. `what` overrides what the envelope
 * says for a command the server could not read, or one its workstation withdrew (then only it has the arguments).
 */
export function refusalRecord(
  envelope: CommandEnvelope,
  code: RefusalCode,
  reason: string,
  rules: ServerRules,
  what: { args?: null; operator?: string | null; tooLarge?: boolean } = {},
): AnyRecord {
  const refusal: Refusal = {
    id: envelope.commandId,
    force: rules.config.force.code,
    commandName: envelope.name,
    args: what.args === null ? null : (envelope.args ?? null),
    operator: what.operator === undefined ? envelope.operator : what.operator,
    workstation: envelope.workstation,
    clientId: envelope.clientId,
    issuedAt: envelope.issuedAt,
    refusedAt: new Date(rules.now()).toISOString(),
    code,
    reason,
    tooLarge: what.tooLarge ?? false,
    status: 'waiting',
    action: null,
    handledBy: null,
    handledAt: null,
    handledReason: '',
    redoneAs: null,
    version: 1,
  };
  return { kind: 'refusal', id: refusal.id, doc: refusal };
}

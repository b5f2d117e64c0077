import { canonicalJson } from './audit/audit-chain';
import { z } from 'zod';
import { describeIssues } from '../shared/validation';
import { Name } from '../shared/domain/ids';
import { Instant } from '../shared/domain/time';
import {
  CommandEnvelope,
  CommandWithdrawal,
  MIN_CLIENT_SCHEMA_VERSION,
  SCHEMA_VERSION,
  type CommandOutcome,
  type PushResponse,
} from '../shared/sync/protocol';
import { AccessRefused, HttpError } from './http/read-body';
import { revocationForTicket } from './access/revocation-words';
import { planCommand, refusalPlan, refusalRecord, ticketRefusalPlan, type ServerRules } from './commands/plan-command';
import { DeviceWithdrawn, RevocationsMoved, type BatchCommand, type CommandPlan, type EnrolledDevice, type LoggedCommand, type ProcessResult, type Revocation, type ServerStorage } from './storage/storage';
import { StorageUnavailableError } from './storage/storage-unavailable';
import { TicketRevocations } from './access/ticket-revocations';
import type { AnyRecord } from '../shared/domain/records';
import { judgeTicket, type TicketCause } from './access/tickets';
import { isFact, isWorkstationFact, Operator } from '../shared/domain/operator';
import { claimsOfflineRefusal, countingOfflineRefusal, offlineRefusalProblem } from './access/offline-refusals';
import { lockoutRulesOf } from './access/sign-in-lockout';
import { isDeadlineClaim } from '../shared/domain/automatic';
import { outcomeForClient } from './outcome-for-client';
import { accessAuditDraft } from './audit/access-audit';
import type { AuditDraft } from './audit/audit-chain';
import { withAccountEffects } from './access/account-effects';
import type { Logger } from 'pino';

/** The outer shape only: each command is checked on its own, so one malformed command cannot sink the batch. */
const PushBatch = z.object({
  clientId: z.uuid(),
  schemaVersion: z.number().int(),
  commands: z.array(z.unknown()).min(1).max(500),
});

const Identified = z.object({ commandId: z.uuid(), clientSeq: z.number().int().positive() });

export interface PushDeps {
  storage: ServerStorage;
  rules: ServerRules;
  log: Logger;
  /** The enrolled workstation that sent the batch: it may push only its own commands. */
  device: EnrolledDevice;
  /**
   * `device` is the server's copy (server/access/enrolled-devices.ts), not the storage's word for this request: the
   * push's transaction checks that its token still admits it, and DeviceWithdrawn is thrown, nothing processed, when
   * it does not.
   */
  deviceFromCopy?: boolean;
  /** Key that signs sign-in tickets: each command must carry its operator's. */
  ticketSecret: string;
  /** The server's copy of the ticket revocations, kept across pushes; without it, each push reads its own. */
  ticketRevocations?: TicketRevocations;
  /** A command wrote these records (the newest change at `head`): for pokes to the forces that may see them. */
  onApplied(head: number, changes: readonly AnyRecord[]): void;
  /** Each command applied, whether or not it wrote a record (a training server tells its room what trainees do). */
  onCommandApplied?(command: CommandEnvelope): void;
}

/**
 * Processes a batch of one client's commands in clientSeq order. Each is applied or refused on its own; the batch
 * stops at a gap (a command the server has not seen the one before of), and the answer says how far it got.
 */
export async function handlePush(body: unknown, deps: PushDeps): Promise<PushResponse> {
  const batch = PushBatch.safeParse(body);
  if (!batch.success) throw new HttpError(400, `push: ${describeIssues(batch.error)}`);
  const { clientId, schemaVersion } = batch.data;
  if (clientId !== deps.device.clientId) throw new AccessRefused(null, 'as another workstation', 'a workstation may push only its own commands');
  if (schemaVersion < MIN_CLIENT_SCHEMA_VERSION || schemaVersion > SCHEMA_VERSION) {
    const update = schemaVersion < MIN_CLIENT_SCHEMA_VERSION ? 'update the workstation' : 'update the server';
    throw new HttpError(
      426,
      `workstation schema version ${schemaVersion} is not accepted here (this server accepts ${MIN_CLIENT_SCHEMA_VERSION} to ${SCHEMA_VERSION}); ${update}`,
      { accepts: { min: MIN_CLIENT_SCHEMA_VERSION, max: SCHEMA_VERSION } },
    );
  }

  // Every command identified before any is processed: a batch refused for one it cannot place applies none of it.
  const identities = batch.data.commands.map((raw) => Identified.safeParse(raw));
  if (identities.some((identity) => !identity.success)) throw new HttpError(400, 'push: a command has no usable commandId and clientSeq');

  // A sign-in refused at the workstation while the server was away names no operator's ticket: each is checked first,
  // and one that cannot be true refuses the push before anything of it is stored (server/access/offline-refusals.ts).
  for (const raw of batch.data.commands) {
    if (!claimsOfflineRefusal(raw)) continue;
    const problem = offlineRefusalProblem(raw, deps.device);
    if (problem) throw problem;
  }

  // The device may be the server's copy (server/access/enrolled-devices.ts): processBatch's transaction checks it; a
  // push of nothing has no transaction, so its answer (the workstation's progress) waits on the storage's word.
  if (deps.deviceFromCopy && batch.data.commands.length === 0 && (await deps.storage.deviceByTokenHash(deps.device.tokenHash))?.clientId !== clientId) throw new DeviceWithdrawn(clientId);

  const outcomes: CommandOutcome[] = [];
  const revocations = deps.ticketRevocations ?? new TicketRevocations(deps.storage);
  // Every command planned first, then all processed in one transaction (storage.processBatch): one commit and one
  // turn of the database for the push, not one per command, which is what a room coming back with full outboxes
  // waited on. Planned against the server's copy of the ticket revocations, which the transaction checks: planned
  // again, against the storage's, if an operator's tickets were revoked since.
  let planned: PlannedCommand[] = [];
  let results: ProcessResult[] | undefined;
  // A command already taken by another in its place or under its id stops the push (409 below); a gap stops it too.
  const replayed = (result: ProcessResult, index: number) => (result.kind === 'duplicate' ? replayProblem(result.sent, { ...planned[index]!.sent, clientId }) : null);
  for (let attempt = 1; results === undefined; attempt += 1) {
    const assumed = new Map<string, string | null>();
    planned = await planPush(batch.data.commands, identities, clientId, deps, async (operator) => {
      const revocation = await revocations.of(operator);
      assumed.set(operator, revocation?.revokedAt ?? null);
      return revocation;
    });
    try {
      results = await deps.storage.processBatch(planned, (result, index) => result.kind !== 'out_of_order' && replayed(result, index) === null, {
        tickets: assumed,
        ...(deps.deviceFromCopy ? { device: { clientId, tokenHash: deps.device.tokenHash } } : {}),
      });
    } catch (error) {
      if (!(error instanceof RevocationsMoved)) throw error;
      revocations.forget(error.revokedAt.keys());
      // Revoked again between each reading and its transaction: rare enough to be told to try again shortly.
      if (attempt >= MAX_PLANNINGS) throw new StorageUnavailableError(`push: ${error.message}, ${attempt} times`, { cause: error });
    }
  }
  for (const [index, result] of results.entries()) {
    const replay = replayed(result, index);
    if (replay) throw new HttpError(409, replay);
    if (result.kind === 'out_of_order') {
      deps.log.warn({ clientId, expected: result.expected }, 'push stopped at a gap in clientSeq');
      break;
    }
    outcomes.push(outcomeForClient(result.outcome, schemaVersion));
    if (result.kind === 'processed') {
      const outcome = result.outcome;
      deps.log.info(
        { clientId, clientSeq: outcome.clientSeq, commandId: outcome.commandId, status: outcome.status, ...(outcome.status === 'rejected' ? { code: outcome.code, reason: outcome.reason } : { seq: outcome.seq }) },
        'command processed',
      );
      const { parsed, written } = planned[index]!;
      if (outcome.status === 'applied' && parsed) deps.onCommandApplied?.(parsed);
      if (result.wrote) deps.onApplied(result.head, written.changes);
    }
  }
  return { outcomes, lastClientSeq: progressAfter(results) ?? (await deps.storage.lastClientSeq(clientId)) };
}

/** How many times a push is planned, each time against revocations read afresh, before it is told to come back. */
const MAX_PLANNINGS = 3;

/** A push's command as planned for storage.processBatch, with what the push's answer needs of it. */
type PlannedCommand = BatchCommand & { sent: SentCommand; parsed: CommandEnvelope | null; written: { changes: AnyRecord[] } };

/**
 * A push's commands planned (see handlePush), each operator's ticket revocation asked of `ticketRevocation` once.
 * With the refusal in words: an account deactivated says so, by whom and when (server/access/revocation-words.ts).
 */
async function planPush(
  commands: readonly unknown[],
  identities: readonly { data?: { commandId: string; clientSeq: number } }[],
  clientId: string,
  deps: PushDeps,
  ticketRevocation: (operator: string) => Promise<Revocation | null>,
): Promise<PlannedCommand[]> {
  const revokedTickets = new Map<string, ReturnType<typeof revocationForTicket>>();
  const ticketsRevoked = async (operator: string) => {
    if (!revokedTickets.has(operator)) {
      const revocation = await ticketRevocation(operator);
      // The account as it stands, only where a revocation voids tickets: inactive, the refusal says it was
      // deactivated (by whom, when), whichever revocation came last.
      const account = revocation ? Operator.safeParse(await deps.storage.record({ kind: 'operator', id: operator })) : null;
      revokedTickets.set(operator, revocationForTicket(operator, revocation, deps.rules.config.force.timeZone, 'command', account?.success ? account.data : null));
    }
    return revokedTickets.get(operator)!;
  };
  const planned: PlannedCommand[] = [];
  for (const [index, raw] of commands.entries()) {
    const written: { changes: AnyRecord[] } = { changes: [] };
    const processedAt = new Date(deps.rules.now()).toISOString();
    // Nested past reason, a command could not even be written down (JSON.stringify recurses): refused unread.
    const tooDeep = nestedDeeperThan(raw, MAX_NESTING);
    const envelope = tooDeep ? null : CommandEnvelope.safeParse(raw);
    if (envelope?.success && envelope.data.clientId === clientId) {
      const { ticket, operator, issuedAt, relay } = envelope.data;
      // A sign-in refused offline travels under the device token too (checked above): nobody was signed in.
      const enrolmentAlone = relay !== undefined || isWorkstationFact(envelope.data.name);
      const revoked = enrolmentAlone ? { revokedAt: null } : await ticketsRevoked(operator);
      // A relay (a terminal's or the telephony switch's message) carries no operator's ticket: the device token
      // (checked, and refused once revoked, before the batch was read) vouches for the workstation, and the rules take
      // from a relay only its allowlist (shared/domain/relay.ts), refusing anything else with the reason.
      const ticketProblem = enrolmentAlone ? null : judgeTicket(deps.ticketSecret, ticket, { operator, clientId, issuedAt: Date.parse(issuedAt), now: deps.rules.now(), ...revoked, fact: isFact(envelope.data.name) || isDeadlineClaim(envelope.data.name) });
      // One refused for its ticket brings the auditor's entry, written in the push's transaction with the refusal.
      const decided = ticketProblem
        ? { ...ticketRefusalPlan(envelope.data, ticketProblem.said, deps.rules), audit: [ticketRefusalAudit(envelope.data, ticketProblem, deps.device, deps.rules.now())] }
        : planCommand(envelope.data, deps.rules);
      // A wrong password refused offline counts toward the server's lock of the name in the push's own transaction.
      const counting = isWorkstationFact(envelope.data.name) ? countingOfflineRefusal(decided, envelope.data, deps.device, deps.rules.now(), lockoutRulesOf(deps.rules.config)) : decided;
      // A deactivation revokes the account's tickets, with its entry, in the command's own transaction.
      const plan = ticketProblem ? counting : withAccountEffects(counting, envelope.data, () => deps.rules.now(), deps.device.force);
      planned.push({ envelope: envelope.data, plan: remembering(plan, written), processedAt, sent: { ...envelope.data, content: envelope.data }, parsed: envelope.data, written });
    } else {
      const identity = identities[index]!.data!;
      const malformed = envelope === null ? `its contents nest deeper than ${MAX_NESTING} levels` : envelope.success ? null : describeIssues(envelope.error);
      const { envelope: unread, reason, what } = unreadable(envelope === null ? {} : raw, identity, malformed, deps.device, processedAt);
      const plan = refusalPlan('invalid', reason, refusalRecord(unread, 'invalid', reason, deps.rules, what));
      planned.push({ envelope: unread, plan: remembering(plan, written), processedAt, sent: { ...identity, content: null }, parsed: null, written });
    }
  }
  return planned;
}

/**
 * The audit entry of a command refused for its operator's ticket (its account deactivated, revoked, expired, another's, forged): an access
 * refused to the operator it names, at the enrolled workstation that sent it, under the command's own name, at the
 * workstation's time and the server's, with the refusal in words. Written in the same transaction as the refusal
 * itself (its refusal record and command log row are the room's; this is the auditor's), once: a retry of the command
 * is answered from the log. Never the ticket.
 */
function ticketRefusalAudit(command: CommandEnvelope, { cause, said }: { cause: TicketCause; said: string }, device: EnrolledDevice, now: number): AuditDraft {
  const draft = accessAuditDraft({
    kind: 'access-refused',
    action: command.name,
    by: command.operator,
    subject: { kind: 'workstation', id: device.workstation },
    workstation: device.workstation,
    clientId: device.clientId,
    force: device.force,
    at: new Date(now).toISOString(),
    // Its cause (the account deactivated, the tickets revoked, the sign-in expired), not only "not good": the words
    // an auditor reads first (shared/domain/audit-words.ts ACCESS_REFUSAL_WORDS).
    details: { reason: cause, request: 'the command', said },
  });
  return { ...draft, issuedAt: command.issuedAt, commandId: command.commandId };
}

/**
 * The client's last clientSeq as the push's own transaction committed it, where its last result says so: a command
 * processed is the one after the last (so the last now), and a gap names the one expected. Otherwise (a resend
 * answered from the log, or nothing processed) the storage is asked: on PostgreSQL a round trip every push saved.
 */
function progressAfter(results: readonly ProcessResult[]): number | null {
  const last = results.at(-1);
  if (last?.kind === 'processed') return last.outcome.clientSeq;
  if (last?.kind === 'out_of_order') return last.expected - 1;
  return null;
}

/** A command as the workstation sent it, for telling a retry from another command claiming its place or id. */
interface SentCommand {
  commandId: string;
  clientSeq: number;
  content: CommandEnvelope | null;
}

/** The plan, noting in `into` the records its decision writes (the last decision's: a storage may decide again on a retry). */
function remembering(plan: CommandPlan, into: { changes: AnyRecord[] }): CommandPlan {
  return {
    reads: plan.reads,
    ...(plan.writes ? { writes: plan.writes } : {}),
    ...(plan.thenReads ? { thenReads: plan.thenReads } : {}),
    ...(plan.signInFailure ? { signInFailure: plan.signInFailure } : {}),
    ...(plan.named ? { named: plan.named } : {}),
    ...(plan.allSharesOf ? { allSharesOf: plan.allSharesOf } : {}),
    ...(plan.revokes ? { revokes: plan.revokes } : {}),
    ...(plan.audit ? { audit: plan.audit } : {}),
    force: plan.force,
    decide(state, nextSerial, holding) {
      const decision = plan.decide(state, nextSerial, holding);
      into.changes = decision.changes;
      return decision;
    },
    ...(plan.erased
      ? {
          erased(decision, erasures) {
            const worded = plan.erased!(decision, erasures);
            into.changes = worded.changes;
            return worded;
          },
        }
      : {}),
  };
}

/** How deep a command's JSON may nest: far deeper than any command's arguments, far shallower than the stack. */
const MAX_NESTING = 64;

/** Whether a parsed JSON value nests arrays and objects more than `limit` deep; iterative, so any depth is safe. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: next, depth } = stack.pop()!;
    if (next === null || typeof next !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(next)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/**
 * Why a command the log already holds (at this command's place, or under its id) is not this one sent again; null
 * for a true retry, which is answered as the first time. A retry is the same command id at the same place of the
 * same workstation with the same name, operator, time of issue and arguments (its ticket may be newer). A command
 * refused unread is logged without its content: a retry of it is known by its id and place alone.
 */
function replayProblem(logged: LoggedCommand, sent: { commandId: string; clientId: string; clientSeq: number; content: CommandEnvelope | null }): string | null {
  if (logged.commandId !== sent.commandId) {
    return `command ${sent.clientSeq} of this workstation was taken already, as command ${logged.commandId}: command ${sent.commandId} cannot take its place (is the workstation's data folder an older copy?)`;
  }
  if (logged.clientId !== sent.clientId) return `command id ${sent.commandId} is another workstation's command: a command id is used once`;
  if (logged.clientSeq !== sent.clientSeq) {
    return `command ${sent.commandId} was taken already as command ${logged.clientSeq} of this workstation, not ${sent.clientSeq}: a command is sent again in its own place or not at all`;
  }
  const content = sent.content;
  if (content === null || logged.args === 'null') return null;
  const differs = [
    logged.name !== content.name && logged.name !== content.name.replaceAll('\u0000', '\uFFFD') ? 'name' : null,
    logged.operator !== content.operator ? 'operator' : null,
    logged.issuedAt !== content.issuedAt ? 'time of issue' : null,
    canonicalJson(JSON.parse(logged.args)) !== canonicalJson(content.args ?? null) ? 'arguments' : null,
  ].filter((field) => field !== null);
  if (differs.length === 0) return null;
  return `command ${sent.commandId} was taken already with another ${differs.join(', ')}: a command is sent again unchanged, never changed under the same id`;
}

/**
 * A command the server cannot process as sent: withdrawn by its workstation (too large to send), one naming another
 * client, or one it cannot read, or one withdrawn because a record it named was erased before it was sent (its
 * arguments gone with the record). It is logged as refused, in its place, so the commands after it are not left waiting,
 * and the room's refusal record says as much of it as can be known: a withdrawal names the command, its operator and
 * its time; only its workstation holds its arguments.
 */
function unreadable(
  raw: unknown,
  identity: { commandId: string; clientSeq: number },
  malformed: string | null,
  device: EnrolledDevice,
  processedAt: string,
): { envelope: CommandEnvelope; reason: string; what: { args: null; operator: string | null; tooLarge: boolean } } {
  const withdrawal = CommandWithdrawal.safeParse(raw);
  const fields = (raw ?? {}) as Record<string, unknown>;
  const name = withdrawal.success ? withdrawal.data.name : typeof fields.name === 'string' ? fields.name.slice(0, 64) : undefined;
  const operator = withdrawal.success ? (withdrawal.data.operator ?? null) : Name.safeParse(fields.operator).data ?? null;
  const issuedAt = withdrawal.success ? withdrawal.data.issuedAt : Instant.safeParse(fields.issuedAt).data;
  const reason = withdrawal.success
    ? `withdrawn by the workstation: ${withdrawal.data.withdrawn}`
    : malformed === null
      ? 'the command names another client'
      : `malformed command: ${malformed}`;
  const envelope: CommandEnvelope = {
    commandId: identity.commandId,
    clientId: device.clientId,
    clientSeq: identity.clientSeq,
    name: name || '?',
    args: null,
    issuedAt: issuedAt ?? processedAt,
    operator: operator ?? '?',
    ticket: '',
    workstation: device.workstation,
    schemaVersion: 0,
  };
  return { envelope, reason, what: { args: null, operator, tooLarge: withdrawal.success && withdrawal.data.erased !== true } };
}

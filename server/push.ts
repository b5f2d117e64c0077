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
import { HttpError } from './http/read-body';
import { planCommand, refusalPlan, refusalRecord, ticketRefusalPlan, type ServerRules } from './commands/plan-command';
import type { EnrolledDevice, ServerStorage } from './storage/storage';
import { checkTicket } from './access/tickets';
import { outcomeForClient } from './outcome-for-client';
import { afterAccountCommand } from './access/account-effects';
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
  /** Key that signs sign-in tickets: each command must carry its operator's. */
  ticketSecret: string;
  onApplied(head: number): void;
}

/**
 * Processes a batch of one client's commands in clientSeq order. Each is applied or refused on its own; the batch
 * stops at a gap (a command the server has not seen the one before of), and the answer says how far it got.
 */
export async function handlePush(body: unknown, deps: PushDeps): Promise<PushResponse> {
  const batch = PushBatch.safeParse(body);
  if (!batch.success) throw new HttpError(400, `push: ${describeIssues(batch.error)}`);
  const { clientId, schemaVersion } = batch.data;
  if (clientId !== deps.device.clientId) throw new HttpError(403, 'a workstation may push only its own commands');
  if (schemaVersion < MIN_CLIENT_SCHEMA_VERSION || schemaVersion > SCHEMA_VERSION) {
    const update = schemaVersion < MIN_CLIENT_SCHEMA_VERSION ? 'update the workstation' : 'update the server';
    throw new HttpError(
      426,
      `workstation schema version ${schemaVersion} is not accepted here (this server accepts ${MIN_CLIENT_SCHEMA_VERSION} to ${SCHEMA_VERSION}); ${update}`,
      { accepts: { min: MIN_CLIENT_SCHEMA_VERSION, max: SCHEMA_VERSION } },
    );
  }

  const outcomes: CommandOutcome[] = [];
  // When each operator's tickets were last revoked (epoch ms, or null), read once a batch.
  const revokedTickets = new Map<string, number | null>();
  const ticketsRevokedAt = async (operator: string) => {
    if (!revokedTickets.has(operator)) {
      const revocation = await deps.storage.revocation('tickets', operator);
      revokedTickets.set(operator, revocation ? Date.parse(revocation.revokedAt) : null);
    }
    return revokedTickets.get(operator)!;
  };
  for (const raw of batch.data.commands) {
    const processedAt = new Date(deps.rules.now()).toISOString();
    const envelope = CommandEnvelope.safeParse(raw);
    let result;
    if (envelope.success && envelope.data.clientId === clientId) {
      const { ticket, operator, issuedAt } = envelope.data;
      const revokedAt = await ticketsRevokedAt(operator);
      const ticketProblem = checkTicket(deps.ticketSecret, ticket, { operator, clientId, issuedAt: Date.parse(issuedAt), now: deps.rules.now(), revokedAt });
      const plan = ticketProblem ? ticketRefusalPlan(envelope.data, ticketProblem, deps.rules) : planCommand(envelope.data, deps.rules);
      result = await deps.storage.process(envelope.data, plan, processedAt);
    } else {
      const identity = Identified.safeParse(raw);
      if (!identity.success) throw new HttpError(400, `push: a command has no usable commandId and clientSeq`);
      const { envelope: unread, reason, what } = unreadable(raw, identity.data, envelope.success ? null : describeIssues(envelope.error), deps.device, processedAt);
      result = await deps.storage.process(unread, refusalPlan('invalid', reason, refusalRecord(unread, 'invalid', reason, deps.rules, what)), processedAt);
    }
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
      if (outcome.status === 'applied' && envelope.success) await afterAccountCommand(envelope.data, deps.storage, deps.rules.now());
      if (result.wrote) deps.onApplied(result.head);
    }
  }
  return { outcomes, lastClientSeq: await deps.storage.lastClientSeq(clientId) };
}

/**
 * A command the server cannot process as sent: withdrawn by its workstation (too large to send), one naming another
 * client, or one it cannot read. It is logged as refused, in its place, so the commands after it are not left waiting,
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
  return { envelope, reason, what: { args: null, operator, tooLarge: withdrawal.success } };
}

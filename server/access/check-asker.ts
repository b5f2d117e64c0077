import { z } from 'zod';
import { Name } from '../../shared/domain/ids';
import { Operator, roleNames, type Role } from '../../shared/domain/operator';
import { describeIssues } from '../../shared/validation';
import { AccessRefused, HttpError } from '../http/read-body';
import type { EnrolledDevice, ServerStorage } from '../storage/storage';
import { judgeTicket } from './tickets';
import { revocationForTicket } from './revocation-words';

/** Who asks a question the server answers at once (the audit log, the room's measures): as a command says it. */
export interface Asker {
  operator: string;
  ticket: string;
}

export interface AskerDeps {
  storage: ServerStorage;
  /** The enrolled workstation asking, for its operator. */
  device: EnrolledDevice;
  ticketSecret: string;
  now: number;
}

/**
 * Checks that the ticket is good for this operator at this workstation now, and that the operator is active and
 * holds one of `roles`, and belongs to the workstation's force; `refusal` says what the operator may not do, and who may, after their name and roles ("may not
 * look at the audit log: only a supervisor or an auditor may"). Throws HttpError
 * 403 otherwise (AccessRefused, which the server audits; not 401: 401 tells a workstation that its own enrolment is
 * unknown, and it would enrol again).
 */
export async function checkAsker(asker: Asker, deps: AskerDeps, roles: readonly Role[], refusal: string): Promise<Operator> {
  const revocation = await deps.storage.revocation('tickets', asker.operator);
  const operator = Operator.safeParse(await deps.storage.record({ kind: 'operator', id: asker.operator }));
  const problem = judgeTicket(deps.ticketSecret, asker.ticket, {
    operator: asker.operator,
    clientId: deps.device.clientId,
    // Judged now, not at a time the workstation names: a question is answered now, never replayed from an outbox.
    issuedAt: deps.now,
    now: deps.now,
    // A deactivated account's request is refused as that, by whom and when, not as a ticket (revocation-words.ts).
    ...revocationForTicket(asker.operator, revocation, undefined, 'request', operator.success ? operator.data : null),
  });
  if (problem) throw new AccessRefused(asker.operator, problem.cause, problem.said);
  if (!operator.success || !operator.data.active) throw new AccessRefused(asker.operator, 'not active', `${asker.operator} is not an active operator of this force`);
  // The answer is the workstation's force's (its audit log, its room): only that force's own operators may have it.
  if (deps.device.force === null || operator.data.force !== deps.device.force) throw new AccessRefused(asker.operator, 'operator of another force', `${asker.operator} is not an operator of this workstation's force`);
  if (!operator.data.roles.some((role) => roles.includes(role))) {
    const held = operator.data.roles.map((role) => roleNames[role].toLowerCase()).join(', ');
    throw new AccessRefused(asker.operator, 'role', `${asker.operator} (${held}) ${refusal}`);
  }
  return operator.data;
}

/** Who asks, as every asking request says it, read apart from the rest of the request (see admitAsker). */
const AskerFields = z.object({ operator: Name, ticket: z.string().min(1).max(2000) });

/**
 * checkAsker before the request is read: the operator and ticket alone are taken from `body` (400 if they cannot be
 * read, saying only that, as every asking request takes them), the asker checked (403), and only then may the
 * caller parse the rest, so a role refused a route learns nothing of the shape of what it takes from a 400.
 * `what` names the route in a refusal ("audit query").
 */
export async function admitAsker(body: unknown, what: string, deps: AskerDeps, roles: readonly Role[], refusal: string): Promise<Operator> {
  const asker = AskerFields.safeParse(body);
  if (!asker.success) throw new HttpError(400, `${what}: ${describeIssues(asker.error)}`);
  return checkAsker(asker.data, deps, roles, refusal);
}

import { issueTicket } from '../../server/access/tickets';
import { TICKET_SECRET } from '../../server/access/access-routes';
import { runSystemCommands } from '../../server/commands/system-commands';
import type { ServerRules } from '../../server/commands/plan-command';
import type { EnrolledDevice, ServerStorage } from '../../server/storage/storage';
import type { Role } from '../../shared/domain/operator';
import type { ForceCode } from '../../shared/domain/force';
import type { WorkstationStore } from '../../main/store/workstation-store';
import { hashPassword } from '../../node-common/passwords';

/** Operators for tests: registered as records the rules check, with the roles given (all but admin by default). */
export async function registerTestOperators(storage: ServerStorage, rules: ServerRules, names: string[], roles: Role[] = ['call_handler', 'dispatcher', 'supervisor']): Promise<void> {
  await runSystemCommands(storage, rules, names.map((name) => ({ name: 'operator.register', args: { name, displayName: name, roles, active: true } })));
}

/** What a workstation would have been given at sign-in: a ticket for this operator at this client, valid a day. */
export async function ticketFor(storage: ServerStorage, operator: string, clientId: string, expiresAt = Date.now() + 86_400_000): Promise<string> {
  return issueTicket(await storage.secret(TICKET_SECRET), { operator, clientId, expiresAt });
}

/** A device record as enrolment would have made it, for calling push handling directly. */
export function deviceOf(clientId: string, workstation = 'WS-TEST', force: ForceCode = 'DMO'): EnrolledDevice {
  return { clientId, workstation, force, tokenHash: 'test', enrolledAt: '2026-11-29T00:00:00.000Z' };
}

/**
 * Leaves a workstation as if this operator had signed in there while the server was reachable: the cached
 * verifier and ticket, and the operator's record as the server sent it.
 */
export async function rememberSignIn(store: WorkstationStore, operator: string, password: string, roles: Role[] = ['call_handler', 'dispatcher']): Promise<void> {
  const profile = { id: operator, force: 'DMO', displayName: operator, roles, active: true, version: 1 };
  const verifier = await hashPassword(password);
  store.transaction(() => {
    store.signIns.remember({ operator, verifier, ticket: 'ticket-from-an-earlier-sign-in', expiresAt: new Date(Date.now() + 86_400_000).toISOString(), profile, signedInAt: new Date().toISOString() });
    const record = { kind: 'operator' as const, id: operator, doc: profile };
    store.server.put(record, 0);
    store.view.write(record);
  });
}

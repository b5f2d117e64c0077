import { randomUUID } from 'node:crypto';
import { canonicalJson, type AuditDraft, type AuditKind } from './audit-chain';

/**
 * Audit entries for what happens to accounts outside any command: a password checked by the server and the ticket
 * it gave, a failed sign-in, a lockout and its unlocking, a password set by an administrator, a revocation (`npm run
 * revoke`), a workstation enrolled or refused enrolment, a request refused at the device check. Each is about an operator's account
 * (record kind `operator`), names who did it (the operator signing in, the administrator), and carries its
 * details as canonical JSON in `after`: metadata only, never a password or a hash of one. They take the same
 * chain and encoding as a command's entries; `commandId` is a fresh id, as no command carried them, and `command`
 * names the access action (`access.signIn`, `access.admin`, `access.revoke`).
 */
export interface AccessEvent {
  kind: Extract<AuditKind, 'sign-in-failure' | 'lockout' | 'unlock' | 'password-set' | 'revocation' | 'ticket-issued' | 'enrolment' | 'enrolment-refused' | 'access-refused'>;
  /** access.signIn, access.admin, access.revoke, access.enrol or access.device. */
  action: string;
  /** Who did it: the operator signing in, or the administrator. */
  by: string;
  /** The account it was about (an operator's name), or for a workstation's revocation, the workstation. */
  subject: { kind: 'operator' | 'workstation'; id: string };
  workstation: string;
  clientId: string;
  /** The force whose log it goes in: the workstation's (the operator's, who signs in only at their own force's). */
  force: string | null;
  /** Server time, ISO-8601 UTC. */
  at: string;
  details: Record<string, string | number | boolean | null>;
}

export function accessAuditDraft(event: AccessEvent): AuditDraft {
  return {
    recordedAt: event.at,
    issuedAt: event.at,
    operator: event.by,
    workstation: event.workstation,
    clientId: event.clientId,
    force: event.force,
    commandId: randomUUID(),
    command: event.action,
    kind: event.kind,
    recordKind: event.subject.kind,
    recordId: event.subject.id,
    field: null,
    before: null,
    after: canonicalJson(event.details),
  };
}

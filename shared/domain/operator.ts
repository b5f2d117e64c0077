import { ForceCode } from './force';
import { z } from 'zod';
import { Name } from './ids';
import { Instant } from './time';

/**
 * What an operator may do is decided by their roles, on the workstation (to offer it) and on the server (to accept it).
 * An auditor may read the audit log (server/audit/audit-queries.ts) and nothing else: no command names the role.
 */
export const Role = z.enum(['call_handler', 'dispatcher', 'supervisor', 'trainer', 'admin', 'auditor']);
export type Role = z.infer<typeof Role>;

export const roleNames: Record<Role, string> = {
  call_handler: 'Call handler',
  dispatcher: 'Dispatcher',
  supervisor: 'Supervisor',
  trainer: 'Trainer',
  admin: 'Force administrator',
  auditor: 'Auditor',
};

/** An operator as every workstation knows them: no credentials, which stay on the server. */
export const Operator = z.object({
  id: Name,
  /**
   * The force the operator belongs to: they sign in only at its workstations, and `roles` are held in it (borrowing
   * into another force will add roles held there, each named with its force).
   */
  force: ForceCode,
  displayName: z.string().min(1).max(120),
  roles: z.array(Role).min(1),
  active: z.boolean(),
  /**
   * Who deactivated the account, and when (the command's time of issue), while it stays inactive: what a workstation
   * says when it signs them out, and what their held commands wait on. Absent while active, and on an account
   * deactivated before this was kept (or by the server's own operators file).
   */
  deactivated: z.object({ by: Name, at: Instant }).optional(),
  version: z.number().int().positive(),
});
export type Operator = z.infer<typeof Operator>;

/**
 * Which roles may issue each command: least privilege. A trainer has no live permissions at all (exercises run
 * on their own data). Commands not listed here are for the server itself.
 */
export const permissions: Record<string, readonly Role[]> = {
  'incident.create': ['call_handler', 'dispatcher', 'supervisor'],
  'incident.addLog': ['call_handler', 'dispatcher', 'supervisor'],
  'incident.update': ['call_handler', 'dispatcher', 'supervisor'],
  'incident.close': ['call_handler', 'dispatcher', 'supervisor'],
  'incident.takeOwnership': ['dispatcher', 'supervisor'],
  'unit.assign': ['dispatcher', 'supervisor'],
  'assignment.setStatus': ['dispatcher', 'supervisor'],
  /** A deployment kept on paper while the system was down, entered in catch-up with its times (a call handler may have sent it by radio). */
  'assignment.record': ['call_handler', 'dispatcher', 'supervisor'],
  /** Receipts come from the vehicle's terminal, through the dispatcher's workstation that sent the deployment. */
  'assignment.receipt': ['dispatcher', 'supervisor'],
  'unit.setDuty': ['dispatcher', 'supervisor'],
  /** Claims made by a dispatcher's workstation when a deadline falls due: the alarm or prompt is theirs. */
  'assignment.receiptOverdue': ['dispatcher', 'supervisor'],
  'incident.handoffOverdue': ['dispatcher', 'supervisor'],
  'assignment.reservationDue': ['dispatcher', 'supervisor'],
  'unit.shiftEnded': ['dispatcher', 'supervisor'],
  'assignment.confirmByRadio': ['dispatcher', 'supervisor'],
  'assignment.answerLateRejection': ['dispatcher', 'supervisor'],
  'unit.answerShiftEnd': ['dispatcher', 'supervisor'],
  'conflict.resolve': ['call_handler', 'dispatcher', 'supervisor'],
  /** An auditor's sign-in is audited too: who read the audit log, from where and when, is the first thing asked of it. */
  'operator.signedIn': ['call_handler', 'dispatcher', 'supervisor', 'trainer', 'admin', 'auditor'],
  /** Sent by a training workstation only, for the trainer's desk (shared/commands/operator-signed-out.ts). */
  'operator.signedOut': ['call_handler', 'dispatcher', 'supervisor', 'trainer', 'admin', 'auditor'],
  'record.consulted': ['call_handler', 'dispatcher', 'supervisor', 'trainer', 'admin'],
  /** What a desk proposed or a handler chose before saving: the proposals a dispatcher sees, a call located and graded. */
  'moment.recorded': ['call_handler', 'dispatcher', 'supervisor'],
  /** Bookkeeping on one's own refused commands (who may handle which is the command's own rule). */
  'refusal.handle': ['call_handler', 'dispatcher', 'supervisor', 'trainer', 'admin'],
  'contact.receive': ['call_handler', 'dispatcher', 'supervisor'],
  'contact.answer': ['call_handler', 'dispatcher', 'supervisor'],
  'contact.locate': ['call_handler', 'dispatcher', 'supervisor'],
  'contact.end': ['call_handler', 'dispatcher', 'supervisor'],
  'contact.attach': ['call_handler', 'dispatcher', 'supervisor'],
  /** A call answered on the handset while the system was down, tied in catch-up to its paper record. */
  'contact.answerOnPaper': ['call_handler', 'dispatcher', 'supervisor'],
  'task.complete': ['call_handler', 'dispatcher', 'supervisor'],
  'task.claim': ['call_handler', 'dispatcher', 'supervisor'],
  'task.attempt': ['call_handler', 'dispatcher', 'supervisor'],
  'incident.regrade': ['call_handler', 'dispatcher', 'supervisor'],
  'incident.changeType': ['call_handler', 'dispatcher', 'supervisor'],
  /** The roles that could ever: which of them may is the force's to say (ForceConfig.reopening; mayReopen). */
  'incident.reopen': ['call_handler', 'dispatcher', 'supervisor'],
  'incident.decideDowngrade': ['supervisor'],
  'incident.assessRisk': ['call_handler', 'dispatcher', 'supervisor'],
  'incident.link': ['call_handler', 'dispatcher', 'supervisor'],
  'incident.unlink': ['call_handler', 'dispatcher', 'supervisor'],
  'marker.add': ['supervisor', 'admin'],
  'marker.remove': ['supervisor', 'admin'],
  /** Nobody's: the server's own, from its operators file (trusted; operator-register.ts). */
  'operator.register': [],
  /** A force administrator's account changes at the console (shared/commands/operator-accounts.ts). */
  'operator.add': ['admin'],
  'operator.setRoles': ['admin'],
  'operator.setActive': ['admin'],
  'unit.register': ['admin'],
  /** Unit loans between forces (shared/domain/loan.ts): which force may give which answer is the command's own rule. */
  'loan.request': ['dispatcher', 'supervisor'],
  'loan.accept': ['dispatcher', 'supervisor'],
  'loan.decline': ['dispatcher', 'supervisor'],
  'loan.withdraw': ['dispatcher', 'supervisor'],
  'loan.return': ['dispatcher', 'supervisor'],
  'loan.takeBack': ['dispatcher', 'supervisor'],
  /** Sharing an incident with the other force, and revoking it: the owning force's dispatchers (share-commands.ts). */
  'share.create': ['dispatcher', 'supervisor'],
  'share.revoke': ['dispatcher', 'supervisor'],
  /** Standing sharing arrangements by incident type: force administrators only (arrangement-commands.ts). */
  'arrangement.propose': ['admin'],
  'arrangement.approve': ['admin'],
  'arrangement.withdraw': ['admin'],
  /** Offering an incident's ownership to the other force, and answering: dispatchers and supervisors (transfer-commands.ts). */
  'transfer.offer': ['dispatcher', 'supervisor'],
  'transfer.accept': ['dispatcher', 'supervisor'],
  'transfer.decline': ['dispatcher', 'supervisor'],
  'transfer.withdraw': ['dispatcher', 'supervisor'],
};

/**
 * Commands that record what happened at a workstation and change no record: a record looked at, what a desk proposed
 * or a handler chose, a sign-in or sign-out. The server logs them however the author's roles or account have changed
 * since (a role removed, the account deactivated, its tickets revoked), as long as the ticket they carry is one it
 * issued to that operator at that workstation: the look a suspended officer took at a record while offline is the
 * one the audit log most needs (DPA 2018 s.62: consultations are logged), and refusing it would lose it. Their role
 * lists above say which desks issue them; every other command is judged by the author's roles when it is applied.
 */
export const FACTS: ReadonlySet<string> = new Set(['record.consulted', 'moment.recorded', 'operator.signedIn', 'operator.signedOut']);

export function isFact(command: string): boolean {
  return FACTS.has(command);
}

/**
 * Facts a workstation records when nobody is signed in there, so no operator's ticket can carry them: a sign-in it
 * refused while the server was out of reach (shared/commands/operator-sign-in-refused.ts). They travel under the
 * workstation's enrolment alone (its device token), never with a ticket, and no role grants them: no operator may
 * issue one, and the name they carry (the name typed) is credited with nothing but the refusal.
 */
export const WORKSTATION_FACTS: ReadonlySet<string> = new Set(['operator.signInRefused']);

export function isWorkstationFact(command: string): boolean {
  return WORKSTATION_FACTS.has(command);
}

/**
 * Whose of the commands kept at a workstation (its conflicts, its refused commands) an operator is shown there: every
 * one (`all`), only those `author` made, or none. The workstation's file holds every operator's who used it (and its
 * force's conflicts), so each way they leave it for a window asks this, for whoever is signed in.
 */
export type Whose = { all: true } | { author: string } | 'none';

/** The author a query of the workstation's kept commands is narrowed to: undefined for all; null for none. */
export function authorOf(whose: Whose): string | undefined | null {
  return whose === 'none' ? null : 'all' in whose ? undefined : whose.author;
}

export function mayIssue(operator: Pick<Operator, 'roles' | 'active'> | undefined, command: string): boolean {
  if (!operator?.active) return false;
  const allowed = permissions[command] ?? [];
  return operator.roles.some((role) => allowed.includes(role));
}

export function hasRole(operator: Pick<Operator, 'roles'> | undefined, role: Role): boolean {
  return operator?.roles.includes(role) ?? false;
}

/** Whether the operator may reopen a closed incident: a role the force's configuration names for it. */
export function mayReopen(operator: Pick<Operator, 'roles' | 'active'> | undefined, reopening: { roles: readonly Role[] }): boolean {
  if (!operator || !mayIssue(operator, 'incident.reopen')) return false;
  return operator.roles.some((role) => reopening.roles.includes(role));
}

/**
 * What a sign-in to a deactivated account is told, by the server and by a workstation signing in offline alike (the
 * operator must not read two stories of one fact): only one who knew the password hears it. Lower-case and without a
 * full stop, as the server's refusals are; the sign-in screen makes it a sentence.
 */
export function deactivatedAccountWords(name: string): string {
  return `${name}'s account has been deactivated by a force administrator: ask a force administrator if this is wrong`;
}

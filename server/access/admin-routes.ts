import { AdminRequest, Caller, type AccountLockout, type AdminResponse } from '../../shared/sync/admin-protocol';
import { hasRole, Operator } from '../../shared/domain/operator';
import { passwordProblem } from '../../shared/domain/password-rules';
import { describeIssues } from '../../shared/validation';
import { hashPassword } from '../../node-common/passwords';
import { accessAuditDraft } from '../audit/access-audit';
import { erasureDrafts } from '../audit/erasure-audit';
import { ERASABLE_WORDS, erasedAlready as erasedAlreadyWords, erasureCounts, erasureWords, handedOverWords, noSuchRecord, type ErasableKind } from '../../shared/domain/erasure';
import { erasedRecordLabel } from '../audit/erasure-audit';
import { wallClock } from '../../shared/domain/wall-clock';
import { FIRST_FORCE, type ForceCode } from '../../shared/domain/force';
import { AccessRefused, HttpError } from '../http/read-body';
import type { EnrolledDevice, ServerStorage } from '../storage/storage';
import { revocationForTicket } from './revocation-words';
import { judgeTicket } from './tickets';
import { accountLockout, failureKey, type LockoutRules } from './sign-in-lockout';
import { nameTakenWords } from '../../shared/commands/operator-accounts';

export interface AdminDeps {
  storage: ServerStorage;
  ticketSecret: string;
  now: number;
  lockout: LockoutRules;
  /** Called with the new head once an erasure has written its withdrawals, for the live hub to send them. */
  onErased?: (head: number) => void;
}

/**
 * A force administrator's request (shared/sync/admin-protocol.ts), from an enrolled workstation: the caller's
 * ticket must be good now, for this workstation, and the caller an active administrator as the server's records
 * say now (a role removed a moment ago is removed here too). Refusals are 403 in words; a password that breaks the
 * force's rule is 400 with the rule's words. A password is hashed at once and never logged or audited: the audit
 * entry says who set whose, and when.
 */
export async function handleAdmin(body: unknown, device: EnrolledDevice, deps: AdminDeps): Promise<AdminResponse> {
  const { storage, now } = deps;
  // Who asks, checked before the rest of the request is read: anyone but a force administrator is refused as such,
  // learning nothing of what the request takes.
  const asker = Caller.safeParse(body);
  if (!asker.success) throw new HttpError(400, `admin: ${describeIssues(asker.error)}`);
  const revoked = await storage.revocation('tickets', asker.data.operator);
  const name = asker.data.operator;
  const caller = Operator.safeParse(await storage.record({ kind: 'operator', id: name }));
  const ticketProblem = judgeTicket(deps.ticketSecret, asker.data.ticket, {
    operator: asker.data.operator,
    clientId: device.clientId,
    issuedAt: now,
    now,
    // A deactivated administrator's request is refused as that, by whom and when, not as a ticket (revocation-words.ts).
    ...revocationForTicket(name, revoked, undefined, 'request', caller.success ? caller.data : null),
  });
  if (ticketProblem) {
    const words = ticketProblem.cause === 'account deactivated' ? ticketProblem.said : `${ticketProblem.said}; an administrator's request needs a current sign-in with the server`;
    throw new AccessRefused(name, ticketProblem.cause, words);
  }
  if (!caller.success || !caller.data.active || !hasRole(caller.data, 'admin')) throw new AccessRefused(name, caller.success && !caller.data.active ? 'not active' : 'role', `${name} is not a force administrator`);
  // A force's administrator administers that force's accounts, at its workstations: never another force's.
  if (device.force === null || caller.data.force !== device.force) throw new AccessRefused(name, 'operator of another force', `${name} is not an administrator of this workstation's force`);
  const parsed = AdminRequest.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `admin: ${describeIssues(parsed.error)}`);
  const request = parsed.data;
  if (request.action === 'erase-preview') {
    const { kind, id } = request.record;
    // The erasure's own search, stopped before it writes: what it counts is what the erasure takes.
    const outcome = await storage.erase({ target: { kind, id }, force: caller.data.force, audit: () => [], preview: true });
    if ('refused' in outcome) {
      return { done: 'nothing would be erased', accounts: [], goes: [], problem: await whyNothingErased(storage, request.record, caller.data.force, deps.lockout.timeZone, outcome.refused) };
    }
    // Only the force's own records: another force's that name it stay theirs, and are not this force's to count.
    // And what it hands to another force instead (the lender's part): it too leaves this force's desks.
    const goes = [...erasureWords(erasureCounts(outcome.erased)), ...handedOverWords(outcome.handedOver)];
    return { done: `erasing the ${ERASABLE_WORDS[kind]} would take ${outcome.erased.length - 1} record${outcome.erased.length === 2 ? '' : 's'} with it`, accounts: [], goes, problem: null };
  }
  if (request.action === 'erase') {
    const { kind, id } = request.record;
    const outcome = await storage.erase({
      target: { kind, id },
      force: caller.data.force,
      audit: (erased, references, altered, others) => erasureDrafts({ by: request.operator, workstation: device.workstation, clientId: device.clientId, force: device.force, at: new Date(now).toISOString(), reason: request.reason }, erased, references, altered, others),
    });
    if ('refused' in outcome) {
      throw new HttpError(400, `nothing was erased: ${await whyNothingErased(storage, request.record, caller.data.force, deps.lockout.timeZone, outcome.refused)}`);
    }
    deps.onErased?.(outcome.head);
    const others = outcome.erased.length - 1;
    return { done: `erased the ${ERASABLE_WORDS[kind]}${others > 0 ? ` and ${others} record${others === 1 ? '' : 's'} with it` : ''}: every workstation deletes ${others > 0 ? 'them' : 'it'}; the audit log keeps who did what, not the values`, accounts: [] };
  }
  if (request.action === 'erasure-of') {
    const ids = request.kind === 'incident' && !UUID.test(request.record)
      ? (await storage.incidentsWithReference(request.record)).filter((incident) => (incident.force ?? FIRST_FORCE) === caller.data.force).map((incident) => incident.id)
      : [request.record.toLowerCase()];
    for (const id of ids) {
      const already = await erasedAlready(storage, request.kind, id, caller.data.force, deps.lockout.timeZone);
      if (already) return { done: already, accounts: [], erased: true };
    }
    return { done: `no erasure of the ${ERASABLE_WORDS[request.kind]} ${request.record} in force ${caller.data.force}'s audit log`, accounts: [], erased: false };
  }
  const subjects = request.action === 'lockouts' ? request.subjects : [request.subject];
  // The key each name's failed sign-ins at this force's workstations are counted under (failureKey): an account of this
  // force's own name; any other name, another force's account or none, this force's guesses at it. Another force's
  // people are not this force's business (DPA 2018): its accounts' lockouts are neither shown nor lifted here, and a
  // name of theirs is answered exactly as a name no account holds (issue 12 M10), so the answer says nothing of
  // which names the other force has.
  const keys = new Map<string, string>();
  const ownNames = new Set<string>();
  for (const name of subjects) {
    const subject = Operator.safeParse(await storage.record({ kind: 'operator', id: name }));
    const own = subject.success && subject.data.force === caller.data.force;
    // A password for a name another force holds would be that force's account's: the name is only said to be taken,
    // never whose (names are one namespace on a server of several forces), as operator.add says.
    if (request.action === 'set-password' && subject.success && !own) throw new HttpError(403, nameTakenWords(name));
    keys.set(name, failureKey(name, caller.data.force, own));
    if (own) ownNames.add(name);
  }
  const at = new Date(now).toISOString();
  const audit = (kind: 'password-set' | 'unlock', subject: string, details: Record<string, string | number | boolean | null>) =>
    accessAuditDraft({ kind, action: 'access.admin', by: request.operator, subject: { kind: 'operator', id: subject }, workstation: device.workstation, clientId: device.clientId, force: device.force, at, details });

  if (request.action === 'set-password') {
    const subject = Operator.safeParse(await storage.record({ kind: 'operator', id: request.subject }));
    const problem = passwordProblem(request.password, { name: request.subject, ...(subject.success ? { displayName: subject.data.displayName } : {}) });
    if (problem) throw new HttpError(400, `the password for ${request.subject} is ${problem}`);
    const stored = await storage.credential(request.subject);
    // A password comes before its account when an administrator adds an operator (the account follows through the
    // outbox). A name with no account yet whose password another force set is that force's to add: never this one's
    // to take over. The password is kept as this force's, and signs in only to an account of this force.
    if (!subject.success && stored?.force != null && stored.force !== caller.data.force) {
      throw new HttpError(403, nameTakenWords(request.subject));
    }
    const first = stored === null;
    await storage.setCredential(request.subject, await hashPassword(request.password), [audit('password-set', request.subject, { first })], caller.data.force);
    // A password set before its account (the administrator's add is on its way through the outbox) says so.
    return { done: `${first ? 'set' : 'reset'} ${request.subject}'s password${subject.success ? '' : `; it signs in once an account named ${request.subject} is added at ${caller.data.force}`}`, accounts: [] };
  }
  if (request.action === 'unlock') {
    const key = keys.get(request.subject)!;
    const state = await accountLockout(storage, key, now, deps.lockout);
    await storage.clearSignInFailures(key, [audit('unlock', request.subject, { wasLocked: state.locked })]);
    // A name this force has no account under (another force's, or nobody's: answered alike) has no account to lock:
    // what is cleared is the count of wrong passwords typed for it at this force's workstations.
    if (!ownNames.has(request.subject)) {
      return { done: `${caller.data.force} has no account named ${request.subject}; the failed sign-ins under that name at ${caller.data.force}'s workstations are forgotten`, accounts: [] };
    }
    return { done: state.locked ? `unlocked ${request.subject}'s account` : `${request.subject}'s account was not locked; its failed sign-ins are forgotten`, accounts: [] };
  }
  const accounts: AccountLockout[] = [];
  for (const operator of request.subjects) {
    const state = await accountLockout(storage, keys.get(operator)!, now, deps.lockout);
    accounts.push(
      state.locked
        ? { operator, locked: true, until: new Date(state.until).toISOString(), recentFailures: deps.lockout.rule.failures }
        : { operator, locked: false, until: null, recentFailures: state.recentFailures },
    );
  }
  return { done: `looked up ${accounts.length} accounts`, accounts };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Why an erasure (or its preview) takes nothing, in the words the administrator is shown: erased already by this
 * force, with who and when (from the erasure's own entry); erased, but not by this force, answered as for a record
 * never here (another force's record is not this force's to know of); else the storage's own refusal. A record not
 * here is named as the administrator named it (`named`: an incident's reference), else by its id.
 */
async function whyNothingErased(storage: ServerStorage, record: { kind: ErasableKind; id: string; named?: string | undefined }, force: ForceCode, timeZone: string, refused: string): Promise<string> {
  const { kind, id } = record;
  const already = await erasedAlready(storage, kind, id, force, timeZone);
  if (already) return already;
  return refused === erasedAlreadyWords(kind, id) || refused === noSuchRecord(kind, id) ? noSuchRecord(kind, record.named ?? id) : refused;
}

/**
 * "the incident DMO-2026-000123 was erased already, by admin on 2026-11-30 09:00 GMT (reason: …)", from the force's
 * own erasure entry on the record (an incident by the reference the erasure kept); null when the force erased
 * nothing of that id.
 */
async function erasedAlready(storage: ServerStorage, kind: ErasableKind, id: string, force: ForceCode, timeZone: string): Promise<string | null> {
  const erasure = await storage.erasureOf({ kind, id }, force);
  if (!erasure) return null;
  const name = erasedRecordLabel(kind, erasure.after)?.replace(/ \(erased\)$/, '') ?? `${ERASABLE_WORDS[kind]} ${id}`;
  let reason: unknown;
  try {
    reason = (JSON.parse(erasure.after ?? 'null') as { reason?: unknown } | null)?.reason;
  } catch {
    reason = null;
  }
  return `the ${name} was erased already, by ${erasure.operator} on ${wallClock(timeZone).dateTimeZoned(erasure.recordedAt)}${typeof reason === 'string' && reason ? ` (reason: ${reason})` : ''}`;
}

import { deactivatedAccountWords, Operator } from '../../shared/domain/operator';
import type { ForceCode } from '../../shared/domain/force';
import { describeIssues } from '../../shared/validation';
import { EnrolRequest, SignInRequest, type EnrolResponse, type SignInResponse, type WorkstationNameTaken } from '../../shared/sync/protocol';
import { verifyPassword } from '../../node-common/passwords';
import { HttpError } from '../http/read-body';
import type { EnrolledDevice, ServerStorage } from '../storage/storage';
import { SERVER_CLIENT_ID } from '../commands/system-commands';
import { accessWithdrawn, newDeviceToken, sameSecret } from './device-tokens';
import { issueTicket, TICKET_LIFETIME_MS } from './tickets';
import { accessAuditDraft } from '../audit/access-audit';
import { accountLockout, failureKey, lockedWords, noteFailure, noteRefusal, type LockoutRules, type SignInRefusal } from './sign-in-lockout';

export const TICKET_SECRET = 'ticket-signing-key';

/**
 * Enrolment: a workstation presents the enrolment key its administrator configured and gets a device token of
 * its own, and the generation of provisional references it is to mint. Enrolling again (a rebuilt workstation
 * keeping its client id) replaces the old token and gives a new generation. The workstation names its force, one
 * this server serves, and the server keeps it: from then on the device token alone says which force's records the
 * workstation receives and acts on, whatever it later claims. A workstation naming none (before schema version 5)
 * is enrolled for the only force of a one-force server, and refused by a server of several.
 *
 * `namesUnique` (a training server): a workstation name is one workstation's. A second one under a name another (not
 * revoked) already enrolled with is refused, 409 with WorkstationNameTaken: the trainer's desk lists trainees and an
 * exercise cuts a network by name, so two desks under one name (lab machines cloned from one image, whose default
 * name is the machine's) would be one row and one cut. A live server keeps allowing it (a rebuilt workstation enrols
 * again under its name; npm run revoke revokes every enrolment of a name).
 *
 * Audited: an enrolment granted is an `enrolment` entry in the force's log (the workstation's name, client id and
 * force; never the key or the token), written before the token is handed over; each refusal is told to `onRefused`
 * (central-server.ts tallies them into `enrolment-refused` entries) before it is thrown.
 */
export async function handleEnrol(
  body: unknown,
  storage: ServerStorage,
  enrolmentKey: string,
  now: number,
  served: readonly ForceCode[],
  options: { namesUnique?: boolean; onRefused?: (refusal: EnrolRefusal) => Promise<void> } = {},
): Promise<EnrolResponse> {
  const request = EnrolRequest.safeParse(body);
  const refuse = async (error: HttpError, refusal: EnrolRefusal): Promise<HttpError> => {
    await options.onRefused?.(refusal);
    return error;
  };
  if (!request.success) throw await refuse(new HttpError(400, `enrol: ${describeIssues(request.error)}`), { reason: 'malformed', claimed: null, keyRight: false });
  const claimed = { clientId: request.data.clientId, workstation: request.data.workstation, force: request.data.force ?? null };
  if (!sameSecret(request.data.enrolmentKey, enrolmentKey)) throw await refuse(new HttpError(403, 'wrong enrolment key'), { reason: 'wrong key', claimed, keyRight: false });
  if (request.data.clientId === SERVER_CLIENT_ID) throw await refuse(new HttpError(403, 'that client id is reserved'), { reason: 'reserved client id', claimed, keyRight: true });
  // A revoked workstation stays out whatever key it shows: only a rebuilt one (a fresh data file, a new client id) enrols.
  const revoked = await storage.revocation('device', request.data.clientId);
  if (revoked) throw await refuse(accessWithdrawn(revoked), { reason: 'revoked', claimed, keyRight: true });
  const force = request.data.force ?? (served.length === 1 ? served[0]! : null);
  if (force === null) throw await refuse(new HttpError(400, `enrol: name this workstation's force; this server serves ${served.join(', ')} (a workstation that names none needs updating)`), { reason: 'force not served', claimed, keyRight: true });
  if (!served.includes(force)) throw await refuse(new HttpError(400, `enrol: this server does not serve force ${force}; it serves ${served.join(', ')}`), { reason: 'force not served', claimed, keyRight: true });
  if (options.namesUnique) {
    const taken = await nameTaken(storage, request.data.workstation, request.data.clientId);
    if (taken) throw await refuse(taken, { reason: 'name taken', claimed: { ...claimed, force }, keyRight: true });
  }
  const { token, hash } = newDeviceToken();
  const at = new Date(now).toISOString();
  // The server's own entry, written in the enrolment's transaction, before the token is handed over: no workstation
  // holds a token its log does not show being given, and no token is stored (replacing the one the workstation held,
  // drawing a generation) without its entry: if the entry cannot be written, nothing of the enrolment is kept.
  const { workstation, clientId } = request.data;
  const entry = (referenceGeneration: number) => [
    accessAuditDraft({ kind: 'enrolment', action: 'access.enrol', by: `workstation ${workstation}`, subject: { kind: 'workstation', id: workstation }, workstation, clientId, force, at, details: { clientId, force, referenceGeneration } }),
  ];
  const enrolled = await storage.enrolDevice({ clientId, workstation, force, tokenHash: hash, enrolledAt: at }, entry);
  if ('enrolledFor' in enrolled) {
    const error = new HttpError(409, `this workstation is enrolled for force ${enrolled.enrolledFor ?? 'none'}, not ${force}: a workstation of another force starts with a new data folder`);
    throw await refuse(error, { reason: 'another force', claimed: { ...claimed, force: enrolled.enrolledFor }, keyRight: true });
  }
  return { deviceToken: token, referenceGeneration: enrolled.referenceGeneration };
}

/**
 * An enrolment refused, for its audit entry: why (a code of shared/domain/audit-words.ts ACCESS_REFUSAL_WORDS), what
 * the request claimed (null when it could not be read), and whether it showed the right enrolment key (if not,
 * nothing it claims is vouched for).
 */
export interface EnrolRefusal {
  reason: 'malformed' | 'wrong key' | 'reserved client id' | 'revoked' | 'force not served' | 'name taken' | 'another force';
  claimed: { clientId: string; workstation: string; force: ForceCode | null } | null;
  keyRight: boolean;
}

/** The refusal (409, WorkstationNameTaken) of a workstation name another workstation, not revoked, already enrolled with; null if free. */
async function nameTaken(storage: ServerStorage, workstation: string, clientId: string): Promise<HttpError | null> {
  for (const other of await storage.devicesNamed(workstation)) {
    if (other.clientId === clientId || (await storage.revocation('device', other.clientId))) continue;
    const taken: WorkstationNameTaken = {
      error: `A workstation named ${workstation} has already joined this exercise (another machine, or another data folder): each trainee's workstation needs a name of its own. Start this one with --workstation NAME, a name no other workstation in the exercise has`,
      workstationNameTaken: workstation,
    };
    return new HttpError(409, taken.error, { workstationNameTaken: workstation });
  }
  return null;
}

/**
 * Sign-in: the operator's password checked against the stored hash; on success a ticket bound to this workstation.
 * A refusal is 403: 401 is kept for "this workstation is not enrolled", which the workstation answers by enrolling.
 * A wrong name and a wrong password get the same answer, after the same password check, and both are counted
 * (shared/domain/sign-in-lockout.ts, under sign-in-lockout.ts failureKey): after the force's number of them the name
 * is locked, and the refusal says so and until when, the same for a made-up name as for an account, so a lockout
 * tells nothing of whether the account exists. Every refusal has a `sign-in-failure` entry in the force's audit log
 * with its reason in words; the desk is told no more than before. A sign-in granted has the server's own
 * `ticket-issued` entry (who, which workstation and force, the server's time, until when the ticket is good), written
 * before the ticket is handed over.
 */
export async function handleSignIn(body: unknown, device: EnrolledDevice, storage: ServerStorage, now: number, lockout: LockoutRules): Promise<SignInResponse> {
  const request = SignInRequest.safeParse(body);
  if (!request.success) throw new HttpError(400, `sign-in: ${describeIssues(request.error)}`);
  const { operator: name, password } = request.data;
  const record = Operator.safeParse(await storage.record({ kind: 'operator', id: name }));
  // A password set for another force than the account's (server migration 12) is not the account's password.
  const credential = await storage.credential(name);
  const stored = credential && (credential.force === null || (record.success && credential.force === record.data.force)) ? credential.hash : null;
  // Only an operator of this workstation's force is known here: another force's is refused like an unknown name, and
  // counted apart from their own account, so no force's workstations can lock another's accounts.
  const ownForce = record.success && device.force !== null && record.data.force === device.force;
  const key = device.force === null ? null : failureKey(name, device.force, ownForce);
  const refusal = (reason: string): SignInRefusal => ({ operator: name, device, now, reason });
  const locked = (until: number) => new HttpError(403, lockedWords(name, until, now, lockout), { locked: true, until: new Date(until).toISOString() });
  // A locked name is refused before its password is checked, so guessing on cannot find it meanwhile.
  const state = key === null ? null : await accountLockout(storage, key, now, lockout);
  if (state?.locked) {
    await noteRefusal(storage, refusal('locked out'), { until: new Date(state.until).toISOString() });
    throw locked(state.until);
  }
  const passwordOk = await verifyPassword(password, stored ?? DUMMY_HASH);
  if (!stored || !passwordOk) {
    const reason = !ownForce ? 'no such account at this force' : stored ? 'wrong password' : 'no password set for this account';
    if (key === null) await noteRefusal(storage, refusal(reason));
    else {
      const after = await noteFailure(storage, key, refusal(reason), lockout);
      if (after.locked) throw locked(after.until);
    }
    throw new HttpError(403, WRONG_NAME_OR_PASSWORD);
  }
  // From here the password is right: refusals are audited, not counted (they are no guess).
  // Only one who knows the password is told the account is deactivated (and that it is no mistake of theirs).
  if (ownForce && !record.data.active) {
    await noteRefusal(storage, refusal('account deactivated'));
    throw new HttpError(403, deactivatedAccountWords(name));
  }
  if (!record.success || !record.data.active) {
    await noteRefusal(storage, refusal('no such account at this force'));
    throw new HttpError(403, WRONG_NAME_OR_PASSWORD);
  }
  if (device.force === null) {
    await noteRefusal(storage, refusal('this workstation belongs to no force'));
    throw new HttpError(403, 'this workstation belongs to no force, so nobody may sign in at it: enrol it again for its force');
  }
  if (!ownForce) {
    await noteRefusal(storage, refusal(`no such account at this force (${name} is an operator of force ${record.data.force})`));
    throw new HttpError(403, `${name} is an operator of force ${record.data.force}, and this workstation is force ${device.force}'s: sign in at a workstation of your own force`);
  }
  const expiresAt = now + TICKET_LIFETIME_MS;
  // The server's own entry for the password it checked and the ticket it gives, written before the ticket is handed
  // over, as a refusal's is before the refusal: no ticket leaves without its entry, whatever the workstation later
  // sends (its `operator.signedIn` is its own entry beside this, at its time). Never the ticket or the password.
  const issued = accessAuditDraft({
    kind: 'ticket-issued',
    action: 'access.signIn',
    by: name,
    subject: { kind: 'operator', id: name },
    workstation: device.workstation,
    clientId: device.clientId,
    force: device.force,
    at: new Date(now).toISOString(),
    details: { checkedBy: 'server', ticketUntil: new Date(expiresAt).toISOString() },
  });
  // The count of failures this sign-in ends is cleared in the entry's own transaction: never an entry with the count
  // left standing (the next wrong password locking an account that signed in), nor a count cleared with no entry.
  if (state && state.recentFailures > 0) await storage.clearSignInFailures(name, [issued]);
  else await storage.appendAuditEntries([issued]);
  const ticket = issueTicket(await storage.secret(TICKET_SECRET), { operator: name, clientId: device.clientId, expiresAt });
  return { ticket, expiresAt: new Date(expiresAt).toISOString(), operator: record.data };
}

const WRONG_NAME_OR_PASSWORD = 'wrong name or password, or the account is not active';

/** A valid hash of nothing anyone knows: checked against when the name is unknown, to take the same time. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

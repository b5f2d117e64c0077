import { deactivatedAccountWords, type Operator } from '../../shared/domain/operator';
import { instantOf, type Clock } from '../../shared/domain/time';
import { hashPassword, verifyPassword } from '../../node-common/passwords';
import type { WorkstationStore } from '../store/workstation-store';
import { LinkError } from '../sync/server-link';
import { wallClock } from '../../shared/domain/wall-clock';
import { SCHEMA_VERSION, type CommandEnvelope, type SignInResponse } from '../../shared/sync/protocol';
import { Name } from '../../shared/domain/ids';
import { lockedWords, lockoutState } from '../../shared/domain/sign-in-lockout';
import type { ForceConfig } from '../../shared/domain/force-config';
import { operatorSignInRefused, type OfflineRefusalReason, type SignInRefusedArgs } from '../../shared/commands/operator-sign-in-refused';
import { randomUUID } from 'node:crypto';

export interface SignedIn {
  operator: Operator;
  ticket: string;
  /** online: the server checked the password; offline: this workstation checked it against its cache. */
  mode: 'online' | 'offline';
  at: string;
}

export class SignInRefused extends Error {
  override name = 'SignInRefused';
}

/** What the workstation's own check of a sign-in needs: the force's rules and this workstation's name. */
export interface OfflineCheck {
  /** The force's configuration: its lockout rule (`signInLockout`) and time zone. */
  config: Pick<ForceConfig, 'signInLockout' | 'force'>;
  workstation: string;
}

/**
 * Who is signed in at this workstation. The server checks the password when it can be reached; when it cannot,
 * an operator who signed in here before is checked against what this workstation kept, and their ticket (the
 * server's signed word, still valid) goes with every command as before.
 *
 * Offline, the workstation applies the force's lockout rule itself (shared/domain/sign-in-lockout.ts), to the wrong
 * passwords it counted in its own file (main/store/sign-in-failures.ts): after the rule's number of them the name is
 * refused, in the server's words, until the lock lifts. Every refusal it makes goes into the outbox, in the same
 * transaction as the count, as an `operator.signInRefused` fact (no ticket: nobody is signed in); when the link
 * returns the server audits it as it audits a refusal of its own, and counts a wrong password toward its own lock of
 * the name at the time it was made here. Online, the server alone decides (its count holds this workstation's once
 * they arrive, and a lock it holds refuses the next sign-in through it); a sign-in that succeeds, here or through
 * the server, clears this workstation's count of the name. The password tried is never kept nor sent.
 */
export class OperatorSession {
  private current: SignedIn | null = null;

  constructor(
    private readonly store: WorkstationStore,
    private readonly clock: Clock,
    private readonly askServer: (operator: string, password: string) => Promise<SignInResponse>,
    private readonly offline: OfflineCheck,
  ) {}

  /** The force's time zone, for the times a refusal names. */
  private get timeZone(): string {
    return this.offline.config.force.timeZone;
  }

  get signedIn(): SignedIn | null {
    return this.current;
  }

  async signIn(name: string, password: string): Promise<SignedIn> {
    let answer: SignInResponse;
    try {
      answer = await this.askServer(name, password);
    } catch (error) {
      // The server's words: a wrong password, or an account locked after repeated failures and until when.
      if (error instanceof LinkError && error.problem?.kind === 'withdrawn') throw new SignInRefused(withdrawnWords(error.problem, this.timeZone));
      if (error instanceof LinkError && error.status === 403) throw new SignInRefused(error.said ? sentence(error.said) : 'Wrong name or password, or the account is not active.');
      // The server cannot be asked (unreachable, or this workstation not enrolled with it): check here.
      if (error instanceof LinkError) return this.signInOffline(name, password, error.message);
      throw error;
    }
    // A verifier of this workstation's own, kept only to check the password when the server cannot be reached.
    const verifier = await hashPassword(password);
    this.store.transaction(() => {
      this.store.signIns.remember({ operator: name, verifier, ticket: answer.ticket, expiresAt: answer.expiresAt, profile: answer.operator, signedInAt: instantOf(this.clock) });
      // The server has the last word: its count holds this workstation's offline failures once they reach it.
      this.store.signInFailures.clear(name);
      // The server's own word on who this operator is, so their first command passes the role check before the
      // next pull brings the same document.
      if (!this.store.server.get({ kind: 'operator', id: name })) {
        const record = { kind: 'operator' as const, id: name, doc: answer.operator };
        this.store.server.put(record, 0);
        this.store.view.write(record);
      }
    });
    this.current = { operator: answer.operator, ticket: answer.ticket, mode: 'online', at: instantOf(this.clock) };
    return this.current;
  }

  signOut(): void {
    this.current = null;
  }

  private async signInOffline(typed: string, password: string, why: string): Promise<SignedIn> {
    // A name no account may hold (the server refuses it unread, 400) is refused here without a record: it names nobody.
    const parsed = Name.safeParse(typed);
    if (!parsed.success) throw new SignInRefused('Wrong name or password.');
    const name = parsed.data;
    const rule = this.offline.config.signInLockout;
    const now = this.clock.now();
    // A locked name is refused before its password is checked, so guessing on cannot find it meanwhile.
    const state = lockoutState(this.store.signInFailures.times(name), now, rule);
    if (state.locked) {
      this.refuse(name, 'locked out', state.until);
      throw new SignInRefused(sentence(lockedWords(name, state.until, now, rule, this.timeZone)));
    }
    const cached = this.store.signIns.find(name);
    if (!cached?.verifier) {
      this.refuse(name, 'not signed in here before');
      throw new SignInRefused(`The server cannot be reached (${why}), and ${name} has not signed in at this workstation before, so the password cannot be checked here.`);
    }
    if (!(await verifyPassword(password, cached.verifier))) {
      // Counted and recorded in one transaction: a failure the outbox does not hold is not counted, nor the reverse.
      const after = this.store.transaction(() => {
        this.store.signInFailures.note(name, new Date(now).toISOString());
        const counted = lockoutState(this.store.signInFailures.times(name), now, rule);
        this.refuse(name, 'wrong password', counted.locked ? counted.until : null);
        return counted;
      });
      if (after.locked) throw new SignInRefused(sentence(lockedWords(name, after.until, now, rule, this.timeZone)));
      throw new SignInRefused('Wrong name or password.');
    }
    // From here the password is right: refusals are recorded, not counted (they are no guess).
    // An account deactivated since (the record has reached this workstation) stays out here too.
    if (this.store.view.get('operator', name)?.active === false) {
      this.refuse(name, 'account deactivated');
      throw new SignInRefused(sentence(deactivatedAccountWords(name)));
    }
    if (Date.parse(cached.expiresAt) < now) {
      this.refuse(name, 'sign-in expired');
      throw new SignInRefused(`The server cannot be reached, and ${name}'s last sign-in here has expired; it must be renewed with the server.`);
    }
    this.store.signInFailures.clear(name);
    this.current = { operator: cached.profile, ticket: cached.ticket, mode: 'offline', at: instantOf(this.clock) };
    return this.current;
  }

  /**
   * Puts a refused offline sign-in in the outbox (in the caller's transaction, if any): an `operator.signInRefused`
   * under the workstation's enrolment, naming the name typed, at this workstation's time. `lockedUntil`: epoch ms of
   * the lock it set or was refused under.
   */
  private refuse(name: string, reason: OfflineRefusalReason, lockedUntil: number | null = null): void {
    const args: SignInRefusedArgs = { reason, lockedUntil: lockedUntil === null ? null : new Date(lockedUntil).toISOString() };
    this.store.transaction(() => {
      const envelope: CommandEnvelope = {
        commandId: randomUUID(),
        clientId: this.store.clientId,
        clientSeq: this.store.meta.increment('next_client_seq'),
        name: operatorSignInRefused.name,
        args,
        issuedAt: instantOf(this.clock),
        operator: name,
        ticket: '',
        workstation: this.offline.workstation,
        schemaVersion: SCHEMA_VERSION,
      };
      this.store.outbox.append(envelope, []);
    });
  }
}

/** The server's words as a sentence: a capital first, a full stop last. */
function sentence(words: string): string {
  const text = words.trim();
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

/**
 * A sign-in at a workstation an administrator revoked: the server's refusal in the force's time (it gives an
 * ISO-8601 instant) and with what the operator can do, as the status bar says it.
 */
function withdrawnWords(withdrawn: { at: string; reason: string }, timeZone: string): string {
  const ms = Date.parse(withdrawn.at);
  const at = Number.isNaN(ms) ? withdrawn.at : wallClock(timeZone).dateTimeZoned(ms);
  const why = withdrawn.reason ? ` (${withdrawn.reason})` : '';
  return `An administrator withdrew this workstation’s access at ${at}${why}: nobody can sign in here. Sign in at another workstation and tell your supervisor.`;
}

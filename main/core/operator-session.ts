import type { Operator } from '../../shared/domain/operator';
import { instantOf, type Clock } from '../../shared/domain/time';
import { hashPassword, verifyPassword } from '../../node-common/passwords';
import type { WorkstationStore } from '../store/workstation-store';
import { LinkError } from '../sync/server-link';
import { wallClock } from '../../shared/domain/wall-clock';
import type { SignInResponse } from '../../shared/sync/protocol';

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

/**
 * Who is signed in at this workstation. The server checks the password when it can be reached; when it cannot,
 * an operator who signed in here before is checked against what this workstation kept, and their ticket (the
 * server's signed word, still valid) goes with every command as before.
 */
export class OperatorSession {
  private current: SignedIn | null = null;

  constructor(
    private readonly store: WorkstationStore,
    private readonly clock: Clock,
    private readonly askServer: (operator: string, password: string) => Promise<SignInResponse>,
    /** The force's time zone, for the times a refusal names (default: the demonstration force's). */
    private readonly timeZone = 'Europe/London',
  ) {}

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

  private async signInOffline(name: string, password: string, why: string): Promise<SignedIn> {
    const cached = this.store.signIns.find(name);
    if (!cached?.verifier) {
      throw new SignInRefused(`The server cannot be reached (${why}), and ${name} has not signed in at this workstation before, so the password cannot be checked here.`);
    }
    if (!(await verifyPassword(password, cached.verifier))) throw new SignInRefused('Wrong name or password.');
    // An account deactivated since (the record has reached this workstation) stays out here too.
    if (this.store.view.get('operator', name)?.active === false) throw new SignInRefused(`${name}'s account has been deactivated by a force administrator.`);
    if (Date.parse(cached.expiresAt) < this.clock.now()) {
      throw new SignInRefused(`The server cannot be reached, and ${name}'s last sign-in here has expired; it must be renewed with the server.`);
    }
    this.current = { operator: cached.profile, ticket: cached.ticket, mode: 'offline', at: instantOf(this.clock) };
    return this.current;
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
  const at = Number.isNaN(ms) ? withdrawn.at : wallClock(timeZone).dateTime(ms);
  const why = withdrawn.reason ? ` (${withdrawn.reason})` : '';
  return `An administrator withdrew this workstation’s access at ${at}${why}: nobody can sign in here. Sign in at another workstation and tell your supervisor.`;
}

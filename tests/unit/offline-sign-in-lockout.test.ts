import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { OperatorSession, SignInRefused } from '../../main/core/operator-session';
import { WorkstationStore } from '../../main/store/workstation-store';
import { LinkError } from '../../main/sync/server-link';
import { ManualClock } from '../../shared/domain/time';
import { demoConfig } from '../fakes/fixtures';
import type { SignInResponse } from '../../shared/sync/protocol';
import type { SignInRefusedArgs } from '../../shared/commands/operator-sign-in-refused';
import { rememberSignIn } from '../fakes/access';
import { makeTempDir } from '../fakes/temp-dir';

// A workstation that cannot reach its server checks sign-ins against its own cache: there it applies the force's
// lockout rule (5 wrong passwords within 15 minutes lock the name for 15) to the failures it counts in its own file,
// and puts every refusal in its outbox for the server's audit log, never the password tried.
const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const unreachable = async (): Promise<SignInResponse> => {
  throw new LinkError('cannot reach the server: network down', true);
};
const LOCKED = "Alice's account is locked after 5 failed sign-ins: try again after 09:19, or ask a force administrator to unlock it.";

let dir: ReturnType<typeof makeTempDir>;
let store: WorkstationStore;
let clock: ManualClock;
const open = () => WorkstationStore.open(join(dir.path, 'workstation.db'));
const sessionOn = (on: WorkstationStore) => new OperatorSession(on, clock, unreachable, { config: demoConfig, workstation: 'WS-A' });
const refusal = (session: OperatorSession, name: string, password: string) =>
  session.signIn(name, password).then(
    () => 'signed in',
    (error: unknown) => (error instanceof SignInRefused ? error.message : Promise.reject(error)),
  );
/** What the outbox holds for the server: each refused sign-in's name, reason, lock and time at the workstation. */
const facts = (on: WorkstationStore) =>
  on.outbox.pending().map(({ envelope }) => ({ name: envelope.name, operator: envelope.operator, ticket: envelope.ticket, at: envelope.issuedAt, ...(envelope.args as SignInRefusedArgs) }));

beforeEach(async () => {
  dir = makeTempDir();
  store = open();
  clock = new ManualClock(T0);
  await rememberSignIn(store, 'alice', 'right-pw');
});
afterEach(() => {
  store.close();
  dir.remove();
});

describe('signing in while the server cannot be reached', () => {
  it('locks a cached operator after the rule’s number of wrong passwords, in the server’s words, and refuses even the right one until it lifts', async () => {
    const session = sessionOn(store);
    const said: string[] = [];
    for (let i = 0; i < 5; i++) {
      said.push(await refusal(session, 'alice', `guess-${i}`));
      clock.advance(60_000);
    }
    expect(said.slice(0, 4)).toEqual(Array(4).fill('Wrong name or password.'));
    // The fifth, at 09:04, locks alice until 09:19.
    expect(said[4]).toBe(LOCKED);
    expect(await refusal(session, 'alice', 'right-pw')).toBe(LOCKED);
    clock.set(Date.parse('2026-12-01T09:19:00.000Z'));
    expect(await refusal(session, 'alice', 'right-pw')).toBe('signed in');
  });

  it('keeps the count in the workstation’s file: a restart of the console does not reset it', async () => {
    for (let i = 0; i < 3; i++) await refusal(sessionOn(store), 'alice', 'wrong');
    store.close();
    store = open();
    const again = sessionOn(store);
    expect(await refusal(again, 'alice', 'wrong')).toBe('Wrong name or password.');
    expect(await refusal(again, 'alice', 'wrong')).toContain('is locked after 5 failed sign-ins');
  });

  it('clears the count when the operator signs in, so earlier mistakes do not add up with later ones', async () => {
    const session = sessionOn(store);
    for (let i = 0; i < 4; i++) await refusal(session, 'alice', 'wrong');
    expect(await refusal(session, 'alice', 'right-pw')).toBe('signed in');
    for (let i = 0; i < 4; i++) expect(await refusal(session, 'alice', 'wrong')).toBe('Wrong name or password.');
  });

  it('puts each refusal in the outbox with its reason, the lock and its time here, under no ticket and without the password', async () => {
    const session = sessionOn(store);
    expect(await refusal(session, 'zed', 'whatever')).toContain('zed has not signed in at this workstation before');
    for (let i = 0; i < 5; i++) await refusal(session, 'alice', 'secret-guess');
    clock.advance(60_000);
    await refusal(session, 'alice', 'right-pw');
    const base = { name: 'operator.signInRefused', ticket: '' };
    expect(facts(store)).toEqual([
      { ...base, operator: 'zed', at: '2026-12-01T09:00:00.000Z', reason: 'not signed in here before', lockedUntil: null },
      ...Array.from({ length: 4 }, () => ({ ...base, operator: 'alice', at: '2026-12-01T09:00:00.000Z', reason: 'wrong password', lockedUntil: null })),
      { ...base, operator: 'alice', at: '2026-12-01T09:00:00.000Z', reason: 'wrong password', lockedUntil: '2026-12-01T09:15:00.000Z' },
      { ...base, operator: 'alice', at: '2026-12-01T09:01:00.000Z', reason: 'locked out', lockedUntil: '2026-12-01T09:15:00.000Z' },
    ]);
    const file = store.db.prepare(`SELECT group_concat(envelope) AS all_ FROM outbox`).get() as { all_: string };
    expect(file.all_).not.toContain('secret-guess');
  });

  it('records the refusals the right password meets (an expired sign-in), without counting them', async () => {
    clock.set(Date.now() + 2 * 86_400_000);
    const session = sessionOn(store);
    for (let i = 0; i < 5; i++) expect(await refusal(session, 'alice', 'right-pw')).toContain('last sign-in here has expired');
    expect(facts(store).map((fact) => fact.reason)).toEqual(Array(5).fill('sign-in expired'));
    expect(store.signInFailures.times('alice')).toEqual([]);
  });

  it('does not let a desk issue a refused sign-in of its own (only the sign-in records one)', async () => {
    const { issueCommand } = await import('../../main/sync/issue-command');
    expect(() => issueCommand(store, demoConfig, { operator: 'alice', workstation: 'WS-A', ticket: 't' }, 'operator.signInRefused', { reason: 'wrong password', lockedUntil: null }, new Date(T0).toISOString())).toThrow(
      'alice may not record a refused sign-in: the workstation records it itself',
    );
  });

  it('never sends a refused sign-in again under the ticket of the operator it names (a server that predates it held it)', async () => {
    const { resendHeld } = await import('../../main/sync/held-commands');
    await refusal(sessionOn(store), 'alice', 'wrong');
    const [fact] = store.outbox.pending();
    store.outbox.markDead(fact!.envelope.clientSeq, 'unauthenticated', 'unknown ticket');
    expect(resendHeld(store, demoConfig, 'alice', 'alice-new-ticket', new Date(T0).toISOString()).resent).toBe(0);
    expect(store.outbox.pending()).toEqual([]);
  });
});

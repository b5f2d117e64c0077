import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../server/audit/audit-chain';
import type { AuditQueryResponse } from '../../shared/sync/audit-protocol';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { verifyStorage } from '../../launch/audit-main';
import { LinkError } from '../../main/sync/server-link';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { call, refusalOf, silentLog } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { createIncidentCommand, fixedRules, postgresFactory, sqliteFactory } from '../fakes/storages';
import type { ServerStorage } from '../../server/storage/storage';
import { deviceOf, registerTestOperators } from '../fakes/access';
import { handlePush } from '../../server/push';
import { TICKET_SECRET } from '../../server/access/access-routes';

// A workstation that cannot reach its server checks sign-ins itself, locks a name after the force's number of wrong
// passwords, and keeps every refusal in its outbox: when the link returns, the server's audit log has them as it has
// its own refusals, at the time they happened there, and counts them toward its own lock. A fact that cannot be true
// is refused whole, and nothing of its push is stored.
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const minute = (n: number) => new Date(T0 + n * 60_000).toISOString();
const WRONG = 'Wrong name or password.';
const LOCKED = "Dan's account is locked after 5 failed sign-ins: try again after 09:19, or ask a force administrator to unlock it.";

describe.each([sqliteFactory, postgresFactory(() => cluster)])('sign-ins refused offline on $name', (factory) => {
  const room = inProcessRoom({
    open: () => factory.open(),
    startsAt: T0,
    operators: { dan: ['call_handler', 'dispatcher'], eve: ['auditor'] },
    desks: ['WS-B', { workstation: 'WS-AUDIT', signedIn: 'eve' }],
  });
  const deskB = () => room.desk('WS-B');
  const entriesOn = async (name: string) =>
    (await room.storage.auditEntries(0, 100_000))
      .filter((e: AuditEntry) => e.recordId === name && (e.kind === 'sign-in-failure' || e.kind === 'lockout'))
      .map((e) => ({ kind: e.kind, ...(JSON.parse(e.after!) as object), issuedAt: e.issuedAt, recordedAt: e.recordedAt, workstation: e.workstation, command: e.command }));

  /** dan signed in here with the server before (so the workstation can check his password), then the network fails. */
  async function danKnownHereThenOutage(): Promise<void> {
    await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    await call(deskB(), 'session.signOut', {});
    await room.sync(deskB());
    room.link('WS-B').cut();
  }

  it('reach the audit log with their reasons and original times when the link returns, and the server keeps the lock', async () => {
    await danKnownHereThenOutage();
    const said: string[] = [];
    for (let i = 0; i < 5; i++) {
      said.push(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: `guess-${i}` }));
      room.clock.advance(60_000);
    }
    expect(said).toEqual([WRONG, WRONG, WRONG, WRONG, LOCKED]);
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' })).toBe(LOCKED);
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'zed', password: 'x' })).toContain('zed has not signed in at this workstation before');
    expect(await entriesOn('dan')).toEqual([]);

    // The link returns at 09:10: the outbox goes up.
    room.clock.set(Date.parse(minute(10)));
    room.link('WS-B').up = true;
    await room.sync(deskB());
    const where = 'at the workstation, the server out of reach';
    const offline = { workstation: 'WS-B', command: 'operator.signInRefused', recordedAt: minute(10) };
    expect(await entriesOn('dan')).toEqual([
      ...[0, 1, 2, 3].map((n) => ({ kind: 'sign-in-failure', reason: 'wrong password', where, issuedAt: minute(n), ...offline })),
      { kind: 'sign-in-failure', reason: 'wrong password', where, issuedAt: minute(4), ...offline },
      // The server counted the five at their times here, each with its fact in the push's transaction: the lock the
      // workstation set and the server's count of it are one lock of dan, until 09:19, and one entry, on the fact.
      { kind: 'lockout', failures: 5, withinMinutes: 15, until: minute(19), where, issuedAt: minute(4), ...offline },
      { kind: 'sign-in-failure', reason: 'locked out', until: minute(19), where, issuedAt: minute(5), ...offline },
    ]);
    expect((await entriesOn('zed')).map((e) => (e as { reason?: string }).reason)).toEqual(['not signed in here before']);
    // Online now, dan's right password meets the server's lock, in the same words.
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' })).toBe(LOCKED);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });

    // The auditor's answer about dan's account lists them, newest first, each at its time at the workstation.
    const answer = await call<AuditQueryResponse>(room.desk('WS-AUDIT'), 'audit.query', { question: { about: 'record', recordKind: 'operator', recordId: 'dan' }, reason: 'Review of the lockout during the outage', limit: 500 });
    const refused = answer.entries.filter((e) => e.command === 'operator.signInRefused' && e.kind === 'sign-in-failure').map((e) => e.issuedAt);
    expect(refused).toEqual([minute(5), minute(4), minute(3), minute(2), minute(1), minute(0)]);
  });

  /** A fact as a workstation's outbox would hold it, at the next place of WS-B's commands. */
  async function factOfWsB(change: Partial<CommandEnvelope> = {}): Promise<CommandEnvelope> {
    const store = deskB().store;
    return {
      commandId: randomUUID(),
      clientId: store.clientId,
      clientSeq: (await room.storage.lastClientSeq(store.clientId)) + 1,
      name: 'operator.signInRefused',
      args: { reason: 'wrong password', lockedUntil: null },
      issuedAt: new Date(room.clock.now()).toISOString(),
      operator: 'dan',
      ticket: '',
      workstation: 'WS-B',
      schemaVersion: SCHEMA_VERSION,
      ...change,
    };
  }
  const pushed = async (envelope: CommandEnvelope) => {
    try {
      await room.link('WS-B').push({ clientId: deskB().store.clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope] });
      return 'taken';
    } catch (error) {
      if (error instanceof LinkError) return `${error.status}: ${error.message}`;
      throw error;
    }
  };

  it('refuses a forged fact with the reason, storing nothing of its push', async () => {
    await room.sync(deskB(), room.desk('WS-AUDIT'));
    const before = { entries: (await room.storage.auditEntries(0, 100_000)).length, seq: await room.storage.lastClientSeq(deskB().store.clientId) };
    const otherClient = room.desk('WS-AUDIT').store.clientId;
    expect(await pushed(await factOfWsB({ ticket: 'an-operator-ticket' }))).toBe('400: a refused sign-in is sent under the workstation’s enrolment alone: no ticket, relay, automatic mark or redo');
    expect(await pushed(await factOfWsB({ clientId: otherClient }))).toBe('403: a refused sign-in is recorded by the workstation it happened at, and this one is another’s');
    expect(await pushed(await factOfWsB({ args: { reason: 'wrong password', lockedUntil: null, password: 'guess' } }))).toMatch(/^400: a refused sign-in: .*password/);
    expect(await pushed(await factOfWsB({ args: { reason: 'sign-in expired', lockedUntil: minute(5) } }))).toBe('400: a sign-in refused for "sign-in expired" sets no lock');
    expect(await pushed(await factOfWsB({ args: { reason: 'locked out', lockedUntil: null } }))).toBe('400: a sign-in refused as locked out names when the lock lifts');
    expect(await pushed(await factOfWsB({ operator: 'dan<script>' }))).toMatch(/^400: a refused sign-in: operator/);
    expect({ entries: (await room.storage.auditEntries(0, 100_000)).length, seq: await room.storage.lastClientSeq(deskB().store.clientId) }).toEqual(before);
  });

  it('takes a fact sent again unchanged once, and refuses one changed under the same id', async () => {
    await room.sync(deskB());
    const fact = await factOfWsB();
    expect(await pushed(fact)).toBe('taken');
    expect(await pushed(fact)).toBe('taken');
    expect(await pushed({ ...fact, args: { reason: 'account deactivated', lockedUntil: null } })).toMatch(/^409: command .* was taken already with another arguments/);
    expect((await entriesOn('dan')).map((e) => e.kind)).toEqual(['sign-in-failure']);
  });

  it('takes a fact from a workstation whose clock runs ahead, so its outbox is not held up behind it: audited with its own time, counted at the server’s', async () => {
    await room.sync(deskB());
    const ahead = new Date(room.clock.now() + 60 * 60_000).toISOString();
    expect(await pushed(await factOfWsB({ issuedAt: ahead }))).toBe('taken');
    const [entry] = (await entriesOn('dan')).filter((e) => e.kind === 'sign-in-failure');
    expect(entry).toMatchObject({ issuedAt: ahead, recordedAt: new Date(room.clock.now()).toISOString(), workstation: 'WS-B' });
    // Counted now, not an hour from now: four more wrong passwords online lock the name at once.
    for (let i = 0; i < 4; i++) await expect(call(deskB(), 'session.signIn', { operator: 'dan', password: 'guess' })).rejects.toThrow();
    expect((await entriesOn('dan')).filter((e) => e.kind === 'lockout')).toHaveLength(1);
  });

  it('counts a fact from an online workstation no more than a wrong password typed there: old ones lock nobody now', async () => {
    await room.sync(deskB());
    // Five "failures" an hour old, sent by a workstation that is online: audited, naming it, but past the rule's window.
    for (let i = 0; i < 5; i++) expect(await pushed(await factOfWsB({ issuedAt: new Date(T0 - 3_600_000 + i).toISOString() }))).toBe('taken');
    expect((await entriesOn('dan')).filter((e) => e.kind === 'sign-in-failure')).toHaveLength(5);
    expect((await entriesOn('dan')).filter((e) => e.kind === 'lockout')).toEqual([]);
    expect(await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' })).toMatchObject({ signInMode: 'online' });
  });
});

// The server counts a wrong password refused offline in the push's own transaction: a server that stops just after
// the push committed (before answering) has the refusals' entries and their count together, or neither.
/** The storage of a server that stops once a push's transaction has committed: nothing it asks after that is done. */
function stoppingAfterCommit(storage: ServerStorage): ServerStorage {
  let stopped = false;
  return new Proxy(storage, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (stopped) return Promise.reject(new Error('the server stopped'));
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (property === 'processBatch') void (result as Promise<unknown>).then(() => (stopped = true), () => undefined);
        return result;
      };
    },
  });
}

describe.each([sqliteFactory, postgresFactory(() => cluster)])('a refused sign-in counted with its push on $name', (factory) => {
  it('keeps the count and the lock when the server stops right after the push commits', async () => {
    const opened = await factory.open();
    try {
      const storage = opened.storage;
      await registerTestOperators(storage, fixedRules, ['dan']);
      const clientId = randomUUID();
      const now = fixedRules.now();
      const facts: CommandEnvelope[] = [0, 1, 2, 3, 4].map((n) => ({
        commandId: randomUUID(),
        clientId,
        clientSeq: n + 1,
        name: 'operator.signInRefused',
        args: { reason: 'wrong password', lockedUntil: null },
        issuedAt: new Date(now - (5 - n) * 60_000).toISOString(),
        operator: 'dan',
        ticket: '',
        workstation: 'WS-TEST',
        schemaVersion: SCHEMA_VERSION,
      }));
      const stopping = stoppingAfterCommit(storage);
      const ticketSecret = await storage.secret(TICKET_SECRET);
      await handlePush({ clientId, schemaVersion: SCHEMA_VERSION, commands: facts }, { storage: stopping, rules: fixedRules, log: silentLog, device: deviceOf(clientId), ticketSecret, onApplied: () => {} }).catch(() => undefined);

      const entries = (await storage.auditEntries(0, 100_000)).filter((e) => e.recordId === 'dan' && (e.kind === 'sign-in-failure' || e.kind === 'lockout'));
      expect(entries.map((e) => e.kind)).toEqual(['sign-in-failure', 'sign-in-failure', 'sign-in-failure', 'sign-in-failure', 'sign-in-failure', 'lockout']);
      expect(JSON.parse(entries.at(-1)!.after!)).toMatchObject({ failures: 5, counted: 'with sign-ins refused at the workstation while the server was out of reach' });
      // The five count toward the server's own lock: dan's right password is refused online until it lifts.
      expect(await storage.signInFailures('dan')).toHaveLength(5);
      expect(await verifyStorage(storage)).toMatchObject({ intact: true });
    } finally {
      await opened.close();
    }
  });

  it('keeps the auditor’s entry of a command refused for its ticket when the server stops right after the push commits', async () => {
    const opened = await factory.open();
    try {
      const storage = opened.storage;
      await registerTestOperators(storage, fixedRules, ['dan']);
      const clientId = randomUUID();
      const command = createIncidentCommand(clientId, 1, { operator: 'dan', ticket: 'not-a-ticket' });
      const ticketSecret = await storage.secret(TICKET_SECRET);
      await handlePush({ clientId, schemaVersion: SCHEMA_VERSION, commands: [command] }, { storage: stoppingAfterCommit(storage), rules: fixedRules, log: silentLog, device: deviceOf(clientId), ticketSecret, onApplied: () => {} }).catch(() => undefined);
      // Refused (held at its workstation), and the refusal is in the audit log beside it, naming dan and the command.
      expect(await storage.lastClientSeq(clientId)).toBe(1);
      const refused = (await storage.auditEntries(0, 100_000)).filter((e) => e.kind === 'access-refused');
      expect(refused).toEqual([expect.objectContaining({ operator: 'dan', command: 'incident.create', commandId: command.commandId })]);
      // Sent again, it is answered from the log, and adds no second entry.
      await handlePush({ clientId, schemaVersion: SCHEMA_VERSION, commands: [command] }, { storage, rules: fixedRules, log: silentLog, device: deviceOf(clientId), ticketSecret, onApplied: () => {} });
      expect((await storage.auditEntries(0, 100_000)).filter((e) => e.kind === 'access-refused')).toHaveLength(1);
      expect(await verifyStorage(storage)).toMatchObject({ intact: true });
    } finally {
      await opened.close();
    }
  });
});

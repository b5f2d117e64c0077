import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { rulesOfForce, type ServerRules } from '../../server/commands/plan-command';
import { issueTicket, TICKET_LIFETIME_MS } from '../../server/access/tickets';
import { TICKET_SECRET } from '../../server/access/access-routes';
import type { AuditEntry } from '../../server/audit/audit-chain';
import type { ServerStorage } from '../../server/storage/storage';
import { verifyStorage } from '../../launch/audit-main';
import { hashPassword } from '../../node-common/passwords';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';
import { entryDetail, whatWords } from '../../renderer/features/audit/audit-words';
import { wallClock } from '../../shared/domain/wall-clock';
import { AUDIT_PATHS, type AuditQueryResponse } from '../../shared/sync/audit-protocol';
import { PROTOCOL_PATHS, SCHEMA_VERSION } from '../../shared/sync/protocol';
import { unverifiedLocation } from '../../shared/domain/location';
import { registerTestOperators } from '../fakes/access';
import { silentLog } from '../fakes/fixtures';
import { startPostgres, type TestPostgres } from '../fakes/postgres';
import { fixedRules, postgresFactory, sqliteFactory, type OpenedStorage } from '../fakes/storages';

// Every time the server grants or refuses access it writes its own audit entry (issue 13, DPA 2018 s.62), on both
// storages: an enrolment; a password it checked and the ticket it gave, whatever the workstation sends afterwards; a
// refused enrolment; and a request refused at the device check (a revoked workstation, a token it does not know),
// tallied so a stranger cannot fill the log. The auditor reads them in words.
let cluster: TestPostgres;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(() => cluster?.remove());

const ENROLMENT_KEY = 'access-audit-key';
const PASSWORD = 'demo-password';
const NOW = fixedRules.now();
const neighbour = loadForceConfig(demonstrationForces()[1]!.configFile);
/** The server's clock: NOW, moved on where a test says. */
let clock = NOW;
const rules: ServerRules = { ...fixedRules, now: () => clock, alsoServes: [neighbour] };
const wall = wallClock('Europe/London');

describe.each([sqliteFactory, postgresFactory(() => cluster)])('access granted and refused, audited by the server on $name', (factory) => {
  let opened: OpenedStorage;
  let storage: ServerStorage;
  let server: CentralServer;

  beforeEach(async () => {
    clock = NOW;
    opened = await factory.open();
    storage = opened.storage;
    await registerTestOperators(storage, rulesOfForce(rules, 'DMO')!, ['priya'], ['call_handler', 'dispatcher']);
    await registerTestOperators(storage, rulesOfForce(rules, 'DMO')!, ['carol'], ['supervisor']);
    for (const name of ['priya', 'carol']) await storage.setCredential(name, await hashPassword(PASSWORD));
    server = await startCentralServer({ storage, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: ENROLMENT_KEY });
  });
  afterEach(async () => {
    await server.close();
    await opened.close();
  });

  async function post(path: string, body: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(new URL(path, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function enrol(workstation: string, key = ENROLMENT_KEY): Promise<{ clientId: string; token: string; status: number }> {
    const clientId = randomUUID();
    const answer = await post(PROTOCOL_PATHS.enrol, { clientId, workstation, enrolmentKey: key, force: 'DMO' });
    return { clientId, token: answer.body.deviceToken as string, status: answer.status };
  }

  const entries = async (kind: string): Promise<AuditEntry[]> => (await storage.auditEntries(0, 100_000)).filter((e) => e.kind === kind);
  const carried = (entry: AuditEntry) => JSON.parse(entry.after!) as Record<string, unknown>;

  it('an enrolment leaves the server’s entry: the workstation’s name, client id and force, never the key or the token', async () => {
    const desk = await enrol('WS-B');
    expect(desk.status).toBe(200);
    const [entry, ...more] = await entries('enrolment');
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ workstation: 'WS-B', clientId: desk.clientId, force: 'DMO', recordKind: 'workstation', recordId: 'WS-B', operator: 'workstation WS-B', command: 'access.enrol' });
    expect(carried(entry!)).toMatchObject({ clientId: desk.clientId, force: 'DMO' });
    expect(JSON.stringify(entry)).not.toContain(desk.token);
    expect(JSON.stringify(entry)).not.toContain(ENROLMENT_KEY);

    // A wrong key is refused, and the refusal is in the log too, with what it claimed.
    expect((await enrol('WS-EVIL', 'guessed-key')).status).toBe(403);
    const refused = await entries('enrolment-refused');
    expect(refused.map((e) => [e.force, carried(e).reason])).toEqual([
      ['DMO', 'wrong key'],
      ['NBR', 'wrong key'],
    ]);
    expect(carried(refused[0]!).claimed).toContain('workstation WS-EVIL');
    expect(JSON.stringify(refused)).not.toContain('guessed-key');
  });

  it('an online sign-in leaves the server’s entry though the workstation never sends its own, and the auditor’s answer reads in words', async () => {
    const desk = await enrol('WS-B');
    const signedIn = await post(PROTOCOL_PATHS.signIn, { operator: 'priya', password: PASSWORD }, desk.token);
    expect(signedIn.status).toBe(200);
    // No operator.signedIn pushed: the server's own entry is there all the same.
    expect(await entries('sign-in')).toEqual([]);
    const [granted, ...more] = await entries('ticket-issued');
    expect(more).toEqual([]);
    expect(granted).toMatchObject({ operator: 'priya', workstation: 'WS-B', clientId: desk.clientId, force: 'DMO', recordKind: 'operator', recordId: 'priya', recordedAt: new Date(NOW).toISOString() });
    expect(carried(granted!)).toEqual({ checkedBy: 'server', ticketUntil: new Date(NOW + TICKET_LIFETIME_MS).toISOString() });
    expect(JSON.stringify(granted)).not.toContain(signedIn.body.ticket as string);
    expect(JSON.stringify(granted)).not.toContain(PASSWORD);

    // The workstation's own entry, when it sends it, is the other half of the same sign-in, in words of its own.
    const ticket = signedIn.body.ticket as string;
    const pushed = await post(
      PROTOCOL_PATHS.push,
      {
        clientId: desk.clientId,
        schemaVersion: SCHEMA_VERSION,
        commands: [{ commandId: randomUUID(), clientId: desk.clientId, clientSeq: 1, name: 'operator.signedIn', args: { mode: 'online' }, issuedAt: new Date(NOW).toISOString(), operator: 'priya', ticket, workstation: 'WS-B', schemaVersion: SCHEMA_VERSION }],
      },
      desk.token,
    );
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);

    // The supervisor asks what priya did that morning.
    const supervisor = await enrol('SUP-1');
    const carolsTicket = issueTicket(await storage.secret(TICKET_SECRET), { operator: 'carol', clientId: supervisor.clientId, expiresAt: NOW + 86_400_000 });
    const question = { about: 'operator', operator: 'priya', from: '2026-11-29T09:00:00.000Z', to: '2026-11-29T11:00:00.000Z' };
    const answer = await post(AUDIT_PATHS.query, { operator: 'carol', ticket: carolsTicket, issuedAt: new Date(NOW).toISOString(), question, reason: 'stolen laptop review', limit: 50 }, supervisor.token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const said = (answer.body as unknown as AuditQueryResponse).entries.map((e) => [whatWords(e), entryDetail(e, wall)]);
    expect(said).toEqual(
      expect.arrayContaining([
        ['password checked by the server', 'password checked by the server, ticket issued until 2026-12-29 10:00 GMT'],
        ['signed in', 'signed in at the workstation (password checked by the server)'],
      ]),
    );
    expect(await verifyStorage(storage)).toMatchObject({ intact: true });
  });

  it('a sign-in from a revoked workstation is refused and audited on its workstation, tallied, and counts toward no lockout', async () => {
    const desk = await enrol('WS-B');
    await storage.revoke({ kind: 'device', subject: desk.clientId, revokedAt: new Date(NOW - 60_000).toISOString(), reason: 'reported stolen' });
    for (let i = 0; i < 4; i++) {
      const refused = await post(PROTOCOL_PATHS.signIn, { operator: i === 0 ? 'priya' : 'carol', password: `guess-${i}` }, desk.token);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toContain('withdrew this workstation');
    }
    // The first at once, before the refusal was answered; the rest of the minute as one tally, written once it is over.
    const [first, ...none] = await entries('access-refused');
    expect(none).toEqual([]);
    expect(first).toMatchObject({ operator: 'priya', workstation: 'WS-B', clientId: desk.clientId, force: 'DMO', recordKind: 'workstation', recordId: 'WS-B', command: 'access.device' });
    expect(carried(first!)).toMatchObject({ reason: 'revoked', request: 'sign-in', count: 1 });
    expect(JSON.stringify(first)).not.toContain('guess-');
    clock += 61_000;
    expect((await post(PROTOCOL_PATHS.signIn, { operator: 'dan', password: 'guess-5' }, desk.token)).status).toBe(403);
    const [, tally, next, ...rest] = await entries('access-refused');
    expect(rest).toEqual([]);
    // The next minute's first attempt is an entry of its own again.
    expect(next).toMatchObject({ operator: 'dan', workstation: 'WS-B' });
    expect(tally).toMatchObject({ operator: 'workstation WS-B', workstation: 'WS-B', force: 'DMO' });
    expect(carried(tally!)).toMatchObject({ reason: 'revoked', count: 3, typed: 'carol' });
    expect(entryDetail({ ...tally!, seq: 2 }, wall)).toBe('sign-in refused: the workstation’s access was withdrawn; from 127.0.0.1; 3 more attempts between 2026-11-29 10:00:00 GMT and 10:00:00 GMT; names typed: carol');
    // No password was checked, so none of it counts toward a lockout of the names typed.
    expect(await storage.signInFailures('priya')).toEqual([]);
    expect(await storage.signInFailures('carol')).toEqual([]);
    expect(await entries('sign-in-failure')).toEqual([]);
  });

  it('a push from a workstation revoked since its last push is refused at once, nothing of it stored, and audited; as is one with a token replaced by enrolling again', async () => {
    const desk = await enrol('WS-B');
    const ticket = (await post(PROTOCOL_PATHS.signIn, { operator: 'priya', password: PASSWORD }, desk.token)).body.ticket as string;
    const create = (clientSeq: number) => ({
      commandId: randomUUID(),
      clientId: desk.clientId,
      clientSeq,
      name: 'incident.create',
      args: { incidentId: randomUUID(), provisionalReference: `P-000${clientSeq}`, type: 'ASB', location: unverifiedLocation('Portswood'), grade: '3', firstLog: null },
      issuedAt: new Date(clock).toISOString(),
      operator: 'priya',
      ticket,
      workstation: 'WS-B',
      schemaVersion: SCHEMA_VERSION,
    });
    const push = (commands: unknown[], token = desk.token) => post(PROTOCOL_PATHS.push, { clientId: desk.clientId, schemaVersion: SCHEMA_VERSION, commands }, token);
    expect((await push([create(1)])).status).toBe(200);
    const logged = await opened.count('command_log');

    // Revoked by another program (npm run revoke) or another server instance: this server is not told.
    await storage.revoke({ kind: 'device', subject: desk.clientId, revokedAt: new Date(clock).toISOString(), reason: 'reported stolen' });
    const refused = await push([create(2)]);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain("withdrew this workstation's access");
    expect(await opened.count('command_log')).toBe(logged);
    expect(await storage.lastClientSeq(desk.clientId)).toBe(1);
    const [entry] = await entries('access-refused');
    expect(carried(entry!)).toMatchObject({ reason: 'revoked', request: 'sending commands' });
    // A push of nothing is refused too: its answer (the workstation's progress) is not given to a revoked workstation.
    expect((await push([])).status).toBe(403);

    // Another workstation enrolled again under its own client id: the old token is no longer its.
    const other = await enrol('WS-C');
    const pushOther = (clientSeq: number, token: string) =>
      post(PROTOCOL_PATHS.push, { clientId: other.clientId, schemaVersion: SCHEMA_VERSION, commands: [{ ...create(clientSeq), clientId: other.clientId, workstation: 'WS-C', ticket: issueTicket(secret, { operator: 'priya', clientId: other.clientId, expiresAt: NOW + 86_400_000 }) }] }, token);
    const secret = await storage.secret(TICKET_SECRET);
    expect((await pushOther(1, other.token)).status).toBe(200);
    const again = await post(PROTOCOL_PATHS.enrol, { clientId: other.clientId, workstation: 'WS-C', enrolmentKey: ENROLMENT_KEY, force: 'DMO' });
    expect(again.status).toBe(200);
    const stale = await pushOther(2, other.token);
    expect(stale.status).toBe(401);
    expect(await storage.lastClientSeq(other.clientId)).toBe(1);
    expect((await pushOther(2, again.body.deviceToken as string)).status).toBe(200);
  });

  it('an operator refused the audit log (no role for it, or a ticket not good) is audited, naming them, at their workstation', async () => {
    const desk = await enrol('WS-B');
    const priyas = issueTicket(await storage.secret(TICKET_SECRET), { operator: 'priya', clientId: desk.clientId, expiresAt: NOW + 86_400_000 });
    const question = { about: 'disclosures' };
    const refused = await post(AUDIT_PATHS.query, { operator: 'priya', ticket: priyas, issuedAt: new Date(NOW).toISOString(), question, reason: 'curious', limit: 50 }, desk.token);
    expect(refused.status).toBe(403);
    const forged = await post(AUDIT_PATHS.export, { operator: 'carol', ticket: priyas, issuedAt: new Date(NOW).toISOString(), question, purpose: 'curious' }, desk.token);
    expect(forged.status).toBe(403);
    const said = (await entries('access-refused')).map((e) => [e.operator, e.workstation, e.force, e.command, carried(e).reason, carried(e).request]);
    expect(said).toEqual([
      ['priya', 'WS-B', 'DMO', 'access.ask', 'role', 'a question to the audit log'],
      ['carol', 'WS-B', 'DMO', 'access.ask', 'sign-in not good', 'an export of the audit log'],
    ]);
    // Nothing else: the refused asked nothing of the log.
    expect((await entries('consultation')).filter((e) => e.recordKind === 'audit-log')).toEqual([]);
  });

  it('a command sent with a ticket revoked since is refused and audited, naming its operator, command and why', async () => {
    const desk = await enrol('WS-B');
    const ticket = (await post(PROTOCOL_PATHS.signIn, { operator: 'priya', password: PASSWORD }, desk.token)).body.ticket as string;
    clock += 60_000;
    await storage.revoke({ kind: 'tickets', subject: 'priya', revokedAt: new Date(clock).toISOString(), reason: 'password seen by another' });
    const commandId = randomUUID();
    const create = { incidentId: randomUUID(), provisionalReference: 'P-0001', type: 'ASB', location: unverifiedLocation('Portswood'), grade: '3', firstLog: null };
    const command = { commandId, clientId: desk.clientId, clientSeq: 1, name: 'incident.create', args: create, issuedAt: new Date(clock).toISOString(), operator: 'priya', ticket, workstation: 'WS-B', schemaVersion: SCHEMA_VERSION };
    const pushed = await post(PROTOCOL_PATHS.push, { clientId: desk.clientId, schemaVersion: SCHEMA_VERSION, commands: [command] }, desk.token);
    expect(pushed.status).toBe(200);
    expect((pushed.body as { outcomes: { status: string }[] }).outcomes.map((o) => o.status)).toEqual(['rejected']);
    // Sent again (the answer lost), it is answered from the log and adds no second entry.
    await post(PROTOCOL_PATHS.push, { clientId: desk.clientId, schemaVersion: SCHEMA_VERSION, commands: [command] }, desk.token);
    const [refused, ...more] = await entries('access-refused');
    expect(more).toEqual([]);
    expect(refused).toMatchObject({ operator: 'priya', workstation: 'WS-B', force: 'DMO', command: 'incident.create', commandId });
    // Its cause, not only that the sign-in was "not good": the tickets revoked by an administrator.
    expect(carried(refused!)).toMatchObject({ reason: 'tickets revoked', request: 'the command' });
    expect(String(carried(refused!).said)).toContain('revoked');
    expect(JSON.stringify(refused)).not.toContain(ticket);
    expect(whatWords(refused!)).toBe('access refused: create an incident');
  });

  it('a ticket revoked at another server instance after the operator\'s last push is refused by their next push', async () => {
    const desk = await enrol('WS-B');
    const ticket = (await post(PROTOCOL_PATHS.signIn, { operator: 'priya', password: PASSWORD }, desk.token)).body.ticket as string;
    const commandOf = (clientSeq: number, reference: string) => ({
      commandId: randomUUID(), clientId: desk.clientId, clientSeq, name: 'incident.create', issuedAt: new Date(clock).toISOString(), operator: 'priya', ticket, workstation: 'WS-B', schemaVersion: SCHEMA_VERSION,
      args: { incidentId: randomUUID(), provisionalReference: reference, type: 'ASB', location: unverifiedLocation('Portswood'), grade: '3', firstLog: null },
    });
    const push = async (command: ReturnType<typeof commandOf>) => {
      const pushed = await post(PROTOCOL_PATHS.push, { clientId: desk.clientId, schemaVersion: SCHEMA_VERSION, commands: [command] }, desk.token);
      expect(pushed.status).toBe(200);
      return (pushed.body as { outcomes: { status: string; reason?: string }[] }).outcomes;
    };
    // This server has seen priya's tickets unrevoked.
    expect((await push(commandOf(1, 'P-0001'))).map((o) => o.status)).toEqual(['applied']);
    clock += 60_000;
    // Revoked in the shared database, not through this server (another instance took the administrator's order).
    await storage.revoke({ kind: 'tickets', subject: 'priya', revokedAt: new Date(clock).toISOString(), reason: 'password seen by another' });
    const [refused] = await push(commandOf(2, 'P-0002'));
    expect(refused).toMatchObject({ status: 'rejected' });
    expect(refused!.reason).toContain('revoked');
    expect((await entries('access-refused')).map((e) => [e.operator, e.command, carried(e).reason])).toEqual([['priya', 'incident.create', 'tickets revoked']]);
  });

  it('an enrolled workstation sending as another is refused and audited on itself', async () => {
    const desk = await enrol('WS-B');
    const other = await enrol('WS-C');
    const command = { commandId: randomUUID(), clientId: other.clientId, clientSeq: 1, name: 'operator.signedIn', args: { mode: 'online' }, issuedAt: new Date(NOW).toISOString(), operator: 'priya', ticket: 'x.y', workstation: 'WS-C', schemaVersion: SCHEMA_VERSION };
    const refused = await post(PROTOCOL_PATHS.push, { clientId: other.clientId, schemaVersion: SCHEMA_VERSION, commands: [command] }, desk.token);
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    const [entry, ...more] = await entries('access-refused');
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ operator: 'workstation WS-B', workstation: 'WS-B', clientId: desk.clientId, force: 'DMO', command: 'access.device' });
    expect(entryDetail({ ...entry!, seq: 1 }, wall)).toBe('sending commands refused: a workstation asking as another; a workstation may push only its own commands');
  });

  it('a token the server does not know is refused and audited by the address it came from, in every served force’s log', async () => {
    const refused = await post(PROTOCOL_PATHS.signIn, { operator: 'priya', password: 'guess' }, 'x'.repeat(43));
    expect(refused.status).toBe(401);
    const unknown = await entries('access-refused');
    expect(unknown.map((e) => [e.force, e.operator, e.workstation, carried(e).reason, carried(e).source])).toEqual([
      ['DMO', 'priya', 'unknown', 'unknown token', '127.0.0.1'],
      ['NBR', 'priya', 'unknown', 'unknown token', '127.0.0.1'],
    ]);
    // A flood from the same address within the minute adds nothing until the minute's tally.
    for (let i = 0; i < 20; i++) expect((await post(PROTOCOL_PATHS.push, { clientId: 'x', schemaVersion: SCHEMA_VERSION, commands: [] }, `${'y'.repeat(40)}${i}`)).status).toBe(401);
    expect(await entries('access-refused')).toHaveLength(2 + 2);
    for (let i = 0; i < 20; i++) await post(PROTOCOL_PATHS.push, { clientId: 'x', schemaVersion: SCHEMA_VERSION, commands: [] }, `${'y'.repeat(40)}${i}`);
    expect(await entries('access-refused')).toHaveLength(4);
  });
});

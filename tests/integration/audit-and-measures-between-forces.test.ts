import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { rulesOfForce, type ServerRules } from '../../server/commands/plan-command';
import { handlePush } from '../../server/push';
import { issueTicket } from '../../server/access/tickets';
import { TICKET_SECRET } from '../../server/access/access-routes';
import type { ServerStorage } from '../../server/storage/storage';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';
import { unverifiedLocation } from '../../shared/domain/location';
import { AUDIT_PATHS, type AuditExportResponse, type AuditQueryResponse, type AuditQuestion } from '../../shared/sync/audit-protocol';
import { MEASURES_PATH, type MeasuresResponse } from '../../shared/sync/measures-protocol';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { deviceOf, registerTestOperators, ticketFor } from '../fakes/access';
import { silentLog } from '../fakes/fixtures';
import { hashPassword } from '../../node-common/passwords';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { byHandShareId } from '../../shared/domain/share';
import { fixedRules, postgresFactory, sqliteFactory, type OpenedStorage } from '../fakes/storages';

// The audit log and the room's measures of two forces on one server (DPA 2018 s.62): a supervisor or auditor of one
// force learns nothing from the server's log of who looked at or changed the other's records, and each room's
// figures count its own calls and incidents only.
const cluster = postgresForThisFile();

const ENROLMENT_KEY = 'forces-audit-key';
const neighbour = loadForceConfig(demonstrationForces()[1]!.configFile);
/** A server of both demonstration forces, on the fixed clock. */
const rules: ServerRules = { ...fixedRules, alsoServes: [neighbour] };
const rulesOf = (force: 'DMO' | 'NBR'): ServerRules => rulesOfForce(rules, force)!;

describe.each([sqliteFactory, postgresFactory(() => cluster)])('the audit log and the measures of two forces on $name', (factory) => {
  let opened: OpenedStorage;
  let storage: ServerStorage;
  let server: CentralServer;
  /** Each force's call handler's position (pushed straight to the storage) and its supervisor's desk (over HTTP). */
  const positions = { DMO: randomUUID(), NBR: randomUUID() };
  const desks = { DMO: { clientId: randomUUID(), token: '' }, NBR: { clientId: randomUUID(), token: '' } };
  const seqs = { DMO: 1, NBR: 1 };

  beforeEach(async () => {
    opened = await factory.open();
    storage = opened.storage;
    seqs.DMO = seqs.NBR = 1;
    await registerTestOperators(storage, rulesOf('DMO'), ['alice'], ['call_handler']);
    await registerTestOperators(storage, rulesOf('DMO'), ['carol'], ['supervisor']);
    await registerTestOperators(storage, rulesOf('NBR'), ['nadia'], ['call_handler']);
    await registerTestOperators(storage, rulesOf('NBR'), ['priya'], ['supervisor']);
    server = await startCentralServer({ storage, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: ENROLMENT_KEY });
    for (const force of ['DMO', 'NBR'] as const) {
      const enrolled = await post('/v1/enrol', { clientId: desks[force].clientId, workstation: `SUP-${force}`, enrolmentKey: ENROLMENT_KEY, force }, null);
      expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
      desks[force].token = (enrolled.body as { deviceToken: string }).deviceToken;
    }
  });
  afterEach(async () => {
    await server.close();
    await opened.close();
  });

  async function post(path: string, body: unknown, token: string | null): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(new URL(path, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** What the switch reports and the force's call handler does, at its position, as that force's push route takes it. */
  async function happen(force: 'DMO' | 'NBR', steps: { name: string; args: unknown; at: string; by: string }[]) {
    const clientId = positions[force];
    const ticketSecret = await storage.secret(TICKET_SECRET);
    const commands: CommandEnvelope[] = steps.map((step) => ({
      commandId: randomUUID(),
      clientId,
      clientSeq: seqs[force]++,
      name: step.name,
      args: step.args,
      issuedAt: step.at,
      operator: step.by,
      ticket: issueTicket(ticketSecret, { operator: step.by, clientId, expiresAt: Number.MAX_SAFE_INTEGER }),
      workstation: `WS-${force}`,
      schemaVersion: SCHEMA_VERSION,
      ...(step.by === 'telephony' ? { relay: { kind: 'telephony' as const } } : {}),
    }));
    const device = { ...deviceOf(clientId, `WS-${force}`), force };
    const pushed = await handlePush({ clientId, schemaVersion: SCHEMA_VERSION, commands }, { storage, rules: rulesOf(force), log: silentLog, device, ticketSecret, onApplied: () => {} });
    expect(pushed.outcomes.map((o) => ('reason' in o ? o.reason : o.status))).toEqual(steps.map(() => 'applied'));
  }

  const ring = (callerNumber: string, at: string) => ({ name: 'contact.receive', args: { contactId: randomUUID(), source: '999', callerNumber, receivedAt: at, handsetLocation: null }, at, by: 'telephony' });
  const create = (type: string, grade: string, by: string, at: string) => {
    const incidentId = randomUUID();
    return { incidentId, step: { name: 'incident.create', args: { incidentId, provisionalReference: `P-${incidentId.slice(0, 8)}`, type, location: unverifiedLocation('Crossways'), grade, firstLog: null }, at, by } };
  };

  /** Each force's incident, made at its own position, and a call to each room (one to DMO's, two to NBR's). */
  async function bothForcesWork() {
    const dmo = create('ASB', '3', 'alice', '2026-11-29T09:55:00.000Z');
    const nbr = create('NUISANCE', '3', 'nadia', '2026-11-29T09:56:00.000Z');
    await happen('DMO', [ring('07700 900001', '2026-11-29T09:50:00.000Z'), dmo.step]);
    await happen('NBR', [ring('07700 900002', '2026-11-29T09:51:00.000Z'), ring('07700 900003', '2026-11-29T09:52:00.000Z'), nbr.step]);
    const reference = ((await storage.record({ kind: 'incident', id: dmo.incidentId })) as { reference: string }).reference;
    return { dmoIncident: dmo.incidentId, dmoReference: reference, nbrIncident: nbr.incidentId };
  }

  async function ask(force: 'DMO' | 'NBR', operator: string, question: AuditQuestion): Promise<AuditQueryResponse> {
    const ticket = await ticketFor(storage, operator, desks[force].clientId);
    const response = await post(AUDIT_PATHS.query, { operator, ticket, issuedAt: '2026-11-29T10:00:00.000Z', question, reason: 'review', limit: 500 }, desks[force].token);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as unknown as AuditQueryResponse;
  }

  async function exportOf(force: 'DMO' | 'NBR', operator: string, question: AuditQuestion): Promise<AuditExportResponse> {
    const ticket = await ticketFor(storage, operator, desks[force].clientId);
    const response = await post(AUDIT_PATHS.export, { operator, ticket, issuedAt: '2026-11-29T10:00:00.000Z', question, purpose: 'complaint review' }, desks[force].token);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as unknown as AuditExportResponse;
  }

  it("tells one force's supervisor nothing of who created or changed the other force's incident, and its own supervisor all of it", async () => {
    const { dmoIncident, dmoReference, nbrIncident } = await bothForcesWork();
    const aboutDmo: AuditQuestion = { about: 'record', recordKind: 'incident', recordId: dmoIncident };

    const dmoAnswer = await ask('DMO', 'carol', aboutDmo);
    expect(dmoAnswer.entries.length).toBeGreaterThan(0);
    expect(dmoAnswer.entries.find((e) => e.kind === 'collection')).toMatchObject({ operator: 'alice', force: 'DMO' });
    expect((await ask('DMO', 'carol', { about: 'reference', reference: dmoReference })).records).toEqual([{ recordKind: 'incident', recordId: dmoIncident }]);

    expect((await ask('NBR', 'priya', aboutDmo)).entries).toEqual([]);
    expect(await ask('NBR', 'priya', { about: 'reference', reference: dmoReference })).toEqual({ entries: [], nextCursor: null, records: [], labels: {} });
    expect((await ask('NBR', 'priya', { about: 'operator', operator: 'alice', from: '2026-11-29T00:00:00.000Z', to: '2026-11-29T23:00:00.000Z' })).entries).toEqual([]);
    const leaked = await exportOf('NBR', 'priya', aboutDmo);
    expect(leaked.rows).toBe(0);
    expect(leaked.csv).not.toContain('alice');

    // Its own incident's entries are Northbridge's, and Demonstration's supervisor sees none of them either.
    expect((await ask('NBR', 'priya', { about: 'record', recordKind: 'incident', recordId: nbrIncident })).entries.map((e) => e.force)).toContain('NBR');
    expect((await ask('DMO', 'carol', { about: 'record', recordKind: 'incident', recordId: nbrIncident })).entries).toEqual([]);
    expect((await exportOf('DMO', 'carol', aboutDmo)).rows).toBe(dmoAnswer.entries.length);
  });

  it("answers a force's auditor asking by the reference of the other force's incident their people looked at, with their own force's entries only", async () => {
    const { dmoIncident, dmoReference } = await bothForcesWork();
    // DMO's supervisor shares it with NBR (an incident NBR never held is never found by NBR's reference question).
    await happen('DMO', [{ name: 'share.create', args: { shareId: byHandShareId(dmoIncident, 'NBR'), incidentId: dmoIncident, sharedWith: 'NBR', tier: 'view', reason: 'cross-border ASB' }, at: '2026-11-29T09:55:00.000Z', by: 'carol' }]);
    // Nadia (NBR) opened DMO's incident, shared with NBR: her own entry in NBR's log, and the owner's in DMO's.
    const look = (force: 'DMO' | 'NBR', after: string) => ({
      recordedAt: '2026-11-29T09:58:00.000Z', issuedAt: '2026-11-29T09:57:30.000Z', operator: 'nadia', workstation: 'WS-NBR', clientId: positions.NBR, force,
      commandId: randomUUID(), command: 'record.consulted', kind: 'consultation' as const, recordKind: 'incident', recordId: dmoIncident, field: null, before: null, after,
    });
    await storage.appendAuditEntries([look('NBR', '{"channel":"incident.detail","reason":"cross-border ASB"}'), look('DMO', '{"byForce":"NBR","how":"opened","reason":"cross-border ASB"}')]);

    const answer = await ask('NBR', 'priya', { about: 'reference', reference: dmoReference });
    expect(answer.records).toEqual([{ recordKind: 'incident', recordId: dmoIncident }]);
    expect(answer.entries.map((e) => [e.operator, e.force, e.kind])).toEqual([['nadia', 'NBR', 'consultation']]);
    // Demonstration's own answer still has its entries, the owner's copy of the look among them.
    expect((await ask('DMO', 'carol', { about: 'reference', reference: dmoReference })).entries.map((e) => [e.operator, e.force])).toContainEqual(['nadia', 'DMO']);
  });

  it("lists each force's disclosures to its own supervisors only, and counts an entry of no force (older than forces) as the first force's", async () => {
    const { dmoIncident } = await bothForcesWork();
    await exportOf('DMO', 'carol', { about: 'record', recordKind: 'incident', recordId: dmoIncident });
    expect((await ask('DMO', 'carol', { about: 'disclosures' })).entries.map((e) => [e.operator, e.force])).toEqual([['carol', 'DMO']]);
    expect((await ask('NBR', 'priya', { about: 'disclosures' })).entries).toEqual([]);
    // Asked for disclosures to other forces only: a share with NBR answers, carol's export of the log does not.
    await storage.appendAuditEntries([
      { recordedAt: '2026-11-29T09:40:00.000Z', issuedAt: '2026-11-29T09:40:00.000Z', operator: 'bob', workstation: 'WS-DMO', clientId: positions.DMO, force: 'DMO', commandId: randomUUID(), command: 'share.create', kind: 'disclosure', recordKind: 'incident', recordId: dmoIncident, field: null, before: null, after: '{"action":"share","recipient":"NBR"}' },
    ]);
    expect((await ask('DMO', 'carol', { about: 'disclosures', to: 'other-forces' })).entries.map((e) => [e.operator, e.command])).toEqual([['bob', 'share.create']]);
    expect((await ask('DMO', 'carol', { about: 'disclosures' })).entries.map((e) => e.command)).toEqual(['share.create', 'audit.export']);

    // As written before entries named their force.
    await storage.appendAuditEntries([
      { recordedAt: '2026-11-29T09:30:00.000Z', issuedAt: '2026-11-29T09:29:00.000Z', operator: 'alice', workstation: 'WS-DMO', clientId: positions.DMO, force: null, commandId: randomUUID(), command: 'record.consulted', kind: 'consultation', recordKind: 'incident', recordId: 'old-incident', field: null, before: null, after: '{"reason":"caller rang back"}' },
    ]);
    const old: AuditQuestion = { about: 'record', recordKind: 'incident', recordId: 'old-incident' };
    expect((await ask('DMO', 'carol', old)).entries.map((e) => e.operator)).toEqual(['alice']);
    expect((await ask('NBR', 'priya', old)).entries).toEqual([]);
  });

  it("puts a failed sign-in at a force's workstation in that force's log only", async () => {
    await storage.setCredential('nadia', await hashPassword('right'));
    expect((await post('/v1/sign-in', { operator: 'nadia', password: 'wrong' }, desks.NBR.token)).status).toBe(403);
    const question: AuditQuestion = { about: 'record', recordKind: 'operator', recordId: 'nadia' };
    expect((await ask('NBR', 'priya', question)).entries.filter((e) => e.kind === 'sign-in-failure').map((e) => [e.workstation, e.force])).toEqual([['SUP-NBR', 'NBR']]);
    expect((await ask('DMO', 'carol', question)).entries.filter((e) => e.kind === 'sign-in-failure')).toEqual([]);
  });

  it("never locks one force's operator by guesses at the other force's workstation; those are counted apart, and said in the guessing force's log", async () => {
    await storage.setCredential('nadia', await hashPassword('right'));
    for (let i = 0; i < 6; i++) expect((await post('/v1/sign-in', { operator: 'nadia', password: 'wrong' }, desks.DMO.token)).status).toBe(403);
    // At the DMO desk the name locks like any other it has no account of (the words do not tell it exists)...
    expect((await post('/v1/sign-in', { operator: 'nadia', password: 'wrong' }, desks.DMO.token)).body).toMatchObject({ locked: true });
    // ...but nadia's own account, at her force's desk, is not locked.
    expect((await post('/v1/sign-in', { operator: 'nadia', password: 'right' }, desks.NBR.token)).status).toBe(200);
    const question: AuditQuestion = { about: 'record', recordKind: 'operator', recordId: 'nadia' };
    const dmo = (await ask('DMO', 'carol', question)).entries.filter((e) => e.kind === 'sign-in-failure');
    expect(dmo.length).toBeGreaterThanOrEqual(6);
    expect(dmo.filter((e) => e.after === '{"reason":"no such account at this force"}').map((e) => [e.workstation, e.force])).toEqual(Array(5).fill(['SUP-DMO', 'DMO']));
    expect((await ask('NBR', 'priya', question)).entries.filter((e) => e.kind === 'sign-in-failure')).toEqual([]);
  });

  it("refuses a supervisor of one force asking at the other force's workstation, whatever ticket they hold", async () => {
    const { dmoIncident } = await bothForcesWork();
    const ticket = await ticketFor(storage, 'priya', desks.DMO.clientId);
    const question = { about: 'record', recordKind: 'incident', recordId: dmoIncident };
    const refused = await post(AUDIT_PATHS.query, { operator: 'priya', ticket, issuedAt: '2026-11-29T10:00:00.000Z', question, reason: 'review', limit: 500 }, desks.DMO.token);
    expect(refused).toMatchObject({ status: 403, body: { error: expect.stringContaining("not an operator of this workstation's force") } });
    const measures = await post(MEASURES_PATH, { operator: 'priya', ticket, issuedAt: '2026-11-29T10:00:00.000Z', window: { kind: 'last-hour' } }, desks.DMO.token);
    expect(measures.status).toBe(403);
  });

  it("gives each force's supervisor the measures of its own room's calls and incidents only", async () => {
    await bothForcesWork();
    const measuresOf = async (force: 'DMO' | 'NBR', operator: string, window: unknown) => {
      const ticket = await ticketFor(storage, operator, desks[force].clientId);
      const response = await post(MEASURES_PATH, { operator, ticket, issuedAt: '2026-11-29T10:00:00.000Z', window }, desks[force].token);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as unknown as MeasuresResponse;
    };
    for (const window of [{ kind: 'last-hour' }, { kind: 'span', from: '2026-11-29T09:00:00.000Z', to: '2026-11-29T10:00:00.000Z' }]) {
      const dmo = await measuresOf('DMO', 'carol', window);
      const nbr = await measuresOf('NBR', 'priya', window);
      expect(dmo.measures.calls).toMatchObject({ offered999: 1 });
      expect(nbr.measures.calls).toMatchObject({ offered999: 2 });
      expect(dmo.measures.handoffsWaiting.waiting).toBe(1);
      expect(nbr.measures.handoffsWaiting.waiting).toBe(1);
    }
  });
});

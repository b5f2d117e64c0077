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
import { AUDIT_PATHS, type AuditQueryResponse, type AuditQuestion } from '../../shared/sync/audit-protocol';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { deviceOf, registerTestOperators, ticketFor } from '../fakes/access';
import { silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { fixedRules, postgresFactory, sqliteFactory, type OpenedStorage } from '../fakes/storages';
import { verifyStorage } from '../../launch/audit-main';
import { erasureDrafts } from '../../server/audit/erasure-audit';
import { byHandShareId } from '../../shared/domain/share';

// A look by one force at another's record is in the owner's audit log too (DPA 2018 s.62: who has seen this
// incident, and why): Northbridge opens Demonstration's shared incident, and finds one of its calls in a caller's
// history; Demonstration's auditor sees both looks, with Northbridge's reason, on its own records; Northbridge's
// auditor still sees none of Demonstration's entries.
const cluster = postgresForThisFile();

const ENROLMENT_KEY = 'looks-across-forces-key';
const neighbour = loadForceConfig(demonstrationForces()[1]!.configFile);
const rules: ServerRules = { ...fixedRules, alsoServes: [neighbour] };
const rulesOf = (force: 'DMO' | 'NBR'): ServerRules => rulesOfForce(rules, force)!;
const REASON = 'Suspect vehicle seen on the Northbridge ring road';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('looks at another force’s records on $name', (factory) => {
  let opened: OpenedStorage;
  let storage: ServerStorage;
  let server: CentralServer;
  const positions = { DMO: randomUUID(), NBR: randomUUID() };
  const desks = { DMO: { clientId: randomUUID(), token: '' }, NBR: { clientId: randomUUID(), token: '' } };
  const seqs = { DMO: 1, NBR: 1 };

  beforeEach(async () => {
    opened = await factory.open();
    storage = opened.storage;
    seqs.DMO = seqs.NBR = 1;
    await registerTestOperators(storage, rulesOf('DMO'), ['alice'], ['call_handler', 'dispatcher']);
    await registerTestOperators(storage, rulesOf('DMO'), ['eve'], ['auditor']);
    await registerTestOperators(storage, rulesOf('NBR'), ['nadia'], ['call_handler', 'dispatcher']);
    await registerTestOperators(storage, rulesOf('NBR'), ['sian'], ['auditor']);
    server = await startCentralServer({ storage, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: ENROLMENT_KEY });
    for (const force of ['DMO', 'NBR'] as const) {
      const response = await fetch(new URL('/v1/enrol', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: desks[force].clientId, workstation: `AUD-${force}`, enrolmentKey: ENROLMENT_KEY, force }),
      });
      expect(response.status).toBe(200);
      desks[force].token = ((await response.json()) as { deviceToken: string }).deviceToken;
    }
  });
  afterEach(async () => {
    await server.close();
    await opened.close();
  });

  async function happen(force: 'DMO' | 'NBR', steps: { name: string; args: unknown; by: string }[]) {
    const clientId = positions[force];
    const ticketSecret = await storage.secret(TICKET_SECRET);
    const commands: CommandEnvelope[] = steps.map((step) => ({
      commandId: randomUUID(),
      clientId,
      clientSeq: seqs[force]++,
      name: step.name,
      args: step.args,
      issuedAt: '2026-11-29T09:58:00.000Z',
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

  async function ask(force: 'DMO' | 'NBR', operator: string, question: AuditQuestion): Promise<AuditQueryResponse> {
    const ticket = await ticketFor(storage, operator, desks[force].clientId);
    const response = await fetch(new URL(AUDIT_PATHS.query, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${desks[force].token}` },
      body: JSON.stringify({ operator, ticket, issuedAt: '2026-11-29T10:00:00.000Z', question, reason: 'complaint review', limit: 500 }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as AuditQueryResponse;
  }

  it('puts Northbridge’s look at a Demonstration incident shared with it, opened and in a search, in Demonstration’s log with the reason, and refuses a look at its call, never shared', async () => {
    const incidentId = randomUUID();
    const contactId = randomUUID();
    await happen('DMO', [
      { name: 'contact.receive', args: { contactId, source: '999', callerNumber: '07700 900444', receivedAt: '2026-11-29T09:50:00.000Z', handsetLocation: null }, by: 'telephony' },
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-LOOK-1', type: 'ASB', location: unverifiedLocation('Crossways'), grade: '3', firstLog: null }, by: 'alice' },
      { name: 'share.create', args: { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'view', reason: 'Suspects heading north' }, by: 'alice' },
    ]);
    await happen('NBR', [
      { name: 'record.consulted', args: { recordKind: 'incident', recordId: incidentId, channel: 'incidents.get', query: { id: incidentId }, revealed: [], reason: REASON }, by: 'nadia' },
      {
        name: 'record.consulted',
        args: { recordKind: 'search', recordId: 'P-LOOK-1', channel: 'incidents.find', query: { reference: 'P-LOOK-1' }, revealed: [{ kind: 'incident', id: incidentId }], reason: REASON },
        by: 'nadia',
      },
    ]);

    // Its own operator's look is one entry, as ever.
    await happen('DMO', [{ name: 'record.consulted', args: { recordKind: 'incident', recordId: incidentId, channel: 'incidents.get', query: { id: incidentId }, revealed: [], reason: null }, by: 'alice' }]);

    const looks = (await ask('DMO', 'eve', { about: 'record', recordKind: 'incident', recordId: incidentId })).entries.filter((e) => e.kind === 'consultation');
    expect(looks.map((e) => [e.operator, e.force])).toEqual([
      ['alice', 'DMO'],
      ['nadia', 'DMO'],
      ['nadia', 'DMO'],
    ]);
    const seenByOwner = looks.filter((e) => e.operator === 'nadia');
    expect(seenByOwner).toEqual([1, 2].map(() => expect.objectContaining({ operator: 'nadia', workstation: 'WS-NBR', force: 'DMO', recordKind: 'incident', recordId: incidentId })));
    expect(seenByOwner.map((e) => JSON.parse(e.after!))).toEqual([
      { byForce: 'NBR', channel: 'incidents.find', reason: REASON, how: 'in the answer to a search or a history' },
      { byForce: 'NBR', channel: 'incidents.get', reason: REASON, how: 'opened' },
    ]);
    // A call is never shared with another force (shared/domain/share-policy.ts): a look at Demonstration's call from
    // Northbridge cannot have happened: it is taken as a look at a record Northbridge's server does not know (as an
    // unknown id's would be: nothing tells Northbridge the id is a call of Demonstration's), never written to
    // Demonstration's log.
    const ticketSecret = await storage.secret(TICKET_SECRET);
    const forged = await handlePush(
      {
        clientId: positions.NBR,
        schemaVersion: SCHEMA_VERSION,
        commands: [{ commandId: randomUUID(), clientId: positions.NBR, clientSeq: seqs.NBR++, name: 'record.consulted', args: { recordKind: 'caller', recordId: '07700 900444', channel: 'history.lookup', query: { number: '07700 900444' }, revealed: [{ kind: 'contact', id: contactId }], reason: REASON }, issuedAt: '2026-11-29T09:58:00.000Z', operator: 'nadia', ticket: issueTicket(ticketSecret, { operator: 'nadia', clientId: positions.NBR, expiresAt: Number.MAX_SAFE_INTEGER }), workstation: 'WS-NBR', schemaVersion: SCHEMA_VERSION }],
      },
      { storage, rules: rulesOf('NBR'), log: silentLog, device: { ...deviceOf(positions.NBR, 'WS-NBR'), force: 'NBR' }, ticketSecret, onApplied: () => {} },
    );
    expect(forged.outcomes).toEqual([expect.objectContaining({ status: 'applied' })]);
    expect((await ask('DMO', 'eve', { about: 'record', recordKind: 'contact', recordId: contactId })).entries.filter((e) => e.kind === 'consultation')).toEqual([]);

    // Northbridge's auditor sees its own operator's look, and nothing of Demonstration's entries on its incident.
    const nbrView = (await ask('NBR', 'sian', { about: 'record', recordKind: 'incident', recordId: incidentId })).entries;
    expect(nbrView.map((e) => [e.kind, e.operator, e.force, e.recordKind])).toEqual([
      ['consultation', 'nadia', 'NBR', 'search'],
      ['consultation', 'nadia', 'NBR', 'incident'],
    ]);
    expect(await verifyStorage(storage)).toMatchObject({ intact: true });
  });

  it('a look Northbridge forged at a Demonstration incident never shared is in Northbridge’s log alone, and its auditor asking by that incident’s reference finds nothing', async () => {
    const incidentId = randomUUID();
    await happen('DMO', [{ name: 'incident.create', args: { incidentId, provisionalReference: 'P-PRIVATE', type: 'ASB', location: unverifiedLocation('Portswood'), grade: '3', firstLog: null }, by: 'alice' }]);
    const { reference } = (await storage.record({ kind: 'incident', id: incidentId })) as { reference: string };
    // Taken as a look at an id Northbridge's server does not know: applied, and nothing in Demonstration's log.
    await happen('NBR', [{ name: 'record.consulted', args: { recordKind: 'incident', recordId: incidentId, channel: 'incidents.get', query: { id: incidentId }, revealed: [], reason: 'made up' }, by: 'nadia' }]);
    expect((await ask('DMO', 'eve', { about: 'record', recordKind: 'incident', recordId: incidentId })).entries.filter((e) => e.operator === 'nadia')).toEqual([]);
    // Asked by the reference, Northbridge's auditor is told nothing: not that the reference is the id looked at.
    expect(await ask('NBR', 'sian', { about: 'reference', reference })).toMatchObject({ entries: [], records: [] });
    expect(await ask('NBR', 'sian', { about: 'reference', reference: 'DMO-20991231-9999' })).toMatchObject({ entries: [], records: [] });
  });

  it('a look Northbridge made offline at a shared incident, arriving after Demonstration erased it, still reaches Demonstration’s log, its values unreadable', async () => {
    const incidentId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-LOOK-2', type: 'ASB', location: unverifiedLocation('Crossways'), grade: '3', firstLog: null }, by: 'alice' },
      { name: 'share.create', args: { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'view', reason: 'Suspects heading north' }, by: 'alice' },
    ]);
    const version = ((await storage.record({ kind: 'incident', id: incidentId })) as { version: number }).version;
    await happen('DMO', [{ name: 'incident.close', args: { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: version }, by: 'alice' }]);
    const act = { by: 'alice', workstation: 'WS-DMO', clientId: positions.DMO, force: 'DMO', at: '2026-11-29T10:00:00.000Z', reason: 'Retention period ended' };
    expect(await storage.erase({ target: { kind: 'incident', id: incidentId }, force: 'DMO', audit: (erased, references) => erasureDrafts(act, erased, references) })).toHaveProperty('erased');

    await happen('NBR', [{ name: 'record.consulted', args: { recordKind: 'incident', recordId: incidentId, channel: 'incidents.get', query: { id: incidentId }, revealed: [], reason: REASON }, by: 'nadia' }]);
    const looks = (await ask('DMO', 'eve', { about: 'reference', reference: 'P-LOOK-2' })).entries.filter((e) => e.kind === 'consultation');
    expect(looks).toEqual([expect.objectContaining({ operator: 'nadia', workstation: 'WS-NBR', force: 'DMO', recordKind: 'incident', recordId: incidentId, valuesErased: true })]);
    expect(JSON.stringify(looks)).not.toContain(REASON);
    expect(await verifyStorage(storage)).toMatchObject({ intact: true });
  });
});

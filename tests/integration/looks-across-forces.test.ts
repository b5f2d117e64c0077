import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unverifiedLocation } from '../../shared/domain/location';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { twoForcesOnOneServer } from '../fakes/two-forces-server';
import { postgresFactory, sqliteFactory } from '../fakes/storages';
import { verifyStorage } from '../../launch/audit-main';
import { erasureDrafts } from '../../server/audit/erasure-audit';
import { byHandShareId } from '../../shared/domain/share';

// A look by one force at another's record is in the owner's audit log too (DPA 2018 s.62: who has seen this
// incident, and why): Northbridge opens Demonstration's shared incident, and finds one of its calls in a caller's
// history; Demonstration's auditor sees both looks, with Northbridge's reason, on its own records; Northbridge's
// auditor still sees none of Demonstration's entries.
const cluster = postgresForThisFile();

const REASON = 'Suspect vehicle seen on the Northbridge ring road';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('looks at another force’s records on $name', (factory) => {
  const room = twoForcesOnOneServer(factory, {
    enrolmentKey: 'looks-across-forces-key',
    deskPrefix: 'AUD',
    operators: [
      { force: 'DMO', names: ['alice'], roles: ['call_handler', 'dispatcher'] },
      { force: 'DMO', names: ['eve'], roles: ['auditor'] },
      { force: 'NBR', names: ['nadia'], roles: ['call_handler', 'dispatcher'] },
      { force: 'NBR', names: ['sian'], roles: ['auditor'] },
    ],
  });
  const { happen, ask } = room;

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
    const forged = await room.push('NBR', [
      { name: 'record.consulted', args: { recordKind: 'caller', recordId: '07700 900444', channel: 'history.lookup', query: { number: '07700 900444' }, revealed: [{ kind: 'contact', id: contactId }], reason: REASON }, by: 'nadia' },
    ]);
    expect(forged.outcomes).toEqual([expect.objectContaining({ status: 'applied' })]);
    expect((await ask('DMO', 'eve', { about: 'record', recordKind: 'contact', recordId: contactId })).entries.filter((e) => e.kind === 'consultation')).toEqual([]);

    // Northbridge's auditor sees its own operator's look, and nothing of Demonstration's entries on its incident.
    const nbrView = (await ask('NBR', 'sian', { about: 'record', recordKind: 'incident', recordId: incidentId })).entries;
    expect(nbrView.map((e) => [e.kind, e.operator, e.force, e.recordKind])).toEqual([
      ['consultation', 'nadia', 'NBR', 'search'],
      ['consultation', 'nadia', 'NBR', 'incident'],
    ]);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('a look Northbridge forged at a Demonstration incident never shared is in Northbridge’s log alone, and its auditor asking by that incident’s reference finds nothing', async () => {
    const incidentId = randomUUID();
    await happen('DMO', [{ name: 'incident.create', args: { incidentId, provisionalReference: 'P-PRIVATE', type: 'ASB', location: unverifiedLocation('Portswood'), grade: '3', firstLog: null }, by: 'alice' }]);
    const { reference } = (await room.storage.record({ kind: 'incident', id: incidentId })) as { reference: string };
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
    const version = ((await room.storage.record({ kind: 'incident', id: incidentId })) as { version: number }).version;
    await happen('DMO', [{ name: 'incident.close', args: { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: version }, by: 'alice' }]);
    const act = { by: 'alice', workstation: 'WS-DMO', clientId: room.positions.DMO, force: 'DMO', at: '2026-11-29T10:00:00.000Z', reason: 'Retention period ended' };
    expect(await room.storage.erase({ target: { kind: 'incident', id: incidentId }, force: 'DMO', audit: (erased, references) => erasureDrafts(act, erased, references) })).toHaveProperty('erased');

    await happen('NBR', [{ name: 'record.consulted', args: { recordKind: 'incident', recordId: incidentId, channel: 'incidents.get', query: { id: incidentId }, revealed: [], reason: REASON }, by: 'nadia' }]);
    const looks = (await ask('DMO', 'eve', { about: 'reference', reference: 'P-LOOK-2' })).entries.filter((e) => e.kind === 'consultation');
    expect(looks).toEqual([expect.objectContaining({ operator: 'nadia', workstation: 'WS-NBR', force: 'DMO', recordKind: 'incident', recordId: incidentId, valuesErased: true })]);
    expect(JSON.stringify(looks)).not.toContain(REASON);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });
});

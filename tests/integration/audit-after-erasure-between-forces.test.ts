import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unverifiedLocation } from '../../shared/domain/location';
import { byHandShareId } from '../../shared/domain/share';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { twoForcesOnOneServer } from '../fakes/two-forces-server';
import { postgresFactory, sqliteFactory } from '../fakes/storages';
import { verifyStorage } from '../../launch/audit-main';

// "What did our people do about incident X", asked by Northbridge's auditor after Demonstration erased X (issue 12;
// DPA 2018 s.62: an erasure leaves the audit entries). Northbridge's entries were tied to X only through records
// Demonstration erased (the log line its assisting operator wrote, a deployment of its unit) or through its own
// records about X (a conflict): the erasure writes its entries in Northbridge's log too, naming what Northbridge's
// log already named, so the question by X's reference or id still finds them; nothing of Demonstration's beyond
// that reaches Northbridge's answer, nothing of Northbridge's reaches Demonstration's, and a force that never held X
// learns nothing of it.
const cluster = postgresForThisFile();

const ERASURE_REASON = 'Retention period ended for the Quarry Lane file';
const DMO_LINE_ID = randomUUID();

describe.each([sqliteFactory, postgresFactory(() => cluster)])('another force’s audit answers about an erased incident on $name', (factory) => {
  const room = twoForcesOnOneServer(factory, {
    enrolmentKey: 'audit-after-erasure-between-forces-key',
    operators: [
      { force: 'DMO', names: ['alice'], roles: ['call_handler', 'dispatcher'] },
      { force: 'DMO', names: ['admin'], roles: ['admin'] },
      { force: 'DMO', names: ['eve'], roles: ['auditor'] },
      { force: 'NBR', names: ['nadia'], roles: ['call_handler', 'dispatcher'] },
      { force: 'NBR', names: ['sian'], roles: ['auditor'] },
    ],
  });
  const { push, happen, ask } = room;
  const erase = async (incidentId: string) => {
    const erased = await room.admin('DMO', 'admin', { action: 'erase', record: { kind: 'incident', id: incidentId }, reason: ERASURE_REASON });
    expect(erased.status).toBe(200);
  };
  const close = async (incidentId: string) => {
    const { version } = (await room.storage.record({ kind: 'incident', id: incidentId })) as { version: number };
    await happen('DMO', [{ name: 'incident.close', args: { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: version }, by: 'alice' }]);
  };

  it('Northbridge’s auditor still finds, by the incident’s reference and by its id, its operator’s log line, look and conflict, and nothing else of Demonstration’s', async () => {
    const incidentId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-HELD-1', type: 'ASB', location: unverifiedLocation('Quarry Lane, Crossways'), grade: '3', firstLog: { entryId: DMO_LINE_ID, text: 'Caller says the gate was forced' } }, by: 'alice' },
      { name: 'share.create', args: { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'Their officers are nearer' }, by: 'alice' },
    ]);
    const { reference } = (await room.storage.record({ kind: 'incident', id: incidentId })) as { reference: string };
    const lineId = randomUUID();
    await happen('NBR', [
      { name: 'incident.addLog', args: { incidentId, entryId: lineId, text: 'NB-112 on the way from the ring road' }, by: 'nadia' },
      { name: 'record.consulted', args: { recordKind: 'incident', recordId: incidentId, channel: 'incidents.get', query: { id: incidentId }, revealed: [], reason: null }, by: 'nadia' },
    ]);
    await close(incidentId);
    // A deployment sent not knowing it was closed: a conflict of Northbridge's about the incident.
    const unitVersion = ((await room.storage.record({ kind: 'unit', id: 'NB-112' })) as { version: number }).version;
    const lost = await push('NBR', [{ name: 'unit.assign', args: { assignmentId: randomUUID(), unitId: 'NB-112', incidentId, unitVersion }, by: 'nadia' }]);
    expect(lost.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'conflict' })]);
    const conflictId = lost.commandIds[0]!;

    const whatNadiaDid = async (question: Parameters<typeof ask>[2]) => {
      const answer = await ask('NBR', 'sian', question);
      return { answer, found: answer.entries.filter((e) => e.kind !== 'erasure').map((e) => `${e.kind} ${e.recordKind}:${e.recordId}`).sort() };
    };
    const beforeErasure = (await whatNadiaDid({ about: 'record', recordKind: 'incident', recordId: incidentId })).found;
    expect(beforeErasure).toEqual(expect.arrayContaining([`collection logEntry:${lineId}`, `consultation incident:${incidentId}`]));

    await erase(incidentId);

    const expected = [...beforeErasure, `alteration conflict:${conflictId}`].sort();
    for (const question of [{ about: 'reference' as const, reference }, { about: 'record' as const, recordKind: 'incident', recordId: incidentId }]) {
      const { answer, found } = await whatNadiaDid(question);
      // Every entry found before, and the erasure's clearing of the conflict's copy.
      expect(found).toEqual(expected);
      // Said to be erased, by whose act: not who erased it nor why, which are Demonstration's.
      expect(answer.labels[`incident:${incidentId}`]).toBe(`incident ${reference} (erased)`);
      expect(answer.labels[`logEntry:${lineId}`]).toBe(`log entry on ${reference} (erased)`);
      expect(answer.entries.find((e) => e.kind === 'erasure' && e.recordId === incidentId)).toMatchObject({ force: 'NBR', operator: "system (automatically by the server, after force DMO's records.erase)", workstation: 'central server' });
      const said = JSON.stringify(answer);
      for (const text of [ERASURE_REASON, 'admin', 'alice', DMO_LINE_ID, 'P-HELD-1']) expect(said).not.toContain(text);
    }

    // Demonstration's answer names nothing of Northbridge's records, and its erasure still says who, when and why.
    const dmo = await ask('DMO', 'eve', { about: 'reference', reference });
    expect(JSON.stringify(dmo)).not.toContain(conflictId);
    expect(dmo.entries.filter((e) => e.force !== 'DMO')).toEqual([]);
    expect(dmo.entries.find((e) => e.kind === 'erasure' && e.recordId === incidentId)).toMatchObject({ operator: 'admin', force: 'DMO' });
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('Northbridge’s auditor asking by a standing incident’s reference finds its dispatcher’s lending of a unit for it', async () => {
    const incidentId = randomUUID();
    const loanId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-LOAN-1', type: 'ASB', location: unverifiedLocation('Quarry Lane, Crossways'), grade: '2', firstLog: null }, by: 'alice' },
      { name: 'loan.request', args: { loanId, incidentId, lender: 'NBR', ask: { callSign: 'NB-112' }, reason: 'Nearest dog unit' }, by: 'alice' },
    ]);
    const { reference } = (await room.storage.record({ kind: 'incident', id: incidentId })) as { reference: string };
    const loanVersion = ((await room.storage.record({ kind: 'loan', id: loanId })) as { version: number }).version;
    const unitVersion = () => room.storage.record({ kind: 'unit', id: 'NB-112' }).then((unit) => (unit as { version: number }).version);
    await happen('NBR', [{ name: 'unit.setDuty', args: { unitId: 'NB-112', duty: 'on_duty', unitVersion: await unitVersion(), until: '2026-11-29T14:00:00.000Z' }, by: 'nadia' }]);
    await happen('NBR', [{ name: 'loan.accept', args: { loanId, loanVersion, unitId: 'NB-112', unitVersion: await unitVersion() }, by: 'nadia' }]);

    for (const question of [{ about: 'reference' as const, reference }, { about: 'record' as const, recordKind: 'incident', recordId: incidentId }]) {
      const answer = await ask('NBR', 'sian', question);
      expect(answer.entries.filter((e) => e.recordKind === 'loan' && e.recordId === loanId).map((e) => [e.operator, e.force, e.command])).toContainEqual(['nadia', 'NBR', 'loan.accept']);
      // Nothing of Demonstration's people in it.
      expect(answer.entries.filter((e) => e.force !== 'NBR')).toEqual([]);
      expect(JSON.stringify(answer)).not.toContain('alice');
    }
  });

  // A try-out's finding: since the lender keeps its part of an erased incident (erasure.ts lendersPart), the borrower's
  // answer by the incident's reference lost its own entries about the loan and the lent unit's deployment: the
  // erasure entry named only what it erased, and those records were handed to the lender, not erased.
  it('Demonstration’s auditor still finds, by the erased incident’s reference, its own entries about the unit it borrowed and deployed, and that they went to the lender', async () => {
    const incidentId = randomUUID();
    const loanId = randomUUID();
    const assignmentId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-LOAN-2', type: 'ASB', location: unverifiedLocation('Quarry Lane, Crossways'), grade: '2', firstLog: null }, by: 'alice' },
      { name: 'loan.request', args: { loanId, incidentId, lender: 'NBR', ask: { callSign: 'NB-112' }, reason: 'Nearest dog unit' }, by: 'alice' },
    ]);
    const { reference } = (await room.storage.record({ kind: 'incident', id: incidentId })) as { reference: string };
    const version = (kind: 'unit' | 'loan' | 'assignment', id: string) => room.storage.record({ kind, id }).then((doc) => (doc as { version: number }).version);
    await happen('NBR', [{ name: 'unit.setDuty', args: { unitId: 'NB-112', duty: 'on_duty', unitVersion: await version('unit', 'NB-112'), until: '2026-11-29T14:00:00.000Z' }, by: 'nadia' }]);
    await happen('NBR', [{ name: 'loan.accept', args: { loanId, loanVersion: await version('loan', loanId), unitId: 'NB-112', unitVersion: await version('unit', 'NB-112') }, by: 'nadia' }]);
    await happen('DMO', [{ name: 'unit.assign', args: { assignmentId, unitId: 'NB-112', incidentId, unitVersion: await version('unit', 'NB-112'), reserveFor: null }, by: 'alice' }]);
    await happen('DMO', [{ name: 'assignment.setStatus', args: { assignmentId, unitId: 'NB-112', incidentId, status: 'cleared', assignmentVersion: await version('assignment', assignmentId) }, by: 'alice' }]);
    await happen('DMO', [{ name: 'loan.return', args: { loanId, unitId: 'NB-112' }, by: 'alice' }]);
    await close(incidentId);

    const own = (answer: Awaited<ReturnType<typeof ask>>) =>
      answer.entries.filter((e) => e.force === 'DMO' && (e.recordId === loanId || e.recordId === assignmentId) && e.command !== 'records.erase').map((e) => `${e.command} ${e.kind} ${e.recordKind}:${e.recordId} ${e.field ?? ''}`).sort();
    const before = own(await ask('DMO', 'eve', { about: 'reference', reference }));
    expect(before).toEqual(expect.arrayContaining([`loan.request collection loan:${loanId} `, `unit.assign collection assignment:${assignmentId} `]));
    await erase(incidentId);

    const after = await ask('DMO', 'eve', { about: 'reference', reference });
    expect(own(after)).toEqual(before);
    // And its log says where they went: handed to the lender by the erasure.
    for (const id of [loanId, assignmentId]) {
      expect(after.entries.filter((e) => e.recordId === id && e.command === 'records.erase' && e.force === 'DMO').map((e) => [e.operator, e.kind, e.field])).toEqual([['admin', 'alteration', 'keptBy']]);
    }
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('a force that only looked, by a forged push, at an incident never shared with it learns nothing of it once erased', async () => {
    const incidentId = randomUUID();
    await happen('DMO', [{ name: 'incident.create', args: { incidentId, provisionalReference: 'P-PRIVATE-9', type: 'ASB', location: unverifiedLocation('Portswood'), grade: '3', firstLog: null }, by: 'alice' }]);
    const { reference } = (await room.storage.record({ kind: 'incident', id: incidentId })) as { reference: string };
    await happen('NBR', [{ name: 'record.consulted', args: { recordKind: 'incident', recordId: incidentId, channel: 'incidents.get', query: { id: incidentId }, revealed: [], reason: 'made up' }, by: 'nadia' }]);
    await close(incidentId);
    await erase(incidentId);

    // Not told the reference is the id it looked at, nor that the incident was erased.
    expect(await ask('NBR', 'sian', { about: 'reference', reference })).toMatchObject({ entries: [], records: [] });
    const byId = await ask('NBR', 'sian', { about: 'record', recordKind: 'incident', recordId: incidentId });
    expect(byId.entries.map((e) => [e.kind, e.operator])).toEqual([['consultation', 'nadia']]);
    expect(JSON.stringify(byId)).not.toContain(reference);
    // Its own entry is its own account of what its operator did, and reads as a look at an id nobody ever had reads:
    // the other force's erasure neither took its words nor said, by taking them, that the id was a real record.
    const nobodys = randomUUID();
    await happen('NBR', [{ name: 'record.consulted', args: { recordKind: 'incident', recordId: nobodys, channel: 'incidents.get', query: { id: nobodys }, revealed: [], reason: 'made up' }, by: 'nadia' }]);
    const unknown = await ask('NBR', 'sian', { about: 'record', recordKind: 'incident', recordId: nobodys });
    const shape = (entry: Record<string, unknown>) => ({ valuesErased: entry.valuesErased ?? false, after: String(entry.after).replaceAll(incidentId, '<id>').replaceAll(nobodys, '<id>') });
    expect(shape(byId.entries[0] as Record<string, unknown>)).toEqual(shape(unknown.entries[0] as Record<string, unknown>));
    expect(byId.entries[0]).toMatchObject({ after: expect.stringContaining('made up') });
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });
});

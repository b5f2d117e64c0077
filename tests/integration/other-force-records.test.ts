import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unverifiedLocation } from '../../shared/domain/location';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { twoForcesOnOneServer } from '../fakes/two-forces-server';
import { postgresFactory, sqliteFactory } from '../fakes/storages';
import { verifyStorage } from '../../launch/audit-main';
import { byHandShareId } from '../../shared/domain/share';

// Each force's records are its own, and so is what happens to them (issue 12: one force never changes another's
// records; DPA 2018 s.62: each force's log records what happened to its records), whoever's act it was.
//
// Demonstration's administrator erases a closed Demonstration incident that Northbridge's people had touched:
// Northbridge operators' forged log lines on it (refused, each a refused command Northbridge owns, naming the incident)
// and an offer of it Northbridge tried to accept too late (a conflict Northbridge owns, holding the offer as it was
// shown). An erasure takes only the erasing force's records (issue 12: one force never changes another's): the
// refused lines stay Northbridge's, whole; the conflict stays Northbridge's with its copy of the erased offer cleared,
// and Northbridge's own log says so; the preview counts exactly what the erasure takes; Demonstration's log and its
// answers name nothing of Northbridge's records.
const cluster = postgresForThisFile();

const FORGED_LINE = 'Just curious about the neighbours';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('one force’s acts on the other force’s records on $name', (factory) => {
  const room = twoForcesOnOneServer(factory, {
    enrolmentKey: 'other-force-records-key',
    operators: [
      { force: 'DMO', names: ['alice'], roles: ['call_handler', 'dispatcher'] },
      { force: 'DMO', names: ['admin'], roles: ['admin'] },
      { force: 'DMO', names: ['eve'], roles: ['auditor'] },
      { force: 'NBR', names: ['nadia', 'omar'], roles: ['call_handler', 'dispatcher'] },
      { force: 'NBR', names: ['sian'], roles: ['auditor'] },
      { force: 'NBR', names: ['rhys'], roles: ['trainer'] },
    ],
  });
  const { push, happen, ask } = room;
  const admin = (body: Record<string, unknown>) => room.admin('DMO', 'admin', body);

  it('takes only Demonstration’s records, keeps Northbridge’s refused commands and conflict as Northbridge’s, counts in the preview exactly what goes, and logs each force’s records in its own log', async () => {
    const incidentId = randomUUID();
    const transferId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-ERASE-1', type: 'ASB', location: unverifiedLocation('Quarry Lane, Saltmere'), grade: '3', firstLog: { entryId: randomUUID(), text: 'Music from the flat above' } }, by: 'alice' },
      { name: 'transfer.offer', args: { transferId, incidentId, incidentVersion: 1, to: 'NBR', reason: 'Their officers know the family' }, by: 'alice' },
      { name: 'incident.update', args: { incidentId, changeId: randomUUID(), fields: { description: 'Loud music, a man shouting at the neighbours' } }, by: 'alice' },
    ]);

    // Northbridge: two log lines on the incident, never shared with it, from accounts whose roles write no log (an
    // auditor's, a trainer's), each refused and recorded as a refused command of Northbridge's naming the incident; and an acceptance of the offer that lost (the incident changed since), a
    // conflict of Northbridge's holding the offer as Northbridge was shown it.
    const forged = await push('NBR', [
      { name: 'incident.addLog', args: { incidentId, entryId: randomUUID(), text: FORGED_LINE }, by: 'sian' },
      { name: 'incident.addLog', args: { incidentId, entryId: randomUUID(), text: FORGED_LINE }, by: 'rhys' },
    ]);
    expect(forged.outcomes).toEqual([1, 2].map(() => expect.objectContaining({ status: 'rejected', code: 'forbidden' })));
    const accepted = await push('NBR', [{ name: 'transfer.accept', args: { transferId, transferVersion: 1, incidentId }, by: 'omar' }]);
    expect(accepted.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'conflict' })]);
    const [conflictId] = accepted.commandIds;
    const nbrRecords = [...forged.commandIds.map((id) => ({ kind: 'refusal' as const, id })), { kind: 'conflict' as const, id: conflictId! }];
    for (const key of nbrRecords) expect(await room.storage.record(key)).toMatchObject({ force: 'NBR' });
    expect(await room.storage.record({ kind: 'conflict', id: conflictId! })).toMatchObject({ theirs: expect.objectContaining({ id: transferId }) });

    const version = ((await room.storage.record({ kind: 'incident', id: incidentId })) as { version: number }).version;
    await happen('DMO', [
      { name: 'transfer.withdraw', args: { transferId, transferVersion: ((await room.storage.record({ kind: 'transfer', id: transferId })) as { version: number }).version }, by: 'alice' },
      { name: 'incident.close', args: { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: version }, by: 'alice' },
    ]);

    // The preview: the erasure's own search, nothing written.
    const preview = await admin({ action: 'erase-preview', record: { kind: 'incident', id: incidentId } });
    expect(preview.status).toBe(200);
    expect(preview.answer.problem).toBeNull();
    const goes = preview.answer.goes ?? [];
    expect(goes).toEqual(expect.arrayContaining([expect.stringMatching(/^\d+ log entr(y|ies)$/), '1 offer to another force']));
    expect(goes.join(', ')).not.toMatch(/refused|conflict/);
    expect(await room.storage.record({ kind: 'incident', id: incidentId })).toMatchObject({ status: 'closed' });

    const erase = await admin({ action: 'erase', record: { kind: 'incident', id: incidentId }, reason: 'Retention period ended' });
    expect(erase.status).toBe(200);
    // What the preview counted, one by one ("2 log entries", "1 offer to another force"), is what went with it.
    const previewed = goes.reduce((sum, words) => sum + Number(words.split(' ')[0]), 0);
    expect(erase.answer.done).toMatch(new RegExp(`^erased the incident and ${previewed} records? with it`));
    const erasure = (await ask('DMO', 'eve', { about: 'record', recordKind: 'incident', recordId: incidentId })).entries.find((e) => e.kind === 'erasure' && e.recordKind === 'incident')!;
    const detail = JSON.parse(erasure.after!) as { records: number; erased: { kind: string; id: string }[] };
    expect(detail.records).toBe(previewed + 1);
    expect(detail.erased.map((key) => key.kind)).toEqual(expect.arrayContaining(['incident', 'logEntry', 'transfer']));
    expect(detail.erased.map((key) => key.kind)).not.toEqual(expect.arrayContaining(['refusal']));
    expect(detail.erased.map((key) => key.kind)).not.toEqual(expect.arrayContaining(['conflict']));

    // Northbridge's records stay Northbridge's: the refused lines whole, the conflict with its copy of the erased
    // offer cleared and nothing else changed.
    for (const id of forged.commandIds) expect(await room.storage.record({ kind: 'refusal', id })).toMatchObject({ force: 'NBR', status: 'waiting', args: expect.objectContaining({ incidentId, text: FORGED_LINE }) });
    expect(await room.storage.record({ kind: 'conflict', id: conflictId! })).toMatchObject({ force: 'NBR', operator: 'omar', status: 'open', target: { kind: 'transfer', id: transferId }, theirs: null, version: 2 });
    expect(JSON.stringify(await room.storage.record({ kind: 'conflict', id: conflictId! }))).not.toContain('Quarry Lane');

    // Demonstration's log and answers name nothing of Northbridge's records: no refused line, no conflict, no operator.
    const dmoAnswer = JSON.stringify(await ask('DMO', 'eve', { about: 'reference', reference: 'P-ERASE-1' }));
    for (const text of [...nbrRecords.map((key) => key.id), 'sian', 'rhys', 'omar']) expect(dmoAnswer).not.toContain(text);
    expect(JSON.stringify(await ask('DMO', 'eve', { about: 'operator', operator: 'admin', from: '2026-06-01T00:00:00.000Z', to: '2027-05-01T00:00:00.000Z' }))).not.toContain(conflictId!);

    // Northbridge's log says what happened to its conflict, and by whose erasure, naming none of Demonstration's people.
    const nbrConflict = (await ask('NBR', 'sian', { about: 'record', recordKind: 'conflict', recordId: conflictId! })).entries;
    expect(nbrConflict.filter((e) => e.command === 'records.erase')).toEqual([
      expect.objectContaining({ kind: 'alteration', force: 'NBR', field: 'theirs', operator: "system (automatically by the server, after force DMO's records.erase)", workstation: 'central server', before: null, after: 'null' }),
    ]);
    expect(JSON.stringify(nbrConflict)).not.toContain('Retention period ended');
    // Its refused lines' records are untouched, with no entry of an erasure in either force's log.
    for (const id of forged.commandIds) {
      expect((await ask('NBR', 'sian', { about: 'record', recordKind: 'refusal', recordId: id })).entries.filter((e) => e.command === 'records.erase')).toEqual([]);
    }
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('a deployment Northbridge sends to Demonstration’s closed incident it assists on is refused in words of what the share shows: not the closing code, nor who closed it', async () => {
    const incidentId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-CLOSED-1', type: 'ASB', location: unverifiedLocation('Conflict Close, Saltmere'), grade: '3', firstLog: null }, by: 'alice' },
      { name: 'share.create', args: { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'Their officers are nearer' }, by: 'alice' },
    ]);
    const version = ((await room.storage.record({ kind: 'incident', id: incidentId })) as { version: number }).version;
    await happen('DMO', [{ name: 'incident.close', args: { incidentId, closeId: randomUUID(), closingCode: 'CRIME', incidentVersion: version }, by: 'alice' }]);
    const unitVersion = ((await room.storage.record({ kind: 'unit', id: 'NB-112' })) as { version: number }).version;
    const sent = await push('NBR', [{ name: 'unit.assign', args: { assignmentId: randomUUID(), unitId: 'NB-112', incidentId, unitVersion }, by: 'omar' }]);
    expect(sent.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'conflict' })]);
    const conflict = await room.storage.record({ kind: 'conflict', id: sent.commandIds[0]! });
    expect(conflict).toMatchObject({ force: 'NBR', reason: expect.stringContaining('closed') });
    // What the holder is told, and keeps, says nothing the share withholds: neither the code nor the operator.
    for (const said of [JSON.stringify(sent.outcomes), JSON.stringify(conflict)]) {
      expect(said).not.toContain('CRIME');
      expect(said).not.toContain('alice');
    }
  });

  it('once Demonstration has closed the incident Northbridge assists on, Northbridge may no longer write in its log, with the reason; Demonstration’s own post-closure line is written and audited', async () => {
    const incidentId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-CLOSED-LOG', type: 'ASB', location: unverifiedLocation('Crossways'), grade: '3', firstLog: null }, by: 'alice' },
      { name: 'share.create', args: { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'Their officers are nearer' }, by: 'alice' },
    ]);
    await happen('NBR', [{ name: 'incident.addLog', args: { incidentId, entryId: randomUUID(), text: 'NB-112 attending' }, by: 'omar' }]);
    const version = ((await room.storage.record({ kind: 'incident', id: incidentId })) as { version: number }).version;
    await happen('DMO', [{ name: 'incident.close', args: { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: version }, by: 'alice' }]);

    const late = randomUUID();
    const refused = await push('NBR', [{ name: 'incident.addLog', args: { incidentId, entryId: late, text: 'NB-112 back at Northbridge' }, by: 'omar' }]);
    expect(refused.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: 'DMO has closed the incident: NBR, assisting, may no longer write in its log (DMO’s control room may add the line, or reopen the incident)'.replace('’', "'") })]);
    expect(await room.storage.record({ kind: 'logEntry', id: late })).toBeNull();

    // Demonstration's own people still add a result for the record after closure, and its log says who and when.
    const result = randomUUID();
    await happen('DMO', [{ name: 'incident.addLog', args: { incidentId, entryId: result, text: 'Result: words of advice given to both households' }, by: 'alice' }]);
    const dmo = (await ask('DMO', 'eve', { about: 'record', recordKind: 'incident', recordId: incidentId })).entries;
    expect(dmo.filter((e) => e.recordId === result)).toEqual([expect.objectContaining({ kind: 'collection', force: 'DMO', operator: 'alice', command: 'incident.addLog', after: JSON.stringify({ afterClosure: true, line: 'note' }) })]);
  });

  it('a line Northbridge writes in the log of Demonstration’s incident it assists on is in Demonstration’s audit log too, as its record’s collection', async () => {
    const incidentId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-ASSIST-1', type: 'ASB', location: unverifiedLocation('Crossways'), grade: '3', firstLog: null }, by: 'alice' },
      { name: 'share.create', args: { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'Their officers are nearer' }, by: 'alice' },
    ]);
    const entryId = randomUUID();
    await happen('NBR', [{ name: 'incident.addLog', args: { incidentId, entryId, text: 'NB-101 on the way from the ring road' }, by: 'omar' }]);
    expect(await room.storage.record({ kind: 'logEntry', id: entryId })).toMatchObject({ force: 'DMO' });

    // Demonstration, whose record the line is, finds who wrote it when it asks about its incident.
    const dmo = (await ask('DMO', 'eve', { about: 'record', recordKind: 'incident', recordId: incidentId })).entries;
    expect(dmo.filter((e) => e.recordKind === 'logEntry' && e.recordId === entryId)).toEqual([
      expect.objectContaining({ kind: 'collection', force: 'DMO', operator: 'omar', workstation: 'WS-NBR', command: 'incident.addLog', after: JSON.stringify({ line: 'note' }) }),
    ]);
    // Northbridge's own entry of what its operator did stays in its log.
    const nbr = (await ask('NBR', 'sian', { about: 'operator', operator: 'omar', from: '2026-06-01T00:00:00.000Z', to: '2027-05-01T00:00:00.000Z' })).entries;
    expect(nbr.filter((e) => e.recordId === entryId).map((e) => [e.kind, e.force])).toEqual([['collection', 'NBR']]);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });
});

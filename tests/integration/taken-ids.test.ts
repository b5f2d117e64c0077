import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callBackTaskId } from '../../shared/domain/call-backs';
import { unverifiedLocation } from '../../shared/domain/location';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { twoForcesOnOneServer } from '../fakes/two-forces-server';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

// Issue 12, H1 (a try-out's finding): Northbridge's crafted incident.create, its first log line under the id of a
// Demonstration log line, was applied: the server's record of that line became Northbridge's, on Northbridge's
// incident, with Northbridge's words. The server makes a record only under an id no record holds, any force's, an
// erased one's included, and says so in the words of any taken id.
const cluster = postgresForThisFile();

const taken = (id: string) => `the server would not write it: the id ${id} is already in use on the server; a new record needs a new id`;

describe.each([sqliteFactory, postgresFactory(() => cluster)])('a record made under a taken id on $name', (factory) => {
  const room = twoForcesOnOneServer(factory, {
    enrolmentKey: 'taken-ids-key',
    operators: [
      { force: 'DMO', names: ['alice'], roles: ['call_handler', 'dispatcher'] },
      { force: 'DMO', names: ['admin'], roles: ['admin'] },
      { force: 'DMO', names: ['dan'], roles: ['dispatcher'] },
      { force: 'NBR', names: ['omar'], roles: ['call_handler', 'dispatcher'] },
      { force: 'NBR', names: ['nbadmin'], roles: ['admin'] },
    ],
  });
  const { push, happen } = room;

  it('refuses Northbridge’s first line under the id of Demonstration’s private line, as any taken id, and leaves Demonstration’s line as it was', async () => {
    const dmoIncident = randomUUID();
    const dmoLine = randomUUID();
    await happen('DMO', [{ name: 'incident.create', args: { incidentId: dmoIncident, provisionalReference: 'P-DMO-1', type: 'ASB', location: unverifiedLocation('Quarry Lane, Saltmere'), grade: '3', firstLog: { entryId: dmoLine, text: 'Music from the flat above' } }, by: 'alice' }]);
    const before = await room.storage.record({ kind: 'logEntry', id: dmoLine });
    expect(before).toMatchObject({ force: 'DMO', incidentId: dmoIncident, text: 'Music from the flat above' });

    const nbrIncident = randomUUID();
    const crafted = await push('NBR', [{ name: 'incident.create', args: { incidentId: nbrIncident, provisionalReference: 'P-NBR-1', type: 'VIOLENCE', location: unverifiedLocation('Crossways Road'), grade: '2', firstLog: { entryId: dmoLine, text: 'Overwritten by Northbridge' } }, by: 'omar' }]);
    expect(crafted.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: taken(dmoLine) })]);
    expect(await room.storage.record({ kind: 'logEntry', id: dmoLine })).toEqual(before);
    expect(await room.storage.record({ kind: 'incident', id: nbrIncident })).toBeNull();
    // A log line added under the same id is refused in the same words: nothing says whose the id is.
    const added = await push('NBR', [{ name: 'incident.create', args: { incidentId: nbrIncident, provisionalReference: 'P-NBR-1', type: 'VIOLENCE', location: unverifiedLocation('Crossways Road'), grade: '2', firstLog: null }, by: 'omar' }, { name: 'incident.addLog', args: { incidentId: nbrIncident, entryId: dmoLine, text: 'Overwritten by Northbridge' }, by: 'omar' }]);
    expect(added.outcomes).toEqual([expect.objectContaining({ status: 'applied' }), expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: taken(dmoLine) })]);
    expect(await room.storage.record({ kind: 'logEntry', id: dmoLine })).toEqual(before);
  });

  it('refuses an incident made under an erased incident’s id: the erased record is not brought back', async () => {
    const incidentId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-DMO-2', type: 'ASB', location: unverifiedLocation('Quarry Lane, Saltmere'), grade: '3', firstLog: null }, by: 'alice' },
      { name: 'incident.close', args: { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: 1 }, by: 'alice' },
    ]);
    const erase = await room.admin('DMO', 'admin', { action: 'erase', record: { kind: 'incident', id: incidentId }, reason: 'Retention period ended' });
    expect(erase.status).toBe(200);
    for (const [force, by, type] of [['DMO', 'alice', 'ASB'], ['NBR', 'omar', 'VIOLENCE']] as const) {
      const again = await push(force, [{ name: 'incident.create', args: { incidentId, provisionalReference: `P-${force}-3`, type, location: unverifiedLocation('Quarry Lane, Saltmere'), grade: '3', firstLog: null }, by }]);
      expect(again.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: taken(incidentId) })]);
    }
    expect(await room.storage.record({ kind: 'incident', id: incidentId })).toBeNull();
  });

  // Issue 12, a second try-out's H1: a call-back task's id is derived from the caller's number (callBackTaskId), so
  // Northbridge could work out Demonstration's for any number. Its abandoned call ended under that id took the id
  // (Demonstration's own abandoned 999 call from the number was then refused: no call-back), and the answer told
  // whether the number had rung Demonstration's 999 line and hung up.
  it('refuses Northbridge’s call ended under Demonstration’s call-back task id for a number, in the same words whether or not Demonstration has that task, and Demonstration’s own abandoned call gets its call-back', async () => {
    const rang = '07700 900555';
    const dmoCall = randomUUID();
    await happen('DMO', [
      { name: 'contact.receive', args: { contactId: dmoCall, source: '999', callerNumber: rang, receivedAt: '2026-11-29T09:50:00.000Z', handsetLocation: null }, by: 'telephony' },
      { name: 'contact.end', args: { contactId: dmoCall, outcome: 'abandoned', taskId: callBackTaskId('DMO', rang, dmoCall) }, by: 'telephony' },
    ]);
    const words: string[] = [];
    for (const number of [rang, '07700 900777']) {
      const nbrCall = randomUUID();
      const crafted = await push('NBR', [
        { name: 'contact.receive', args: { contactId: nbrCall, source: '999', callerNumber: '07700 900111', receivedAt: '2026-11-29T09:51:00.000Z', handsetLocation: null }, by: 'telephony' },
        { name: 'contact.end', args: { contactId: nbrCall, outcome: 'abandoned', taskId: callBackTaskId('DMO', number, nbrCall) }, by: 'telephony' },
      ]);
      expect(crafted.outcomes).toEqual([expect.objectContaining({ status: 'applied' }), expect.objectContaining({ status: 'rejected', code: 'invalid' })]);
      words.push((crafted.outcomes[1] as { reason: string }).reason);
    }
    expect(words[0]).toEqual(words[1]);
    expect(await room.storage.record({ kind: 'task', id: callBackTaskId('DMO', '07700 900777', 'x') })).toBeNull();
    expect(await room.storage.record({ kind: 'task', id: callBackTaskId('DMO', rang, 'x') })).toMatchObject({ force: 'DMO', calls: [{ contactId: dmoCall }] });
    // Demonstration's next abandoned call from the other number gets its call-back, under its own id.
    const later = randomUUID();
    const dmo = await push('DMO', [
      { name: 'contact.receive', args: { contactId: later, source: '999', callerNumber: '07700 900777', receivedAt: '2026-11-29T09:52:00.000Z', handsetLocation: null }, by: 'telephony' },
      { name: 'contact.end', args: { contactId: later, outcome: 'abandoned', taskId: callBackTaskId('DMO', '07700 900777', later) }, by: 'telephony' },
    ]);
    expect(dmo.outcomes).toEqual([expect.objectContaining({ status: 'applied' }), expect.objectContaining({ status: 'applied' })]);
    expect(await room.storage.record({ kind: 'task', id: callBackTaskId('DMO', '07700 900777', later) })).toMatchObject({ force: 'DMO', kind: 'call_back', calls: [{ contactId: later }] });
  });

  // Issue 12, M10: account commands naming the other force's operator told which names it has.
  it('answers Northbridge’s account commands naming Demonstration’s dan exactly as a name no account holds, the role checked first', async () => {
    const roles = (name: string) => ({ name: 'operator.setRoles', args: { name, roles: ['call_handler'], operatorVersion: 1 }, by: 'nbadmin' });
    const active = (name: string) => ({ name: 'operator.setActive', args: { name, active: false, operatorVersion: 1 }, by: 'nbadmin' });
    for (const command of [roles, active]) {
      const [theirs] = (await push('NBR', [command('dan')])).outcomes;
      const [nobody] = (await push('NBR', [command('zed')])).outcomes;
      expect(theirs).toMatchObject({ status: 'rejected', code: 'conflict' });
      const words = (outcome: unknown, name: string) => (outcome as { reason: string }).reason.replaceAll(name, '<name>');
      expect(words(theirs, 'dan')).toEqual(words(nobody, 'zed'));
      // Not an administrator: refused for the role, whatever the name.
      const [byOmar] = (await push('NBR', [{ ...command('dan'), by: 'omar' }])).outcomes;
      expect(byOmar).toMatchObject({ status: 'rejected', code: 'forbidden', reason: expect.stringMatching(/^omar may not /) });
    }
    expect(await room.storage.record({ kind: 'operator', id: 'dan' })).toMatchObject({ force: 'DMO', roles: ['dispatcher'], active: true, version: 1 });
  });
});

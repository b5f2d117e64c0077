import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
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

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unverifiedLocation } from '../../shared/domain/location';
import { byHandShareId } from '../../shared/domain/share';
import { runSystemCommands } from '../../server/commands/system-commands';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { rulesOf, twoForcesOnOneServer } from '../fakes/two-forces-server';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

// Issue 12, M4 (a try-out's finding): DMO's status change, made offline, on NBR's unit lent to DMO on DMO's own
// incident (shared with NBR at assist), refused after NBR took the unit back, read "NBR has shared the incident with
// DMO to view only: DMO may not write to it". The incident is DMO's; the refusal says what happened to the unit.
const cluster = postgresForThisFile();

describe.each([sqliteFactory, postgresFactory(() => cluster)])('another force’s units on an incident, on $name', (factory) => {
  const room = twoForcesOnOneServer(factory, {
    enrolmentKey: 'lent-unit-taken-back-key',
    operators: [
      { force: 'DMO', names: ['alice'], roles: ['call_handler', 'dispatcher'] },
      { force: 'NBR', names: ['omar'], roles: ['dispatcher'] },
    ],
  });
  const { push, happen } = room;

  it('refuses the borrower’s late status change saying the lender took the unit back, and when', async () => {
    const unitVersion = async () => ((await room.storage.record({ kind: 'unit', id: 'NB-101' })) as { version: number }).version;
    // NB-101, of NBR's configuration, registered with the server's start; booked on.
    await runSystemCommands(room.storage, rulesOf('NBR'), [{ name: 'unit.setDuty', args: { unitId: 'NB-101', duty: 'on_duty', unitVersion: await unitVersion(), until: '2026-11-29T23:00:00.000Z' } }]);
    const incidentId = randomUUID();
    const loanId = randomUUID();
    const assignmentId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-DMO-1', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null }, by: 'alice' },
      { name: 'share.create', args: { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'On the border' }, by: 'alice' },
      { name: 'loan.request', args: { loanId, incidentId, lender: 'NBR', ask: { callSign: 'NB-101' }, reason: 'No DMO unit free' }, by: 'alice' },
    ]);
    await happen('NBR', [{ name: 'loan.accept', args: { loanId, loanVersion: 1, unitId: 'NB-101', unitVersion: await unitVersion() }, by: 'omar' }]);
    await happen('DMO', [{ name: 'unit.assign', args: { assignmentId, incidentId, unitId: 'NB-101', unitVersion: await unitVersion() }, by: 'alice' }]);
    const loanVersion = ((await room.storage.record({ kind: 'loan', id: loanId })) as { version: number }).version;
    await happen('NBR', [{ name: 'loan.takeBack', args: { loanId, loanVersion, unitId: 'NB-101', unitVersion: await unitVersion(), reason: 'Needed in Northbridge', deployment: { assignmentId, incidentId } }, by: 'omar', at: '2026-11-29T10:42:00.000Z' }]);
    // DMO's workstation, offline meanwhile, moved the unit on before it heard.
    const late = await push('DMO', [{ name: 'assignment.setStatus', args: { assignmentId, unitId: 'NB-101', incidentId, status: 'at_scene', assignmentVersion: 1 }, by: 'alice', at: '2026-11-29T10:44:00.000Z' }]);
    // When the take-back took effect is the server's time (here its clock agrees with the lender's desk: 10:42).
    expect(late.outcomes).toEqual([expect.objectContaining({ status: 'rejected', reason: "NB-101 was taken back by NBR at 10:42 GMT; it is no longer DMO's to move" })]);
  });

  // Issue 12, M6: an offer of an incident with NBR's unit on it (deployed by NBR under its assist share) was refused
  // as having "1 unit of DMO's on it".
  it('refuses an offer of an incident with the other force’s unit on it naming that unit as the other force’s', async () => {
    const unitVersion = async () => ((await room.storage.record({ kind: 'unit', id: 'NB-102' })) as { version: number }).version;
    await runSystemCommands(room.storage, rulesOf('NBR'), [{ name: 'unit.setDuty', args: { unitId: 'NB-102', duty: 'on_duty', unitVersion: await unitVersion(), until: '2026-11-29T23:00:00.000Z' } }]);
    const incidentId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-DMO-2', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null }, by: 'alice' },
      { name: 'share.create', args: { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'On the border' }, by: 'alice' },
    ]);
    await happen('NBR', [{ name: 'unit.assign', args: { assignmentId: randomUUID(), incidentId, unitId: 'NB-102', unitVersion: await unitVersion() }, by: 'omar' }]);
    const version = ((await room.storage.record({ kind: 'incident', id: incidentId })) as { version: number }).version;
    const offered = await push('DMO', [{ name: 'transfer.offer', args: { transferId: randomUUID(), incidentId, incidentVersion: version, to: 'NBR', reason: 'Their units are there' }, by: 'alice' }]);
    expect(offered.outcomes).toEqual([expect.objectContaining({ status: 'rejected', reason: expect.stringMatching(/^the incident still has NB-102, of another force, on it \(/) })]);
    expect(JSON.stringify(offered.outcomes)).not.toMatch(/of DMO's/);
  });
});

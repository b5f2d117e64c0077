import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unverifiedLocation } from '../../shared/domain/location';
import { byHandShareId } from '../../shared/domain/share';
import { runSystemCommands } from '../../server/commands/system-commands';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { rulesOf, twoForcesOnOneServer, type Step } from '../fakes/two-forces-server';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

// Issue 12 (a try-out's medium): a command queued offline on an incident its own force erased meanwhile was refused
// as "the incident does not exist (if it was made offline, the command that made it was refused)": as if it had never
// been. The incident's text is rightly gone; the refusal says it was erased, by whom and when. Every kind of command
// that acts on an incident, or on a record that went with it, is checked; and the other force's command on the shared
// incident is told only which force erased it (and the reference its share showed), never who or why.
const cluster = postgresForThisFile();

describe.each([sqliteFactory, postgresFactory(() => cluster)])('commands on an incident erased meanwhile, on $name', (factory) => {
  const room = twoForcesOnOneServer(factory, {
    enrolmentKey: 'commands-on-erased-incident-key',
    operators: [
      { force: 'DMO', names: ['alice'], roles: ['call_handler', 'dispatcher', 'supervisor'] },
      { force: 'DMO', names: ['admin'], roles: ['admin'] },
      { force: 'NBR', names: ['omar'], roles: ['call_handler', 'dispatcher'] },
    ],
  });
  const { push, happen } = room;
  const version = async (kind: 'incident' | 'unit' | 'assignment', id: string) => ((await room.storage.record({ kind, id })) as { version: number }).version;

  it('says the incident was erased, by whom and when, to every command of its own force and of the force it was shared with', async () => {
    await runSystemCommands(room.storage, rulesOf('DMO'), [{ name: 'unit.setDuty', args: { unitId: 'DM-11', duty: 'on_duty', unitVersion: await version('unit', 'DM-11'), until: '2026-11-29T23:00:00.000Z' } }]);
    await runSystemCommands(room.storage, rulesOf('NBR'), [{ name: 'unit.setDuty', args: { unitId: 'NB-101', duty: 'on_duty', unitVersion: await version('unit', 'NB-101'), until: '2026-11-29T23:00:00.000Z' } }]);
    const incidentId = randomUUID();
    const assignmentId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-GONE-1', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '2', firstLog: { entryId: randomUUID(), text: 'Caller Ada Lovelace says two men are fighting' } }, by: 'alice' },
      { name: 'share.create', args: { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'On the border' }, by: 'alice' },
    ]);
    await happen('DMO', [{ name: 'unit.assign', args: { assignmentId, incidentId, unitId: 'DM-11', unitVersion: await version('unit', 'DM-11') }, by: 'alice' }]);
    const assignmentVersion = await version('assignment', assignmentId);
    await happen('DMO', [{ name: 'assignment.setStatus', args: { assignmentId, unitId: 'DM-11', incidentId, status: 'cleared', assignmentVersion }, by: 'alice' }]);
    // NBR, assisting, deploys its own unit there and clears it.
    const assisting = randomUUID();
    await happen('NBR', [{ name: 'unit.assign', args: { assignmentId: assisting, incidentId, unitId: 'NB-101', unitVersion: await version('unit', 'NB-101') }, by: 'omar' }]);
    const assistingVersion = await version('assignment', assisting);
    await happen('NBR', [{ name: 'assignment.setStatus', args: { assignmentId: assisting, unitId: 'NB-101', incidentId, status: 'cleared', assignmentVersion: assistingVersion }, by: 'omar' }]);
    const { reference } = (await room.storage.record({ kind: 'incident', id: incidentId })) as { reference: string };
    const incidentVersion = await version('incident', incidentId);
    await happen('DMO', [{ name: 'incident.close', args: { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion }, by: 'alice' }]);
    const closedVersion = await version('incident', incidentId);

    const erased = await room.admin('DMO', 'admin', { action: 'erase', record: { kind: 'incident', id: incidentId }, reason: 'Retention period ended' });
    expect(erased.status).toBe(200);
    const erasure = await room.storage.erasureOf({ kind: 'incident', id: incidentId }, 'DMO');
    // The server's clock is fixed at 10:00 UTC on 29 November: GMT.
    expect(erasure?.recordedAt.slice(0, 16)).toBe('2026-11-29T10:00');

    // Made offline before the desk heard of the erasure, sent when it came back.
    const queued: Step[] = [
      { name: 'incident.addLog', args: { incidentId, entryId: randomUUID(), text: 'Result: words of advice' }, by: 'alice' },
      { name: 'incident.reopen', args: { incidentId, reopenId: randomUUID(), reason: 'Caller rang back', incidentVersion: closedVersion }, by: 'alice' },
      { name: 'incident.regrade', args: { incidentId, changeId: randomUUID(), grade: '1', reason: '' }, by: 'alice' },
      { name: 'incident.update', args: { incidentId, changeId: randomUUID(), fields: { description: 'Two men fighting' } }, by: 'alice' },
      { name: 'incident.changeType', args: { incidentId, changeId: randomUUID(), type: 'THEFT', reason: '' }, by: 'alice' },
      { name: 'incident.takeOwnership', args: { incidentId, takeId: randomUUID(), incidentVersion: closedVersion }, by: 'alice' },
      { name: 'incident.close', args: { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: closedVersion }, by: 'alice' },
      { name: 'unit.assign', args: { assignmentId: randomUUID(), incidentId, unitId: 'DM-11', unitVersion: await version('unit', 'DM-11') }, by: 'alice' },
      { name: 'share.create', args: { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'view', reason: 'On the border' }, by: 'alice' },
      { name: 'loan.request', args: { loanId: randomUUID(), incidentId, lender: 'NBR', ask: { callSign: 'NB-101' }, reason: 'No DMO unit free' }, by: 'alice' },
      { name: 'transfer.offer', args: { transferId: randomUUID(), incidentId, incidentVersion: closedVersion, to: 'NBR', reason: 'Their area' }, by: 'alice' },
    ];
    const own = `the incident ${reference} was erased by admin (DMO's force administrator) on 2026-11-29 10:00 GMT: what it held went with it, and nothing more can be done on it`;
    for (const step of queued) {
      const { outcomes, commandIds } = await push('DMO', [step]);
      expect({ command: step.name, outcome: outcomes[0] }).toEqual({ command: step.name, outcome: expect.objectContaining({ status: 'rejected', reason: own }) });
      // The record the room sees (its conflict or refused command) says the same.
      const kept = ((await room.storage.record({ kind: 'conflict', id: commandIds[0]! })) ?? (await room.storage.record({ kind: 'refusal', id: commandIds[0]! }))) as { reason: string } | null;
      expect(kept?.reason).toBe(own);
    }
    // A status press on the deployment that went with the incident says so, naming the incident.
    const press = await push('DMO', [{ name: 'assignment.setStatus', args: { assignmentId, unitId: 'DM-11', incidentId, status: 'at_scene', assignmentVersion: assignmentVersion + 1 }, by: 'alice' }]);
    expect(press.outcomes[0]).toMatchObject({ status: 'rejected', reason: `the deployment went with the incident ${reference}, erased by admin (DMO's force administrator) on 2026-11-29 10:00 GMT: what it held went with it, and nothing more can be done on it` });

    // The force it was shared with: which force erased it and when, by the reference its share showed; not who, nor why.
    const other = await push('NBR', [
      { name: 'incident.addLog', args: { incidentId, entryId: randomUUID(), text: 'NB-101 free to help' }, by: 'omar' },
      { name: 'unit.assign', args: { assignmentId: randomUUID(), incidentId, unitId: 'NB-101', unitVersion: await version('unit', 'NB-101') }, by: 'omar' },
    ]);
    for (const outcome of other.outcomes) expect(outcome).toMatchObject({ status: 'rejected', reason: `the incident ${reference} was erased by DMO on 2026-11-29 10:00 GMT: what it held went with it, and nothing more can be done on it` });
    // Its own unit's deployment there, kept for NBR with its unit's work: a receipt queued offline on it is told the
    // incident was erased, not that something does not exist.
    const onItsDeployment = await push('NBR', [{ name: 'assignment.receipt', args: { assignmentId: assisting, unitId: 'NB-101', incidentId, receipt: 'accepted' }, by: 'omar' }]);
    expect(onItsDeployment.outcomes[0]).toMatchObject({ status: 'rejected', reason: `the incident ${reference} was erased by DMO on 2026-11-29 10:00 GMT: what it held went with it, and nothing more can be done on it` });
    expect(JSON.stringify(other.outcomes)).not.toMatch(/admin|Retention/);
  });

  it('tells a force that never held the incident nothing of it: an id the server never had', async () => {
    const incidentId = randomUUID();
    await happen('DMO', [{ name: 'incident.create', args: { incidentId, provisionalReference: 'P-GONE-2', type: 'ASSAULT', location: unverifiedLocation('Harbour Street'), grade: '3', firstLog: null }, by: 'alice' }]);
    await happen('DMO', [{ name: 'incident.close', args: { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: await version('incident', incidentId) }, by: 'alice' }]);
    expect((await room.admin('DMO', 'admin', { action: 'erase', record: { kind: 'incident', id: incidentId }, reason: 'Retention period ended' })).status).toBe(200);
    const crafted = await push('NBR', [{ name: 'incident.addLog', args: { incidentId, entryId: randomUUID(), text: 'Anyone there?' }, by: 'omar' }]);
    const unknown = await push('NBR', [{ name: 'incident.addLog', args: { incidentId: randomUUID(), entryId: randomUUID(), text: 'Anyone there?' }, by: 'omar' }]);
    expect(crafted.outcomes[0]).toMatchObject({ status: 'rejected', reason: (unknown.outcomes[0] as { reason: string }).reason });
    expect(JSON.stringify(crafted.outcomes)).not.toMatch(/erased|DMO/);
    // A second try-out's high: the record NBR's room keeps of the refusal (pulled into its workstation's file) had its
    // arguments cleared for the erased id, kept for an unknown one: that told NBR the id had been an erased record.
    const keptOf = async (id: string) => ((await room.storage.record({ kind: 'conflict', id })) ?? (await room.storage.record({ kind: 'refusal', id }))) as { args: unknown; reason: string } | null;
    const craftedKept = await keptOf(crafted.commandIds[0]!);
    const unknownKept = await keptOf(unknown.commandIds[0]!);
    expect(craftedKept?.args).toMatchObject({ text: 'Anyone there?', incidentId });
    expect(unknownKept?.args).toMatchObject({ text: 'Anyone there?' });
    expect(craftedKept?.reason).toBe(unknownKept?.reason);
    // Arguments that do not parse, naming the erased id, likewise.
    const broken = await push('NBR', [{ name: 'record.consulted', args: { record: { kind: 'incident', id: incidentId }, nonsense: true }, by: 'omar' }]);
    expect(broken.outcomes[0]).toMatchObject({ status: 'rejected' });
    expect((await keptOf(broken.commandIds[0]!))?.args).toMatchObject({ nonsense: true });
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import type { AssignmentView, IncidentView, ShareView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { call, eventually } from '../fakes/fixtures';
import { HttpWorkstation } from '../fakes/http-workstation';
import { twoForceRoom, twoForceServerStorages } from '../fakes/two-force-servers';

// The assist tier between the two forces on one real central server, on each storage: NBR, holding DMO's incident at
// the assist tier, writes in its log and deploys its own unit; DMO sees both, attributed to NBR; the server refuses
// NBR changing the incident or deploying DMO's unit, and every write once the share is cut to view or revoked; what
// NBR wrote stays in DMO's record.
const LOG_TEXT = 'Caller says the van has Northbridge plates';
const storages = twoForceServerStorages();

describe.each(storages)('the assist tier between forces on $name', ({ start }) => {
  const room = twoForceRoom(start);
  const { workstation } = room;
  const envelope = (w: HttpWorkstation, clientSeq: number, name: string, args: unknown, operator = 'quinn'): CommandEnvelope => ({
    commandId: randomUUID(),
    clientId: w.clientId,
    clientSeq,
    name,
    args,
    issuedAt: new Date().toISOString(),
    operator,
    ticket: '',
    workstation: 'WS-HTTP',
    schemaVersion: SCHEMA_VERSION,
  });
  const onServer = (_at: ConsoleCore, what: string, check: () => boolean) => eventually(check, what, 20_000);
  const deploymentsOn = (c: ConsoleCore, incidentId: string): AssignmentView[] => c.store.view.assignmentsOf(incidentId) as AssignmentView[];

  it('lets NBR write in the log and deploy its own unit, shows both at DMO as NBR’s, refuses the rest, and refuses every write once the share ends', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    const nbr = workstation('WS-NBR', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'dan', password: 'demo' });
    await call(nbr, 'session.signIn', { operator: 'quinn', password: 'demo' });
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', { type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: LOG_TEXT });
    await onServer(dmo, 'DMO’s incident is on the server', () => dmo.store.view.incident(incident.id)?.reference != null);
    await call(nbr, 'units.setDuty', { unitId: 'NB-101', duty: 'on_duty', unitVersion: nbr.store.view.view('unit', 'NB-101')!.version, until: new Date(Date.now() + 2 * 3600_000).toISOString() });
    await onServer(nbr, 'NB-101 is on duty on the server', () => nbr.store.view.view('unit', 'NB-101')?.duty === 'on_duty' && !nbr.store.view.view('unit', 'NB-101')!.pending);

    // Shared at the assist tier: NBR holds it with its log.
    const { share } = await call<{ share: ShareView }>(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'assist', reason: 'NBR units are nearer' });
    await onServer(nbr, 'NBR holds the incident and its log', () => nbr.store.view.logOf(incident.id).some((e) => e.text === LOG_TEXT));
    expect(nbr.store.view.incident(incident.id)).toMatchObject({ grade: '', sharedView: { tier: 'assist' } });

    // NBR writes in the log and deploys NB-101.
    await call(nbr, 'incidents.addLog', { incidentId: incident.id, text: 'NB-101 is 4 minutes away' });
    const unit = nbr.store.view.view('unit', 'NB-101')!;
    await call(nbr, 'units.assign', { unitId: 'NB-101', incidentId: incident.id, unitVersion: unit.version });
    await onServer(dmo, 'DMO has NBR’s line and NBR’s deployment', () => dmo.store.view.logOf(incident.id).some((e) => e.text === 'NB-101 is 4 minutes away') && deploymentsOn(dmo, incident.id).length === 1);
    expect(dmo.store.view.logOf(incident.id).find((e) => e.text === 'NB-101 is 4 minutes away')).toMatchObject({ force: 'DMO', byForce: 'NBR', author: 'quinn', pending: false });
    expect(deploymentsOn(dmo, incident.id)[0]).toMatchObject({ force: 'DMO', unitForce: 'NBR', unitId: 'NB-101', assignedBy: 'quinn' });
    await onServer(dmo, 'DMO’s incident counts NB-101 among its units', () => dmo.store.view.incident(incident.id)!.activeUnits.includes('NB-101'));
    await onServer(nbr, 'NBR’s copy of its deployment is the server’s', () => deploymentsOn(nbr, incident.id).some((a) => !a.pending));

    // NB-101 at scene: DMO's attendance clock stops at the first arrival, whoever's unit it is.
    const deployment = deploymentsOn(nbr, incident.id)[0]!;
    await call(nbr, 'assignments.setStatus', { assignmentId: deployment.id, status: 'at_scene', assignmentVersion: deployment.version });
    await onServer(dmo, 'DMO’s incident is attended', () => dmo.store.view.incident(incident.id)!.attendedAt !== null);

    // The server refuses NBR changing the incident, or deploying DMO's unit (as it would a unit it never had).
    const holder = await (await HttpWorkstation.enrol(room.server.url, randomUUID(), undefined, 'NBR')).signIn('quinn');
    const refused = await holder.pushed([
      envelope(holder, 1, 'incident.regrade', { incidentId: incident.id, changeId: randomUUID(), grade: '3', reason: 'Calmer' }),
      envelope(holder, 2, 'incident.close', { incidentId: incident.id, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: dmo.store.view.incident(incident.id)!.version, reservations: [] }),
      envelope(holder, 3, 'unit.assign', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId: incident.id, unitVersion: 1 }),
    ]);
    expect(refused.outcomes).toEqual([
      expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: expect.stringContaining('at the assist tier: NBR may write in its log and deploy and run its own units there, not change the incident') }),
      expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: expect.stringContaining('at the assist tier') }),
      // DMO's unit, which NBR cannot see, is refused as a unit the server never had: nothing says whose it is.
      expect.objectContaining({ status: 'rejected', code: 'not_found', reason: 'no unit DM-11' }),
    ]);

    // DMO may not end the share while NB-101 is there; NBR clears it, and DMO cuts the share to view.
    await expect(call(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'view', reason: 'Ours now' })).rejects.toThrow(/NB-101 of NBR still deployed/);
    await expect(call(dmo, 'shares.revoke', { shareId: share.id, reason: 'Ours now' })).rejects.toThrow(/NB-101 of NBR still deployed/);
    // The server refuses it too, from a DMO workstation whose view was behind NBR's deployment: the share stays.
    const owner = await (await HttpWorkstation.enrol(room.server.url, randomUUID(), undefined, 'DMO')).signIn('dan');
    const ending = await owner.pushed([
      envelope(owner, 1, 'share.revoke', { shareId: share.id, reason: 'Ours now' }, 'dan'),
      envelope(owner, 2, 'share.create', { shareId: share.id, incidentId: incident.id, sharedWith: 'NBR', tier: 'view', reason: 'Ours now' }, 'dan'),
    ]);
    expect(ending.outcomes).toEqual([
      expect.objectContaining({ status: 'rejected', code: 'invalid', reason: 'NB-101 of NBR still deployed on the incident: NBR clears its units before the share is revoked' }),
      expect.objectContaining({ status: 'rejected', code: 'invalid', reason: 'NB-101 of NBR still deployed on the incident: NBR clears its units before the share is cut to view' }),
    ]);
    expect(nbr.store.view.incident(incident.id)?.sharedView?.tier).toBe('assist');
    const atScene = deploymentsOn(nbr, incident.id)[0]!;
    await onServer(nbr, 'NB-101 at scene is on the server', () => !deploymentsOn(nbr, incident.id)[0]!.pending);
    await call(nbr, 'assignments.setStatus', { assignmentId: atScene.id, status: 'cleared', assignmentVersion: deploymentsOn(nbr, incident.id)[0]!.version });
    await onServer(dmo, 'DMO sees NB-101 cleared', () => deploymentsOn(dmo, incident.id)[0]?.status === 'cleared' && !dmo.store.view.incident(incident.id)!.activeUnits.includes('NB-101'));
    await call(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'view', reason: 'Ours now' });
    await onServer(nbr, 'NBR no longer holds the log', () => nbr.store.view.incident(incident.id)?.sharedView?.tier === 'view' && nbr.store.view.logOf(incident.id).length === 0);
    // NBR's desk refuses it at once, changing nothing; the server refuses it from a workstation that did not know yet.
    await expect(call(nbr, 'incidents.addLog', { incidentId: incident.id, text: 'Still here' })).rejects.toThrow(/DMO has shared the incident with NBR to view only/);
    const atView = await holder.pushed([envelope(holder, 4, 'incident.addLog', { incidentId: incident.id, entryId: randomUUID(), text: 'Still here' })]);
    expect(atView.outcomes).toEqual([expect.objectContaining({ status: 'rejected', reason: expect.stringContaining('DMO has shared the incident with NBR to view only') })]);

    // Revoked: NBR's workstation deletes the incident, the server refuses its writes, and DMO keeps what NBR wrote.
    await call(dmo, 'shares.revoke', { shareId: share.id, reason: 'Suspect arrested' });
    await onServer(nbr, 'NBR no longer holds the incident', () => nbr.store.view.incident(incident.id) === undefined);
    const after = await holder.pushed([
      envelope(holder, 5, 'incident.addLog', { incidentId: incident.id, entryId: randomUUID(), text: 'One more' }),
      envelope(holder, 6, 'unit.assign', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId: incident.id, unitVersion: nbr.store.view.view('unit', 'NB-101')!.version }),
    ]);
    expect(after.outcomes).toEqual([
      expect.objectContaining({ status: 'rejected', reason: expect.stringMatching(/^DMO revoked its share of the incident with NBR at \d\d:\d\d (GMT|BST): NBR may not change it$/) }),
      expect.objectContaining({ status: 'rejected', reason: expect.stringMatching(/^DMO revoked its share of the incident with NBR at /) }),
    ]);
    expect(dmo.store.view.logOf(incident.id).filter((e) => e.byForce === 'NBR').map((e) => e.text)).toEqual(expect.arrayContaining(['NB-101 is 4 minutes away', 'NB-101 assigned; deployment sent to its terminal']));
  }, 180_000);

  // Found by the fault simulation (two forces): the server keeps a share's latest state only, so a workstation away
  // while a share was cut from assist to view and then revoked was given the revoked view-tier share alone, which
  // withdrew the incident but not the log its assist tier had handed over: NBR kept DMO's log for good.
  it('leaves an NBR workstation that was away while the share was cut to view and revoked none of the log it held', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    let away = workstation('WS-NBR-2', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'dan', password: 'demo' });
    await call(away, 'session.signIn', { operator: 'omar', password: 'demo' });
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', { type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: LOG_TEXT });
    const { share } = await call<{ share: ShareView }>(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'assist', reason: 'NBR units are nearer' });
    await onServer(away, 'NBR holds the incident and its log', () => away.store.view.logOf(incident.id).some((e) => e.text === LOG_TEXT && !e.pending));
    const heldLog = away.store.view.logOf(incident.id).map((e) => e.id);

    room.stopWorkstation(away);
    await call(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'view', reason: 'Ours now' });
    await call(dmo, 'shares.revoke', { shareId: share.id, reason: 'Suspect arrested' });
    await onServer(dmo, 'DMO’s revocation is on the server', () => dmo.store.view.sharesOf(incident.id).some((s) => s.revoked !== null && !s.pending));

    away = workstation('WS-NBR-2', 'NBR');
    await onServer(away, 'the returning NBR workstation has deleted the incident', () => away.store.view.incident(incident.id) === undefined);
    await onServer(away, 'the returning NBR workstation is in step', () => away.store.view.sharesOf(incident.id).some((s) => s.revoked !== null));
    for (const id of heldLog) expect(away.store.server.get({ kind: 'logEntry', id }), `log entry ${id}`).toBeUndefined();
    expect(away.store.view.logOf(incident.id)).toEqual([]);
  }, 120_000);
});
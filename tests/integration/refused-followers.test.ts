import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../shared/contract/views';
import type { Refusal } from '../../shared/domain/refusal';
import { unverifiedLocation } from '../../shared/domain/location';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { call, eventually } from '../fakes/fixtures';
import { HttpWorkstation } from '../fakes/http-workstation';
import { twoForceRoom, twoForceServerStorages } from '../fakes/two-force-servers';

// Issue 12's try-out: a command that followed a refused one in the same outbox (CommandEnvelope.follows) was folded
// into its leader's conflict when the leader lost a race, but became a conflict of its own ("the deployment does not
// exist") when the leader was refused outright. NBR, holding DMO's incident to view only, sends a deployment of its
// unit and the crew's status press after it: one refusal, showing what followed, on each storage.
const storages = twoForceServerStorages();

describe.each(storages)('a command following a refused one, on $name', ({ start }) => {
  const room = twoForceRoom(start);
  const { workstation } = room;

  it('is kept on the refusal of the command it followed, which every NBR desk then shows, not made a conflict of its own', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    const nbr = workstation('WS-NBR', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'dan', password: 'demo' });
    await call(nbr, 'session.signIn', { operator: 'quinn', password: 'demo' });
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', { type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null });
    await eventually(() => dmo.store.view.incident(incident.id)?.reference != null, 'DMO’s incident is on the server', 20_000);
    await call(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'view', reason: 'For awareness' });
    await eventually(() => nbr.store.view.incident(incident.id)?.sharedView?.tier === 'view', 'NBR holds the incident to view', 20_000);

    const holder = await (await HttpWorkstation.enrol(room.server.url, randomUUID(), undefined, 'NBR')).signIn('quinn');
    const envelope = (clientSeq: number, name: string, args: unknown, follows?: string[]): CommandEnvelope => ({
      commandId: randomUUID(),
      clientId: holder.clientId,
      clientSeq,
      name,
      args,
      issuedAt: new Date().toISOString(),
      operator: 'quinn',
      ticket: '',
      workstation: 'WS-NBR-HTTP',
      schemaVersion: SCHEMA_VERSION,
      ...(follows ? { follows } : {}),
    });
    const assignmentId = randomUUID();
    const deploy = envelope(1, 'unit.assign', { assignmentId, unitId: 'NB-101', incidentId: incident.id, unitVersion: nbr.store.view.view('unit', 'NB-101')!.version });
    const press = envelope(2, 'assignment.setStatus', { assignmentId, unitId: 'NB-101', incidentId: incident.id, status: 'at_scene', assignmentVersion: 1 }, [deploy.commandId]);
    const { outcomes } = await holder.pushed([deploy, press]);
    expect(outcomes).toEqual([
      expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: expect.stringContaining('DMO has shared the incident with NBR to view only') }),
      expect.objectContaining({ status: 'rejected', code: 'conflict', reason: expect.stringContaining('which was refused: DMO has shared the incident with NBR to view only') }),
    ]);

    // NBR's desk: one refusal, with the press kept on it; no refusal and no conflict of the press's own.
    const refusal = () => nbr.store.server.get({ kind: 'refusal', id: deploy.commandId })?.doc as Refusal | undefined;
    await eventually(() => (refusal()?.followedBy?.length ?? 0) === 1, 'NBR’s desk has the refusal with what followed it', 20_000);
    expect(refusal()).toMatchObject({ status: 'waiting', commandName: 'unit.assign', followedBy: [expect.objectContaining({ commandId: press.commandId, commandName: 'assignment.setStatus', operator: 'quinn' })] });
    expect(nbr.store.server.get({ kind: 'refusal', id: press.commandId })).toBeUndefined();
    expect(nbr.store.server.get({ kind: 'conflict', id: press.commandId })).toBeUndefined();
    // Sent again (a retry), the press is kept once.
    const again = await holder.pushed([press]);
    expect(again.outcomes.length).toBeLessThanOrEqual(1);
    await eventually(() => nbr.store.view.openConflicts().length === 0, 'no conflict at NBR’s desk', 5_000);
    expect(refusal()!.followedBy).toHaveLength(1);
  }, 180_000);
});

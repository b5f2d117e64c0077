import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { call, eventually, refusalOf } from '../fakes/fixtures';
import { twoForceRoom, twoForceServerStorages } from '../fakes/two-force-servers';

// An incident Demonstration shared with Northbridge, erased by Demonstration's administrator once closed, on the
// real server on each storage: Northbridge's workstations delete it too, the one that was away when it returns, and
// no pull brings it back to any of them.
const storages = twoForceServerStorages();

describe.each(storages)('erasing an incident shared with the other force on $name', ({ start }) => {
  const room = twoForceRoom(start);
  const { workstation, fileBytes } = room;

  it('withdraws it from the other force’s workstations, the one away included when it returns', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    const admin = workstation('WS-ADMIN', 'DMO');
    const nbr = workstation('WS-NBR', 'NBR');
    let away = workstation('WS-NBR-2', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'dan', password: 'demo' });
    await call(admin, 'session.signIn', { operator: 'admin', password: 'demo' });
    await call(nbr, 'session.signIn', { operator: 'quinn', password: 'demo' });
    await call(away, 'session.signIn', { operator: 'omar', password: 'demo' });

    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', { type: 'BURGLARY', location: unverifiedLocation('Border Road, Crossways'), grade: '1', firstLog: 'Van seen heading north' });
    await eventually(() => dmo.store.view.incident(incident.id)?.reference != null, 'the server has given the incident its reference');
    await call(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'view', reason: 'Suspects heading for Northbridge' });
    for (const w of [nbr, away]) await eventually(() => w.store.view.incident(incident.id) !== undefined, 'the NBR workstation has the shared incident');
    await call(dmo, 'incidents.close', { incidentId: incident.id, closingCode: 'ADVICE', incidentVersion: dmo.store.view.incident(incident.id)!.version });
    await eventually(() => nbr.store.view.incident(incident.id)?.status === 'closed', 'NBR sees it closed');

    room.stopWorkstation(away);
    await eventually(() => admin.store.view.incident(incident.id)?.status === 'closed', 'the administrator’s desk has it closed');
    const reference = admin.store.view.incident(incident.id)!.reference!;
    const { done } = await call<{ done: string }>(admin, 'admin.erase', { kind: 'incident', record: reference, reason: 'Retention period ended' });
    expect(done).toMatch(/^erased the incident and \d+ records with it/);

    for (const w of [dmo, nbr]) await eventually(() => w.store.view.incident(incident.id) === undefined, 'the incident is gone from the workstation');
    expect(nbr.store.server.get({ kind: 'incident', id: incident.id })).toBeUndefined();
    expect(nbr.store.view.sharesOf(incident.id)).toEqual([]);
    expect(fileBytes('WS-NBR')).not.toContain('Border Road, Crossways');

    // The workstation that was away comes back and deletes it at its first pull.
    away = workstation('WS-NBR-2', 'NBR');
    expect(away.store.view.incident(incident.id)).toBeDefined();
    await eventually(() => away.store.view.incident(incident.id) === undefined, 'the returning NBR workstation has deleted the incident');
    expect(away.store.server.get({ kind: 'incident', id: incident.id })).toBeUndefined();
  });

  it('of an incident transferred from the other force, takes its whole record: what the force that gave it up wrote, its share and its offer go from both forces and the server', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    const nbr = workstation('WS-NBR', 'NBR');
    const nbrAdmin = workstation('WS-NBR-ADMIN', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'dan', password: 'demo' });
    await call(nbr, 'session.signIn', { operator: 'quinn', password: 'demo' });
    await call(nbrAdmin, 'session.signIn', { operator: 'nbadmin', password: 'demo' });

    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', { type: 'BURGLARY', location: unverifiedLocation('Border Road, Crossways'), grade: '2', firstLog: 'Caller Ada Lovelace at 12 Keyhole Lane' });
    await eventually(() => dmo.store.view.incident(incident.id)?.reference != null && !dmo.store.view.incident(incident.id)!.pending, 'the server has given the incident its reference');
    await call(dmo, 'incidents.addLog', { incidentId: incident.id, text: 'Neighbour Grace Hopper saw the van' });
    await call(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'assist', reason: 'Suspects heading for Northbridge' });
    await eventually(() => nbr.store.view.incident(incident.id) !== undefined, 'NBR has the shared incident');
    const version = () => dmo.store.view.incident(incident.id)!.version;
    await eventually(() => !dmo.store.view.incident(incident.id)!.pending, 'the share is confirmed');
    const { transfer } = await call<{ transfer: { id: string } }>(dmo, 'transfers.offer', { incidentId: incident.id, incidentVersion: version(), to: 'NBR', reason: 'The yard is on the Northbridge side' });
    await eventually(() => nbr.store.view.transfers().some((t) => t.id === transfer.id && t.status === 'offered'), 'NBR’s desk has the offer');
    await call(nbr, 'transfers.accept', { transferId: transfer.id, transferVersion: nbr.store.view.view('transfer', transfer.id)!.version });
    await eventually(() => nbr.store.view.incident(incident.id)?.force === 'NBR' && !nbr.store.view.incident(incident.id)!.pending, 'the incident is NBR’s');
    await call(nbr, 'incidents.close', { incidentId: incident.id, closingCode: 'NFA', incidentVersion: nbr.store.view.incident(incident.id)!.version });
    await eventually(() => nbrAdmin.store.view.incident(incident.id)?.status === 'closed', 'NBR’s administrator has it closed');

    const reference = nbrAdmin.store.view.incident(incident.id)!.reference!;
    const { done } = await call<{ done: string }>(nbrAdmin, 'admin.erase', { kind: 'incident', record: reference, reason: 'Retention period ended' });
    expect(done).toMatch(/^erased the incident and \d+ records with it/);

    for (const w of [dmo, nbr, nbrAdmin]) await eventually(() => w.store.view.incident(incident.id) === undefined && w.store.view.logOf(incident.id).length === 0, 'the incident and its log are gone from the workstation');
    for (const name of ['WS-DMO', 'WS-NBR', 'WS-NBR-ADMIN']) {
      expect(room.fileBytes(name)).not.toContain('Ada Lovelace');
      expect(room.fileBytes(name)).not.toContain('Grace Hopper');
    }
    // Nothing of it at DMO either: no share, no offer, none of its lines, for DMO's administrator to be unable to erase.
    expect(dmo.store.view.sharesOf(incident.id)).toEqual([]);
    expect(dmo.store.view.transfers().filter((t) => t.id === transfer.id)).toEqual([]);
    // A workstation of each force started now pulls nothing of it.
    for (const [name, force] of [['WS-DMO-LATER', 'DMO'], ['WS-NBR-LATER', 'NBR']] as const) {
      const later = workstation(name, force);
      await call(later, 'session.signIn', { operator: force === 'DMO' ? 'dan' : 'quinn', password: 'demo' });
      await eventually(() => later.sync.status().connection === 'online' && later.sync.status().pending === 0, 'the later workstation has caught up');
      expect(later.store.view.logOf(incident.id)).toEqual([]);
      expect(room.fileBytes(name)).not.toContain('Ada Lovelace');
      expect(room.fileBytes(name)).not.toContain('Grace Hopper');
    }
  });

  // Issue 12, m1: an administrator naming another force's incident shared with it, by the reference its desk shows,
  // was refused as "no incident 3f2a…-… on the server": an id nobody typed. The refusal says the reference.
  it('refuses another force’s shared incident named by its reference in the words it was named by, never its id', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    const nbrAdmin = workstation('WS-NBR-ADMIN', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'dan', password: 'demo' });
    await call(nbrAdmin, 'session.signIn', { operator: 'nbadmin', password: 'demo' });
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', { type: 'BURGLARY', location: unverifiedLocation('Border Road, Crossways'), grade: '2', firstLog: null });
    await eventually(() => dmo.store.view.incident(incident.id)?.reference != null && !dmo.store.view.incident(incident.id)!.pending, 'the server has given the incident its reference');
    await call(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'view', reason: 'Suspects heading for Northbridge' });
    await eventually(() => nbrAdmin.store.view.incident(incident.id) !== undefined, 'NBR’s administrator has the shared incident');
    await call(dmo, 'incidents.close', { incidentId: incident.id, closingCode: 'ADVICE', incidentVersion: dmo.store.view.incident(incident.id)!.version });
    await eventually(() => nbrAdmin.store.view.incident(incident.id)?.status === 'closed', 'NBR sees it closed');
    const reference = nbrAdmin.store.view.incident(incident.id)!.reference!;

    const said = await refusalOf(nbrAdmin, 'admin.erase', { kind: 'incident', record: reference, reason: 'Retention period ended' });
    expect(said).toContain(`no incident ${reference} on the server`);
    expect(said).not.toContain(incident.id);
    const preview = await call<{ problem: string | null }>(nbrAdmin, 'admin.erasePreview', { kind: 'incident', record: reference });
    expect(preview.problem).toBe(`no incident ${reference} on the server`);
    expect(dmo.store.view.incident(incident.id)).toBeDefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { call, eventually } from '../fakes/fixtures';
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
});

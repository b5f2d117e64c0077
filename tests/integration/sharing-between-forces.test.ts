import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import type { IncidentView, ShareView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { SCHEMA_VERSION, type CommandEnvelope, type PullResponse } from '../../shared/sync/protocol';
import { call, eventually } from '../fakes/fixtures';
import { HttpWorkstation } from '../fakes/http-workstation';
import { twoForceRoom, twoForceServerStorages } from '../fakes/two-force-servers';
import { loadForceAreas } from '../../node-common/force-areas-file';
import { defaultAreaDir } from '../../main/area/open-area';
import { forceAreaAt } from '../../shared/area/force-areas';

// Sharing an incident between the two forces on one central server, on each storage: the other force's workstations
// receive it cut to the share's tier, even those whose cursor had passed it, and delete it when the share is
// revoked, those away meanwhile when they come back; what the share withholds never reaches their files.

const CALLER = '07700 900517';
const LOG_TEXT = 'Caller says the van has Northbridge plates, heading north on the B2170';

const storages = twoForceServerStorages();

describe.each(storages)('sharing an incident between forces on $name', ({ start }) => {
  const room = twoForceRoom(start);
  const { workstation, fileBytes } = room;

  const envelope = (w: HttpWorkstation, clientSeq: number, operator: string, name: string, args: unknown): CommandEnvelope => ({
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

  const pullFromStart = async (w: HttpWorkstation, schemaVersion = SCHEMA_VERSION): Promise<PullResponse> =>
    (await (await fetch(`${room.server.url}/v1/pull?since=0&clientId=${w.clientId}&afterClientSeq=0&schemaVersion=${schemaVersion}`, { headers: w.headers })).json()) as PullResponse;

  /** DMO's incident, with a caller and a first log line, back from the server with its reference. */
  const dmoIncident = async (dmo: ConsoleCore): Promise<IncidentView & { reference: string }> => {
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', {
      type: 'BURGLARY',
      location: unverifiedLocation('Border Road, Crossways'),
      grade: '1',
      firstLog: LOG_TEXT,
      callerNumber: CALLER,
    });
    await eventually(() => dmo.store.view.incident(incident.id)?.reference != null, 'the server has given the incident its reference');
    return { ...incident, reference: dmo.store.view.incident(incident.id)!.reference! };
  };

  /** NBR makes an incident of its own and waits until both its workstations hold it: their cursors are past DMO's. */
  const nbrMovesOn = async (nbr: ConsoleCore, others: ConsoleCore[]) => {
    const { incident } = await call<{ incident: IncidentView }>(nbr, 'incidents.create', { type: 'HOUSEBREAK', location: unverifiedLocation('2 Mill Lane'), grade: '2', firstLog: 'Shed broken into' });
    for (const w of [nbr, ...others]) await eventually(() => w.store.view.incident(incident.id)?.reference != null, 'an NBR workstation holds NBR’s own incident');
  };

  it('sends a shared incident cut to the view tier to the other force’s workstations past it, and revoking deletes it there, the one away included when it returns', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    const nbr = workstation('WS-NBR', 'NBR');
    let away = workstation('WS-NBR-2', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'dan', password: 'demo' });
    await call(nbr, 'session.signIn', { operator: 'quinn', password: 'demo' });
    await call(away, 'session.signIn', { operator: 'omar', password: 'demo' });

    const incident = await dmoIncident(dmo);
    await nbrMovesOn(nbr, [away]);
    expect(nbr.store.view.incident(incident.id)).toBeUndefined();

    const { share } = await call<{ share: ShareView }>(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'view', reason: 'Suspects heading for Northbridge' });
    for (const w of [nbr, away]) await eventually(() => w.store.view.incident(incident.id) !== undefined, 'the NBR workstation has the shared incident');
    const seen = nbr.store.view.incident(incident.id)!;
    expect(seen).toMatchObject({
      force: 'DMO',
      reference: incident.reference,
      type: 'BURGLARY',
      location: { text: 'Border Road, Crossways' },
      status: 'open',
      callerNumber: '',
      callerName: '',
      description: '',
      grade: '',
      thrive: null,
      sharedView: { tier: 'view', commonPriority: 1, typeName: 'Burglary' },
    });
    expect(nbr.store.view.logOf(incident.id)).toEqual([]);
    expect(nbr.store.view.sharesOf(incident.id)).toEqual([expect.objectContaining({ id: share.id, sharedWith: 'NBR', how: 'by_hand', revoked: null })]);
    for (const trace of [CALLER, LOG_TEXT]) expect(fileBytes('WS-NBR'), `NBR's file holds ${trace}`).not.toContain(trace);
    // The shared incident is in NBR's queue with the rest.
    const listed = await call<{ incidents: IncidentView[] }>(nbr, 'incidents.list', {});
    expect(listed.incidents.map((i) => i.id)).toContain(incident.id);

    // One NBR workstation goes away; the share is revoked meanwhile.
    room.stopWorkstation(away);
    await call(dmo, 'shares.revoke', { shareId: share.id, reason: 'Suspects arrested in our area' });
    await eventually(() => nbr.store.view.incident(incident.id) === undefined, 'the incident is gone from the NBR workstation');
    expect(nbr.store.server.get({ kind: 'incident', id: incident.id })).toBeUndefined();
    expect(nbr.store.view.sharesOf(incident.id)).toEqual([expect.objectContaining({ id: share.id, revoked: expect.objectContaining({ reason: 'Suspects arrested in our area' }) })]);
    // DMO keeps its incident, and its log says who shared it and when it was revoked.
    await eventually(() => dmo.store.view.logOf(incident.id).filter((e) => !e.pending).length >= 3, 'DMO has the share and revocation lines');
    expect(dmo.store.view.logOf(incident.id).map((e) => e.text)).toEqual(
      expect.arrayContaining(['Shared with NBR (view): Suspects heading for Northbridge', 'Share with NBR revoked: Suspects arrested in our area']),
    );

    // The workstation that was away comes back and deletes it at its first pull.
    away = workstation('WS-NBR-2', 'NBR');
    expect(away.store.view.incident(incident.id)).toBeDefined();
    await eventually(() => away.store.view.incident(incident.id) === undefined, 'the returning NBR workstation has deleted the incident');
    expect(away.store.server.get({ kind: 'incident', id: incident.id })).toBeUndefined();
  });

  it('shares automatically, on the server, an incident DMO takes whose location is in NBR’s area, and the NBR desk lists it with the view-tier fields only', async () => {
    // A point well inside NBR's area of the exercise area the server shares by: the middle of its outline.
    const areas = loadForceAreas(defaultAreaDir());
    const ring = areas.find((area) => area.force === 'NBR')!.shape[0]![0]!;
    const [lon, lat] = [ring.reduce((sum, p) => sum + p[0], 0) / ring.length, ring.reduce((sum, p) => sum + p[1], 0) / ring.length];
    expect(forceAreaAt([lon, lat], areas).force).toBe('NBR');

    const dmo = workstation('WS-DMO', 'DMO');
    const nbr = workstation('WS-NBR', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'dan', password: 'demo' });
    await call(nbr, 'session.signIn', { operator: 'quinn', password: 'demo' });
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', {
      type: 'BURGLARY',
      location: { text: 'Otter Vale', point: { lat, lon }, source: 'gazetteer', district: null, accuracyM: null },
      grade: '2',
      firstLog: LOG_TEXT,
      callerNumber: CALLER,
    });
    const home = await dmoIncident(dmo); // in neither force's area: shared with nobody

    await eventually(() => nbr.store.view.incident(incident.id) !== undefined, 'NBR has the cross-border incident');
    expect(nbr.store.view.incident(incident.id)).toMatchObject({ force: 'DMO', callerNumber: '', description: '', grade: '', sharedView: { tier: 'view', commonPriority: 2 } });
    expect(nbr.store.view.sharesOf(incident.id)).toEqual([expect.objectContaining({ how: 'automatic', reason: "the location is in NBR's area", revoked: null })]);
    await eventually(() => dmo.store.view.logOf(incident.id).some((e) => e.text === "Shared automatically with NBR (view): the location is in NBR's area" && e.author === 'system'), 'DMO’s log says it was shared');
    expect(nbr.store.view.incident(home.id)).toBeUndefined();
    for (const trace of [CALLER, LOG_TEXT, home.reference]) expect(fileBytes('WS-NBR'), `NBR's file holds ${trace}`).not.toContain(trace);
  });

  it('refuses a force holding a share that passes it on or revokes it, with the reason, and gives a workstation before schema 7 nothing of the other force', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    await call(dmo, 'session.signIn', { operator: 'dan', password: 'demo' });
    const incident = await dmoIncident(dmo);
    const { share } = await call<{ share: ShareView }>(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'view', reason: 'Near the border' });
    await eventually(() => dmo.store.view.sharesOf(incident.id).some((s) => !s.pending), 'the share is on the server');

    const holder = await (await HttpWorkstation.enrol(room.server.url, randomUUID(), undefined, 'NBR')).signIn('quinn');
    const page = await pullFromStart(holder);
    expect(page.changes.find((c) => c.id === incident.id)?.doc).toMatchObject({ reference: incident.reference, callerNumber: '' });
    expect(JSON.stringify(page)).not.toContain(CALLER);
    expect(JSON.stringify(page)).not.toContain(LOG_TEXT);
    const { outcomes } = await holder.pushed([
      envelope(holder, 1, 'quinn', 'share.create', { shareId: randomUUID(), incidentId: incident.id, sharedWith: 'DMO', tier: 'assist', reason: 'Passing it on' }),
      envelope(holder, 2, 'quinn', 'share.revoke', { shareId: share.id, reason: 'Not ours to hold' }),
      envelope(holder, 3, 'quinn', 'incident.addLog', { incidentId: incident.id, entryId: randomUUID(), text: 'Written by the view holder' }),
    ]);
    expect(outcomes).toEqual([
      // Neither passed on nor revoked by the holder: in the owner's words, as the README gives them.
      expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: expect.stringContaining('only DMO, the force that owns the incident, may share it or revoke a share of it; NBR holds it through a share, and a share is never passed on') }),
      expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: expect.stringContaining('a share is never passed on') }),
      expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: expect.stringContaining('DMO has shared the incident with NBR to view only: NBR may not write to it') }),
    ]);

    // A workstation of schema 6 cannot be told to delete: it is given its own force's records only.
    const old = await pullFromStart(holder, 6);
    expect(old.changes.some((c) => (c.doc as { force?: string } | null)?.force === 'DMO')).toBe(false);
  });
});

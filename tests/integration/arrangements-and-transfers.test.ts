import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';
import type { ArrangementView, IncidentView, TransferView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { call, eventually } from '../fakes/fixtures';
import type { RunningProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { twoForceServerStorages } from '../fakes/two-force-servers';
import { startTestCore } from '../fakes/workstations-on-server';

// Standing arrangements and transfers of ownership between the two demonstration forces on one real central
// server, on each storage, from real console cores: an approved arrangement shares a new incident of its type with
// the other force's workstations and an unapproved one does not; an accepted offer makes an incident the other
// force's, its whole record on their workstations, while the old owner keeps a view of it.
const neighbour = loadForceConfig(demonstrationForces()[1]!.configFile);
const CALLER = '07700 900611';
const FIRST_LOG = 'Caller saw two men climb into the yard';

const storages = twoForceServerStorages();

describe.each(storages)('arrangements and transfers between forces on $name', ({ start }) => {
  let dir: ReturnType<typeof makeTempDir>;
  let server: RunningProcess & { url: string };
  const cores: ConsoleCore[] = [];
  beforeEach(async () => {
    dir = makeTempDir();
    server = await start(dir.path);
  }, 60_000);
  afterEach(async () => {
    for (const c of cores.splice(0)) c.stop();
    await server.stop();
    dir.remove();
  });

  const signedIn = async (name: string, force: 'DMO' | 'NBR', operator: string): Promise<ConsoleCore> => {
    const c = startTestCore(join(dir.path, name), name, server.url, force === 'NBR' ? { config: neighbour } : {});
    cores.push(c);
    await call(c, 'session.signIn', { operator, password: 'demo' });
    return c;
  };

  const create = async (dmo: ConsoleCore, type: string, grade = '2'): Promise<IncidentView> => {
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', { type, location: unverifiedLocation('12 Quarry Lane'), grade, firstLog: FIRST_LOG, callerNumber: CALLER });
    await eventually(() => dmo.store.view.incident(incident.id)?.reference != null, 'the server has given the incident its reference');
    return dmo.store.view.incident(incident.id)!;
  };

  const confirmed = (c: ConsoleCore, id: string, status: string) => () => c.store.view.arrangements().some((a) => a.id === id && a.status === status && !a.pending);

  it('shares a new incident of an approved arrangement’s type with the other force, and none of a type whose arrangement waits for approval', async () => {
    const dmoAdmin = await signedIn('WS-DMO-ADM', 'DMO', 'admin');
    const nbrAdmin = await signedIn('WS-NBR-ADM', 'NBR', 'nbadmin');
    const dmo = await signedIn('WS-DMO', 'DMO', 'dan');
    const nbr = await signedIn('WS-NBR', 'NBR', 'quinn');

    const { arrangement: asb } = await call<{ arrangement: ArrangementView }>(dmoAdmin, 'arrangements.propose', { incidentType: 'ASB', sharedWith: 'NBR', tier: 'view', reason: 'Town centre disorder is policed jointly' });
    const { arrangement: theft } = await call<{ arrangement: ArrangementView }>(dmoAdmin, 'arrangements.propose', { incidentType: 'THEFT', sharedWith: 'NBR', tier: 'view', reason: 'Shop theft spree' });
    // Both forces' administrators hold the proposals; the proposing force's approval is its proposal.
    await eventually(confirmed(nbrAdmin, theft.id, 'proposed'), 'NBR’s administrator has the proposals');
    expect(nbrAdmin.store.view.view('arrangement', asb.id)).toMatchObject({ force: 'DMO', status: 'proposed', ownerApproval: { by: 'admin' }, partnerApproval: null });
    // NBR's dispatcher's workstation holds them too: arrangements are the force's to see, whoever is signed in.
    await eventually(() => nbr.store.view.arrangements().length === 2, 'NBR’s dispatcher’s workstation has the proposals');
    await call(nbrAdmin, 'arrangements.approve', { arrangementId: asb.id, arrangementVersion: asb.version });
    await eventually(confirmed(dmo, asb.id, 'active'), 'DMO’s desk has the approval');

    const unapproved = await create(dmo, 'THEFT');
    const approved = await create(dmo, 'ASB');
    await eventually(() => nbr.store.view.incident(approved.id) !== undefined, 'NBR has the incident the arrangement shares');
    expect(nbr.store.view.incident(approved.id)).toMatchObject({ force: 'DMO', callerNumber: '', description: '', sharedView: { tier: 'view', commonPriority: 2 } });
    expect(nbr.store.view.sharesOf(approved.id)).toEqual([expect.objectContaining({ how: 'arrangement', sharedWith: 'NBR', revoked: null })]);
    // The THEFT incident came before the ASB one in the server's order: NBR's workstation has passed it, unshared.
    expect(nbr.store.view.incident(unapproved.id)).toBeUndefined();
    expect(nbr.store.view.logOf(approved.id)).toEqual([]);
  });

  it('moves an offered incident to the other force when it accepts: its whole record there, in its queue, and the old owner keeps a view', async () => {
    const dmo = await signedIn('WS-DMO', 'DMO', 'dan');
    const nbr = await signedIn('WS-NBR', 'NBR', 'quinn');
    const incident = await create(dmo, 'BURGLARY', '1');

    const { transfer } = await call<{ transfer: TransferView }>(dmo, 'transfers.offer', { incidentId: incident.id, incidentVersion: incident.version, to: 'NBR', reason: 'The yard is on the Northbridge side' });
    await eventually(() => nbr.store.view.transfers().some((t) => t.id === transfer.id), 'NBR’s desk has the offer');
    // Until accepted, nothing of the incident but the offer's summary.
    expect(nbr.store.view.view('transfer', transfer.id)).toMatchObject({ status: 'offered', incident: { type: 'Burglary', commonPriority: 1 } });
    expect(nbr.store.view.incident(incident.id)).toBeUndefined();

    const offered = nbr.store.view.view('transfer', transfer.id)!;
    await call(nbr, 'transfers.accept', { transferId: transfer.id, transferVersion: offered.version });
    await eventually(() => nbr.store.view.incident(incident.id)?.force === 'NBR' && !nbr.store.view.incident(incident.id)!.pending, 'the incident is NBR’s on its workstation');
    const theirs = nbr.store.view.incident(incident.id)!;
    expect(theirs).toMatchObject({ force: 'NBR', grade: '1', callerNumber: CALLER, owner: null, queue: { force: 'NBR' } });
    // NBR's own type of the same common code as DMO's Burglary: its Burglary of a dwelling, not the first property type.
    expect(theirs.type).toBe('HOUSEBREAK');
    // Who created it, where, and what it opened as stay DMO's dan's; the transfer is its own line in the log.
    expect(theirs).toMatchObject({ createdBy: 'dan', createdAtWorkstation: 'WS-DMO', openingType: 'BURGLARY', origin: { force: 'DMO', openingTypeName: 'Burglary', openingCommonCode: 'burglary-dwelling' } });
    expect(theirs.sharedView).toBeUndefined();
    await eventually(() => nbr.store.view.logOf(incident.id).some((e) => e.text === FIRST_LOG), 'NBR has the incident’s log from before');
    expect(nbr.store.view.logOf(incident.id).map((e) => e.text)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Ownership transferred from DMO to NBR.*; type Burglary of a dwelling \(HOUSEBREAK\), NBR's equivalent of DMO's Burglary \(BURGLARY, common code burglary-dwelling\);/)]),
    );
    // Listed in NBR's queue as its own.
    const listed = await call<{ incidents: IncidentView[] }>(nbr, 'incidents.list', { status: 'open' });
    expect(listed.incidents.find((i) => i.id === incident.id)).toMatchObject({ force: 'NBR' });

    // A Northbridge workstation started afterwards pulls it whole too, its history included.
    const later = await signedIn('WS-NBR-2', 'NBR', 'omar');
    await eventually(() => later.store.view.logOf(incident.id).some((e) => e.text === FIRST_LOG), 'a later NBR workstation has the incident’s log from before');
    expect(later.store.view.incident(incident.id)).toMatchObject({ force: 'NBR', callerNumber: CALLER });

    // DMO keeps a view of it, as another force's incident.
    await eventually(() => dmo.store.view.incident(incident.id)?.force === 'NBR', 'DMO holds the incident as NBR’s');
    // Its creator is still DMO's own dan at WS-DMO, with the provisional reference DMO's workstation gave it; nothing of NBR's people.
    expect(dmo.store.view.incident(incident.id)).toMatchObject({
      force: 'NBR',
      callerNumber: '',
      sharedView: { tier: 'view', commonPriority: 1 },
      createdBy: 'dan',
      createdAtWorkstation: 'WS-DMO',
      provisionalReference: incident.provisionalReference,
      owner: null,
    });
    expect(dmo.store.view.sharesOf(incident.id)).toEqual(expect.arrayContaining([expect.objectContaining({ force: 'NBR', sharedWith: 'DMO', tier: 'view', revoked: null })]));
    await eventually(() => dmo.store.view.view('transfer', transfer.id)?.status === 'accepted', 'DMO sees its offer accepted');
  });

  // Issue 12 M8: the old owner's shares end with the transfer. Ended, a share with the new owner must take nothing
  // from the new owner's workstations, which hold the incident whole as its own; and on the way home the new owner's
  // view is the one the transfer keeps, not the old assist share come back to life.
  it('keeps the incident whole on the new owner’s workstation when the old owner’s share with it ends, and gives NBR a view only on the way home', async () => {
    const dmo = await signedIn('WS-DMO', 'DMO', 'dan');
    const nbr = await signedIn('WS-NBR', 'NBR', 'quinn');
    const incident = await create(dmo, 'SUSPICIOUS', '2');
    await call(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'assist', reason: 'Seen near the border' });
    await eventually(() => nbr.store.view.incident(incident.id)?.sharedView?.tier === 'assist', 'NBR holds it at assist');
    const current = dmo.store.view.incident(incident.id)!;
    const { transfer } = await call<{ transfer: TransferView }>(dmo, 'transfers.offer', { incidentId: incident.id, incidentVersion: current.version, to: 'NBR', reason: 'Their side of the border' });
    await eventually(() => nbr.store.view.transfers().some((t) => t.id === transfer.id), 'NBR’s desk has the offer');
    await call(nbr, 'transfers.accept', { transferId: transfer.id, transferVersion: nbr.store.view.view('transfer', transfer.id)!.version });
    await eventually(() => nbr.store.view.incident(incident.id)?.force === 'NBR' && !nbr.store.view.incident(incident.id)!.pending, 'the incident is NBR’s');
    await eventually(() => nbr.store.view.sharesOf(incident.id).some((share) => share.force === 'DMO' && share.revoked !== null), 'NBR has DMO’s share ended');
    expect(nbr.store.view.incident(incident.id)).toMatchObject({ force: 'NBR', callerNumber: CALLER });
    expect(nbr.store.view.logOf(incident.id).map((e) => e.text)).toContain(FIRST_LOG);

    // Home again: DMO's again, of the type it left as; NBR holds it to view only (the log goes from its workstation).
    const theirs = nbr.store.view.incident(incident.id)!;
    const { transfer: back } = await call<{ transfer: TransferView }>(nbr, 'transfers.offer', { incidentId: incident.id, incidentVersion: theirs.version, to: 'DMO', reason: 'Back to DMO' });
    await eventually(() => dmo.store.view.transfers().some((t) => t.id === back.id && t.status === 'offered'), 'DMO’s desk has the offer back');
    await call(dmo, 'transfers.accept', { transferId: back.id, transferVersion: dmo.store.view.view('transfer', back.id)!.version });
    await eventually(() => dmo.store.view.incident(incident.id)?.force === 'DMO' && !dmo.store.view.incident(incident.id)!.pending, 'the incident is DMO’s again');
    expect(dmo.store.view.incident(incident.id)).toMatchObject({ type: 'SUSPICIOUS', callerNumber: CALLER });
    await eventually(() => nbr.store.view.incident(incident.id)?.force === 'DMO', 'NBR holds it as DMO’s');
    await eventually(() => nbr.store.view.incident(incident.id)?.sharedView?.tier === 'view', 'NBR holds it to view');
    expect(nbr.store.view.incident(incident.id)).toMatchObject({ callerNumber: '' });
    // DMO's log, which NBR held whole while the incident was its own, goes from NBR's workstation; its own lines stay its own.
    await eventually(() => nbr.store.view.logOf(incident.id).every((entry) => entry.force === 'NBR'), 'NBR’s workstation keeps none of DMO’s log');
    expect(nbr.store.view.logOf(incident.id).map((entry) => entry.text)).not.toContain(FIRST_LOG);
  });
});

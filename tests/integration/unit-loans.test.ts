import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';
import type { AssignmentView, ConflictView, IncidentView, LoanView, RefusalView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { TcpProxy } from '../faults/chaos/tcp-proxy';
import { HttpWorkstation } from '../fakes/http-workstation';
import { SCHEMA_VERSION } from '../../shared/sync/protocol';
import { call, eventually, refusalOf } from '../fakes/fixtures';
import type { RunningProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { twoForceServerStorages } from '../fakes/two-force-servers';
import { startTestCore } from '../fakes/workstations-on-server';
import { SimulatedTerminal } from '../../main/adapters/terminal/simulated-terminal';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { systemClock } from '../../shared/domain/time';
import type { ConsoleCoreOptions } from '../../main/core/console-core';

// One force borrowing the other's unit for an incident, with the real server on each storage: DMO asks, NBR answers,
// DMO deploys the lent unit, both see its statuses, and it goes home; a second answer or an offline deployment of the
// same unit by its own force loses visibly, never a double assignment.
const neighbour = loadForceConfig(demonstrationForces()[1]!.configFile);
const CALLER = '07700 900462';
const LOG_TEXT = 'Two men fighting outside the Crossways Arms, one with a bottle';

const storages = twoForceServerStorages();

describe.each(storages)('unit loans between two forces on $name', ({ start }) => {
  let dir: ReturnType<typeof makeTempDir>;
  let server: RunningProcess & { url: string; port: number };
  const cores: ConsoleCore[] = [];
  const links: TcpProxy[] = [];
  beforeEach(async () => {
    dir = makeTempDir();
    server = await start(dir.path);
  }, 60_000);
  afterEach(async () => {
    for (const c of cores.splice(0)) c.stop();
    for (const link of links.splice(0)) await link.close();
    await server.stop();
    dir.remove();
  });

  /** A workstation of DMO or NBR, signed in as `operator`; through a link the test can cut, if asked. */
  const workstation = async (name: string, force: 'DMO' | 'NBR', operator: string, cuttable = false, options: Partial<ConsoleCoreOptions> = {}): Promise<{ c: ConsoleCore; link: TcpProxy | null }> => {
    const link = cuttable ? await TcpProxy.start(() => server.port) : null;
    if (link) links.push(link);
    const c = startTestCore(join(dir.path, name), name, link ? link.url : server.url, { ...(force === 'NBR' ? { config: neighbour } : {}), ...options });
    cores.push(c);
    await call(c, 'session.signIn', { operator, password: 'demo' });
    return { c, link };
  };

  const loanOn = (c: ConsoleCore, id: string) => c.store.view.view('loan', id);
  const unitOn = (c: ConsoleCore, id: string) => c.store.view.view('unit', id);

  /** DMO's incident at the border, with a caller and a log line NBR must never hold. */
  const dmoIncident = async (dmo: ConsoleCore): Promise<IncidentView> => {
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', { type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: LOG_TEXT, callerNumber: CALLER });
    await eventually(() => dmo.store.view.incident(incident.id)?.reference != null, 'the server has given the incident its reference', 15_000);
    return dmo.store.view.incident(incident.id)!;
  };

  /** NBR books a unit on (until two hours from now, whatever its shift), and waits for the server to have it. */
  const bookOn = async (nbr: ConsoleCore, unitId: string): Promise<void> => {
    await call(nbr, 'units.setDuty', { unitId, duty: 'on_duty', unitVersion: unitOn(nbr, unitId)!.version, until: new Date(Date.now() + 2 * 3600_000).toISOString() });
    await eventually(() => unitOn(nbr, unitId)?.duty === 'on_duty' && !unitOn(nbr, unitId)!.pending, `${unitId} is on duty on the server`, 15_000);
  };

  const ask = async (dmo: ConsoleCore, incidentId: string, reason = 'No DMO car free within 20 minutes'): Promise<LoanView> =>
    (await call<{ loan: LoanView }>(dmo, 'loans.request', { incidentId, lender: 'NBR', ask: { type: 'a response car' }, reason })).loan;

  const fileBytes = (name: string): string => {
    const file = join(dir.path, name, 'workstation.sqlite');
    return [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('');
  };

  it('lends a unit that DMO deploys and both forces follow, then takes it off DMO’s workstations when it is returned', async () => {
    const { c: dmo } = await workstation('WS-DMO', 'DMO', 'bob');
    const { c: nbr } = await workstation('WS-NBR', 'NBR', 'omar');
    await eventually(() => unitOn(nbr, 'NB-101') !== undefined, 'NBR has its units', 15_000);
    await bookOn(nbr, 'NB-101');
    const incident = await dmoIncident(dmo);
    // DMO has pulled past NB-101's last change before the loan: the loan must bring the unit to it anyway.
    expect(unitOn(dmo, 'NB-101')).toBeUndefined();

    const asked = await ask(dmo, incident.id);
    await eventually(() => loanOn(nbr, asked.id)?.status === 'requested', 'NBR sees the request', 15_000);
    expect(loanOn(nbr, asked.id)).toMatchObject({ force: 'DMO', incident: { reference: incident.reference, type: 'Assault', commonPriority: 1, location: 'Crossways Road' }, reason: 'No DMO car free within 20 minutes' });

    await call(nbr, 'loans.accept', { loanId: asked.id, loanVersion: loanOn(nbr, asked.id)!.version, unitId: 'NB-101', unitVersion: unitOn(nbr, 'NB-101')!.version });
    await eventually(() => loanOn(dmo, asked.id)?.status === 'accepted' && unitOn(dmo, 'NB-101')?.loan?.to === 'DMO', 'DMO sees the answer and holds the lent unit', 15_000);
    expect(loanOn(dmo, asked.id)).toMatchObject({ callSign: 'NB-101', answeredBy: 'omar' });

    // DMO deploys it on the incident: its attendance clock, its log; NBR sees its unit's deployment and statuses.
    const { assignment } = await call<{ assignment: { id: string } }>(dmo, 'units.assign', { unitId: 'NB-101', incidentId: incident.id, unitVersion: unitOn(dmo, 'NB-101')!.version });
    await eventually(() => nbr.store.view.view('assignment', assignment.id)?.status === 'assigned', 'NBR sees its unit deployed', 15_000);
    expect(nbr.store.view.view('assignment', assignment.id)).toMatchObject({ force: 'DMO', unitForce: 'NBR', incidentId: incident.id, delivery: { state: 'sent' } });
    await eventually(() => unitOn(nbr, 'NB-101')?.commitment?.incidentId === incident.id, 'NBR sees its unit committed');
    await call(dmo, 'assignments.setStatus', { assignmentId: assignment.id, status: 'at_scene', assignmentVersion: dmo.store.view.view('assignment', assignment.id)!.version });
    await eventually(() => nbr.store.view.view('assignment', assignment.id)?.status === 'at_scene', 'NBR sees its unit at scene', 15_000);
    await eventually(() => dmo.store.view.incident(incident.id)?.attendedAt != null && !dmo.store.view.incident(incident.id)!.pending, 'DMO’s attendance clock stopped on the lent unit');
    expect(dmo.store.view.incident(incident.id)!.activeUnits).toEqual(['NB-101']);

    // NBR never holds DMO's incident, its caller or its log: only the request's summary.
    expect(nbr.store.view.incident(incident.id)).toBeUndefined();
    const theirs = fileBytes('WS-NBR');
    for (const trace of [CALLER, LOG_TEXT]) expect(theirs).not.toContain(trace);

    // The incident done with it: cleared, and returned; DMO's workstation no longer holds NBR's unit, NBR has it free.
    await call(dmo, 'assignments.setStatus', { assignmentId: assignment.id, status: 'cleared', assignmentVersion: dmo.store.view.view('assignment', assignment.id)!.version });
    await eventually(() => unitOn(dmo, 'NB-101')?.commitment === null && !unitOn(dmo, 'NB-101')!.pending, 'the server has the unit cleared', 15_000);
    await call(dmo, 'loans.return', { loanId: asked.id });
    await eventually(() => unitOn(dmo, 'NB-101') === undefined && loanOn(dmo, asked.id)?.status === 'returned' && !loanOn(dmo, asked.id)!.pending, 'DMO no longer holds NB-101', 15_000);
    expect(dmo.store.server.get({ kind: 'unit', id: 'NB-101' })).toBeUndefined();
    await eventually(() => loanOn(nbr, asked.id)?.status === 'returned' && unitOn(nbr, 'NB-101')?.loan === null, 'NBR has its unit back', 15_000);
  }, 120_000);

  it('takes a returned unit off a DMO workstation that was away when it was returned, though the unit changed again since', async () => {
    const { c: dmo } = await workstation('WS-DMO', 'DMO', 'bob');
    const { c: away, link } = await workstation('WS-DMO2', 'DMO', 'alice', true);
    const { c: nbr } = await workstation('WS-NBR', 'NBR', 'omar');
    await eventually(() => unitOn(nbr, 'NB-101') !== undefined, 'NBR has its units', 15_000);
    await bookOn(nbr, 'NB-101');
    const incident = await dmoIncident(dmo);
    const asked = await ask(dmo, incident.id);
    await eventually(() => loanOn(nbr, asked.id)?.status === 'requested', 'NBR sees the request', 15_000);
    await call(nbr, 'loans.accept', { loanId: asked.id, loanVersion: loanOn(nbr, asked.id)!.version, unitId: 'NB-101', unitVersion: unitOn(nbr, 'NB-101')!.version });
    await eventually(() => unitOn(away, 'NB-101')?.loan?.to === 'DMO', 'the second DMO desk holds the lent unit', 15_000);
    // The desk that returns it must have seen it lent first, or its return is refused ("this loan has no unit lent").
    await eventually(() => loanOn(dmo, asked.id)?.status === 'accepted', 'the first DMO desk sees the unit lent', 15_000);

    // The second desk loses the network; the unit is returned, and NBR books it off after: its last change is NBR's.
    link!.cutAll();
    await call(dmo, 'loans.return', { loanId: asked.id });
    await eventually(() => unitOn(dmo, 'NB-101') === undefined, 'the first DMO desk no longer holds NB-101', 15_000);
    await eventually(() => unitOn(nbr, 'NB-101')?.loan === null && !unitOn(nbr, 'NB-101')!.pending, 'NBR has its unit back', 15_000);
    await call(nbr, 'units.setDuty', { unitId: 'NB-101', duty: 'off_duty', unitVersion: unitOn(nbr, 'NB-101')!.version });
    await eventually(() => unitOn(nbr, 'NB-101')?.duty === 'off_duty' && !unitOn(nbr, 'NB-101')!.pending, 'NBR has booked NB-101 off on the server', 15_000);

    link!.heal();
    away.sync.kick();
    await eventually(() => loanOn(away, asked.id)?.status === 'returned', 'the second desk has caught up with the return', 20_000);
    await eventually(() => unitOn(away, 'NB-101') === undefined, 'the second desk no longer holds NBR’s unit', 15_000);
    expect(away.store.server.get({ kind: 'unit', id: 'NB-101' })).toBeUndefined();
  }, 120_000);

  it('declines a request with a reason that DMO reads, and a second answer to one request loses visibly', async () => {
    const { c: dmo } = await workstation('WS-DMO', 'DMO', 'bob');
    const { c: omar } = await workstation('WS-NBR1', 'NBR', 'omar');
    const { c: priya, link } = await workstation('WS-NBR2', 'NBR', 'priya', true);
    await eventually(() => unitOn(omar, 'NB-102') !== undefined, 'omar’s desk has the units', 15_000);
    await bookOn(omar, 'NB-102');
    const incident = await dmoIncident(dmo);
    const asked = await ask(dmo, incident.id);
    await eventually(() => loanOn(omar, asked.id) !== undefined && loanOn(priya, asked.id) !== undefined, 'both NBR desks see the request', 15_000);
    await eventually(() => unitOn(priya, 'NB-102')?.duty === 'on_duty', 'priya’s desk has NB-102 on duty', 15_000);

    // priya, cut off, accepts; omar, online, declines first.
    link!.cutAll();
    await call(priya, 'loans.accept', { loanId: asked.id, loanVersion: 1, unitId: 'NB-102', unitVersion: unitOn(priya, 'NB-102')!.version });
    await call(omar, 'loans.decline', { loanId: asked.id, loanVersion: 1, reason: 'Every Northbridge car is committed' });
    await eventually(() => loanOn(dmo, asked.id)?.status === 'declined', 'DMO sees the answer', 15_000);
    expect(loanOn(dmo, asked.id)).toMatchObject({ declineReason: 'Every Northbridge car is committed', answeredBy: 'omar' });

    link!.heal();
    priya.sync.kick();
    const open = () => priya.dispatch('conflicts.list', {}).then((r) => (r.ok ? (r.value as { conflicts: ConflictView[] }).conflicts.filter((x) => x.status === 'open') : []));
    await eventually(async () => (await open()).length === 1, 'priya’s acceptance is in her conflict inbox', 20_000);
    expect((await open())[0]).toMatchObject({ commandName: 'loan.accept', reason: 'the request was already declined by omar: Every Northbridge car is committed' });
    await eventually(() => loanOn(priya, asked.id)?.status === 'declined' && !unitOn(priya, 'NB-102')?.loan, 'priya’s desk shows the server’s answer, NB-102 not lent');
  }, 120_000);

  it('NBR takes back its unit while it is at scene on DMO’s incident: the deployment is stood down with NBR’s reason in DMO’s log, the unit leaves DMO and is NBR’s again, free', async () => {
    const { c: dmo } = await workstation('WS-DMO', 'DMO', 'bob');
    const { c: nbr } = await workstation('WS-NBR', 'NBR', 'omar');
    await eventually(() => unitOn(nbr, 'NB-101') !== undefined, 'NBR has its units', 15_000);
    await bookOn(nbr, 'NB-101');
    const incident = await dmoIncident(dmo);
    const asked = await ask(dmo, incident.id);
    await eventually(() => loanOn(nbr, asked.id)?.status === 'requested', 'NBR sees the request', 15_000);
    await call(nbr, 'loans.accept', { loanId: asked.id, loanVersion: loanOn(nbr, asked.id)!.version, unitId: 'NB-101', unitVersion: unitOn(nbr, 'NB-101')!.version });
    await eventually(() => unitOn(dmo, 'NB-101')?.loan?.to === 'DMO', 'DMO holds the lent unit', 15_000);
    const { assignment } = await call<{ assignment: AssignmentView }>(dmo, 'units.assign', { unitId: 'NB-101', incidentId: incident.id, unitVersion: unitOn(dmo, 'NB-101')!.version });
    await call(dmo, 'assignments.setStatus', { assignmentId: assignment.id, status: 'at_scene', assignmentVersion: assignment.version });
    // Both on the server before NBR acts: a status DMO sent after the take-back would lose to it, as a conflict.
    await eventually(() => dmo.store.view.view('assignment', assignment.id)?.status === 'at_scene' && dmo.store.view.view('assignment', assignment.id)?.pending === false && dmo.store.view.incident(incident.id)?.pending === false, 'DMO’s unit is at scene on the server', 15_000);
    await eventually(() => unitOn(nbr, 'NB-101')?.commitment?.incidentId === incident.id && loanOn(nbr, asked.id)?.pending === false, 'NBR sees its unit committed to DMO’s incident', 15_000);
    const attendedAt = dmo.store.view.incident(incident.id)!.attendedAt;
    expect(attendedAt).not.toBeNull();

    await call(nbr, 'loans.takeBack', { loanId: asked.id, loanVersion: loanOn(nbr, asked.id)!.version, unitVersion: unitOn(nbr, 'NB-101')!.version, reason: 'Needed for a firearms job in Northbridge' });
    await eventually(() => unitOn(dmo, 'NB-101') === undefined && loanOn(dmo, asked.id)?.status === 'returned', 'DMO has lost the unit and holds the loan taken back', 15_000);
    expect(loanOn(dmo, asked.id)).toMatchObject({ endedByForce: 'NBR', takenBack: { reason: 'Needed for a firearms job in Northbridge', by: 'omar', deployed: true } });
    await eventually(() => dmo.store.view.view('assignment', assignment.id)?.status === 'cleared', 'DMO’s deployment of NB-101 is cleared', 15_000);
    // The attendance clock keeps the time the unit arrived; the incident no longer counts the unit, so it can be closed.
    expect(dmo.store.view.incident(incident.id)).toMatchObject({ activeUnits: [], attendedAt });
    expect(dmo.store.view.logOf(incident.id).map((e) => e.text)).toContain('NB-101 taken back by NBR (omar): Needed for a firearms job in Northbridge. Its deployment here is ended; it no longer attends');
    await eventually(() => unitOn(nbr, 'NB-101')?.pending === false, 'NBR’s desk has the server’s unit');
    expect(unitOn(nbr, 'NB-101')).toMatchObject({ loan: null, commitment: null, duty: 'on_duty' });
    // NBR never received DMO's incident or its log through the take-back.
    expect(nbr.store.view.incident(incident.id)).toBeUndefined();
    expect(fileBytes('WS-NBR')).not.toContain(LOG_TEXT);
  }, 120_000);

  it('refuses, on the server, DMO extending or relieving the shift of a unit NBR lent it, with the reason; NBR’s shift end stands', async () => {
    const { c: dmo } = await workstation('WS-DMO', 'DMO', 'bob');
    const { c: nbr } = await workstation('WS-NBR', 'NBR', 'omar');
    await eventually(() => unitOn(nbr, 'NB-101') !== undefined, 'NBR has its units', 15_000);
    await bookOn(nbr, 'NB-101');
    const incident = await dmoIncident(dmo);
    const asked = await ask(dmo, incident.id);
    await eventually(() => loanOn(nbr, asked.id)?.status === 'requested', 'NBR sees the request', 15_000);
    await call(nbr, 'loans.accept', { loanId: asked.id, loanVersion: loanOn(nbr, asked.id)!.version, unitId: 'NB-101', unitVersion: unitOn(nbr, 'NB-101')!.version });
    await eventually(() => unitOn(dmo, 'NB-101')?.loan?.to === 'DMO', 'DMO holds the lent unit', 15_000);
    const lent = unitOn(dmo, 'NB-101')!;
    const endsAt = lent.tour!.endsAt;

    // Pushed straight to the server, as a workstation whose own rules did not stop it would.
    const desk = await (await HttpWorkstation.enrol(server.url, randomUUID(), undefined, 'DMO')).signIn('bob');
    const command = (clientSeq: number, name: string, args: unknown) => ({
      commandId: randomUUID(),
      clientId: desk.clientId,
      clientSeq,
      name,
      args,
      issuedAt: new Date().toISOString(),
      operator: 'bob',
      ticket: '',
      workstation: 'WS-HTTP',
      schemaVersion: SCHEMA_VERSION,
    });
    const later = new Date(Date.now() + 6 * 3600_000).toISOString();
    const { outcomes } = await desk.pushed([
      command(1, 'unit.answerShiftEnd', { unitId: 'NB-101', unitVersion: lent.version, extendUntil: later, incidentId: null }),
      command(2, 'unit.answerShiftEnd', { unitId: 'NB-101', unitVersion: lent.version, extendUntil: null, incidentId: null }),
      command(3, 'unit.setDuty', { unitId: 'NB-101', duty: 'off_duty', unitVersion: lent.version, until: null, via: 'dispatcher' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(outcomes[0]).toMatchObject({ code: 'forbidden', reason: "NB-101 is NBR's unit: only NBR extends its shift or relieves it" });
    expect(outcomes[2]).toMatchObject({ code: 'forbidden', reason: "NB-101 is NBR's unit: only NBR books it on or off" });
    // Through DMO's own console core, refused before it is sent, with the same reason.
    const refused = await dmo.dispatch('units.answerShiftEnd', { unitId: 'NB-101', unitVersion: lent.version, extendUntil: later });
    expect(refused.ok ? null : refused.error.message).toMatch(/only NBR extends its shift or relieves it/);
    // NBR's own dispatcher may, and the unit's shift ends when NBR says.
    await call(nbr, 'units.answerShiftEnd', { unitId: 'NB-101', unitVersion: unitOn(nbr, 'NB-101')!.version, extendUntil: later });
    await eventually(() => unitOn(dmo, 'NB-101')?.tour?.endsAt === later, 'DMO sees the shift NBR extended', 15_000);
    expect(endsAt).not.toBe(later);
  }, 120_000);

  it('a unit lent while its own force deployed it offline: the deployment is a conflict in the inbox, never a second commitment', async () => {
    const { c: dmo } = await workstation('WS-DMO', 'DMO', 'bob');
    const { c: omar, link } = await workstation('WS-NBR1', 'NBR', 'omar', true);
    const { c: priya } = await workstation('WS-NBR2', 'NBR', 'priya');
    await eventually(() => unitOn(omar, 'NB-101') !== undefined, 'omar’s desk has the units', 15_000);
    await bookOn(omar, 'NB-101');
    const { incident: own } = await call<{ incident: IncidentView }>(omar, 'incidents.create', { type: 'DISORDER', location: unverifiedLocation('Mill Lane'), grade: '1', firstLog: null });
    await eventually(() => omar.store.view.incident(own.id)?.pending === false, 'NBR’s incident is on the server', 15_000);
    const incident = await dmoIncident(dmo);
    const asked = await ask(dmo, incident.id, 'Need a car from the north side');
    await eventually(() => loanOn(priya, asked.id) !== undefined && unitOn(priya, 'NB-101')?.duty === 'on_duty', 'priya sees the request and NB-101 on duty', 15_000);

    // omar, offline, sends NB-101 to his own incident; priya, online, lends it to DMO.
    link!.cutAll();
    await call(omar, 'units.assign', { unitId: 'NB-101', incidentId: own.id, unitVersion: unitOn(omar, 'NB-101')!.version });
    await call(priya, 'loans.accept', { loanId: asked.id, loanVersion: 1, unitId: 'NB-101', unitVersion: unitOn(priya, 'NB-101')!.version });
    await eventually(() => unitOn(dmo, 'NB-101')?.loan?.to === 'DMO', 'DMO holds the lent unit', 15_000);

    link!.heal();
    omar.sync.kick();
    const open = () => omar.dispatch('conflicts.list', {}).then((r) => (r.ok ? (r.value as { conflicts: ConflictView[] }).conflicts.filter((x) => x.status === 'open') : []));
    await eventually(async () => (await open()).length === 1, 'omar’s deployment is in his conflict inbox', 20_000);
    expect((await open())[0]).toMatchObject({ commandName: 'unit.assign', reason: 'NB-101 changed since you looked: it is now lent to DMO' });
    await eventually(() => unitOn(omar, 'NB-101')?.pending === false && omar.store.view.incident(own.id)?.activeUnits.length === 0, 'omar’s desk shows the server’s unit');
    // The unit is committed nowhere: lent to DMO, free for DMO to deploy on its incident.
    expect(unitOn(omar, 'NB-101')).toMatchObject({ commitment: null, loan: { to: 'DMO', incidentId: incident.id } });
    await call(dmo, 'units.assign', { unitId: 'NB-101', incidentId: incident.id, unitVersion: unitOn(dmo, 'NB-101')!.version });
    await eventually(() => unitOn(priya, 'NB-101')?.commitment?.incidentId === incident.id, 'NBR sees NB-101 committed to DMO’s incident only', 15_000);
  }, 120_000);

  it('the crew’s answers to a deployment made offline that lost to a loan are one conflict with it, and the crew is told the deployment is withdrawn', async () => {
    const scheduler = new ManualScheduler();
    const terminal = new SimulatedTerminal({ clock: systemClock, scheduler, receivedAfterS: 1, acceptedAfterS: 3 });
    const { c: dmo } = await workstation('WS-DMO', 'DMO', 'bob');
    const { c: omar, link } = await workstation('WS-NBR1', 'NBR', 'omar', true, { terminal });
    const { c: priya } = await workstation('WS-NBR2', 'NBR', 'priya');
    await eventually(() => unitOn(omar, 'NB-101') !== undefined, 'omar’s desk has the units', 15_000);
    await bookOn(omar, 'NB-101');
    const { incident: own } = await call<{ incident: IncidentView }>(omar, 'incidents.create', { type: 'DISORDER', location: unverifiedLocation('Mill Lane'), grade: '1', firstLog: null });
    await eventually(() => omar.store.view.incident(own.id)?.pending === false, 'NBR’s incident is on the server', 15_000);
    const incident = await dmoIncident(dmo);
    const asked = await ask(dmo, incident.id, 'Need a car from the north side');
    await eventually(() => loanOn(priya, asked.id) !== undefined && unitOn(priya, 'NB-101')?.duty === 'on_duty', 'priya sees the request and NB-101 on duty', 15_000);

    // omar, offline, sends NB-101 to his own incident: its terminal gets the job, and the crew receives it, accepts it
    // and books en route, each relayed by omar's desk while it is offline; priya, online, lends NB-101 to DMO.
    link!.cutAll();
    const { assignment } = await call<{ assignment: AssignmentView }>(omar, 'units.assign', { unitId: 'NB-101', incidentId: own.id, unitVersion: unitOn(omar, 'NB-101')!.version });
    scheduler.advance(4000);
    await eventually(() => omar.store.outbox.pendingCount() === 4, 'the deployment and the crew’s three answers wait in omar’s outbox');
    await call(priya, 'loans.accept', { loanId: asked.id, loanVersion: 1, unitId: 'NB-101', unitVersion: unitOn(priya, 'NB-101')!.version });
    await eventually(() => unitOn(dmo, 'NB-101')?.loan?.to === 'DMO', 'DMO holds the lent unit', 15_000);

    link!.heal();
    omar.sync.kick();
    const open = () => omar.dispatch('conflicts.list', {}).then((r) => (r.ok ? (r.value as { conflicts: ConflictView[] }).conflicts.filter((x) => x.status === 'open') : []));
    await eventually(async () => (await open()).length === 1 && (await open())[0]!.followedBy?.length === 3, 'omar’s deployment and what followed from it are one conflict', 20_000);
    await eventually(() => omar.store.outbox.pendingCount() === 0 && omar.store.outbox.conflictsInTransit() === 0, 'nothing is left waiting in omar’s outbox');
    const [conflict] = await open();
    expect(conflict).toMatchObject({ commandName: 'unit.assign', reason: 'NB-101 changed since you looked: it is now lent to DMO' });
    expect(conflict!.followedBy!.map((f) => [f.commandName, (f.args as { receipt?: string; status?: string }).receipt ?? (f.args as { status?: string }).status, f.operator])).toEqual([
      ['assignment.receipt', 'received', 'terminal NB-101'],
      ['assignment.receipt', 'accepted', 'terminal NB-101'],
      ['assignment.setStatus', 'en_route', 'terminal NB-101'],
    ]);
    // The crew was told the deployment it had accepted is withdrawn: it was never committed.
    expect(terminal.withdrawal(assignment.id)).toContain('withdrawn');
    expect(omar.store.view.view('assignment', assignment.id)).toBeUndefined();
    expect(unitOn(omar, 'NB-101')).toMatchObject({ commitment: null, loan: { to: 'DMO' } });
  }, 120_000);

  // Issue 12, M3 (a try-out's finding): DMO's desk, offline, deployed NBR's lent unit and pressed its statuses; NBR
  // took the unit back meanwhile. On return the deployment was refused as "no unit NB-104" and each status press was
  // a conflict of its own. The refusal says the unit was taken back, by whom and when, and the presses are kept on it.
  it('refuses an offline deployment of a lent unit taken back meanwhile saying so, with the presses that followed it kept on that one refusal', async () => {
    const { c: dmo, link } = await workstation('WS-DMO', 'DMO', 'bob', true);
    const { c: nbr } = await workstation('WS-NBR', 'NBR', 'omar');
    await eventually(() => unitOn(nbr, 'NB-104') !== undefined, 'NBR has its units', 15_000);
    await bookOn(nbr, 'NB-104');
    const incident = await dmoIncident(dmo);
    const asked = (await call<{ loan: LoanView }>(dmo, 'loans.request', { incidentId: incident.id, lender: 'NBR', ask: { callSign: 'NB-104' }, reason: 'No DMO car free' })).loan;
    await eventually(() => loanOn(nbr, asked.id)?.status === 'requested', 'NBR sees the request', 15_000);
    await call(nbr, 'loans.accept', { loanId: asked.id, loanVersion: loanOn(nbr, asked.id)!.version, unitId: 'NB-104', unitVersion: unitOn(nbr, 'NB-104')!.version });
    await eventually(() => unitOn(dmo, 'NB-104')?.loan?.to === 'DMO' && loanOn(dmo, asked.id)?.status === 'accepted', 'DMO holds the lent unit', 15_000);
    await eventually(() => loanOn(nbr, asked.id)?.pending === false && unitOn(nbr, 'NB-104')?.pending === false, 'NBR’s desk has the loan as the server has it', 15_000);

    link!.cutAll();
    const { assignment } = await call<{ assignment: AssignmentView }>(dmo, 'units.assign', { unitId: 'NB-104', incidentId: incident.id, unitVersion: unitOn(dmo, 'NB-104')!.version });
    await call(dmo, 'assignments.setStatus', { assignmentId: assignment.id, status: 'en_route', assignmentVersion: dmo.store.view.view('assignment', assignment.id)!.version });
    await call(dmo, 'assignments.setStatus', { assignmentId: assignment.id, status: 'at_scene', assignmentVersion: dmo.store.view.view('assignment', assignment.id)!.version });
    await call(nbr, 'loans.takeBack', { loanId: asked.id, loanVersion: loanOn(nbr, asked.id)!.version, unitVersion: unitOn(nbr, 'NB-104')!.version, reason: 'Needed in Northbridge' });
    await eventually(() => unitOn(nbr, 'NB-104')?.loan === null && !unitOn(nbr, 'NB-104')!.pending, 'NBR has its unit back', 15_000);
    // And sends it to a job of its own: the unit has changed since it came home.
    const { incident: own } = await call<{ incident: IncidentView }>(nbr, 'incidents.create', { type: 'DISORDER', location: unverifiedLocation('Mill Lane'), grade: '1', firstLog: null });
    await call(nbr, 'units.assign', { unitId: 'NB-104', incidentId: own.id, unitVersion: unitOn(nbr, 'NB-104')!.version });
    await eventually(() => unitOn(nbr, 'NB-104')?.commitment?.incidentId === own.id && !unitOn(nbr, 'NB-104')!.pending, 'NB-104 is on NBR’s own job on the server', 15_000);

    link!.heal();
    dmo.sync.kick();
    const refusals = () => dmo.dispatch('refusals.list', {}).then((r) => (r.ok ? (r.value as { refusals: RefusalView[] }).refusals : []));
    const conflicts = () => dmo.dispatch('conflicts.list', {}).then((r) => (r.ok ? (r.value as { conflicts: ConflictView[] }).conflicts.filter((x) => x.status === 'open') : []));
    await eventually(() => dmo.store.outbox.pendingCount() === 0 && dmo.store.outbox.conflictsInTransit() === 0, 'nothing is left waiting in DMO’s outbox', 20_000);
    await eventually(async () => (await refusals()).some((r) => r.commandName === 'unit.assign' && !r.pending), 'DMO’s deployment is refused', 20_000);
    const [refused] = (await refusals()).filter((r) => r.commandName === 'unit.assign');
    expect(refused!.reason).toMatch(/^NB-104 was taken back by NBR at \d\d:\d\d (GMT|BST); it is no longer DMO's to move$/);
    expect(refused!.followedBy?.map((f) => [f.commandName, (f.args as { status?: string }).status])).toEqual([
      ['assignment.setStatus', 'en_route'],
      ['assignment.setStatus', 'at_scene'],
    ]);
    expect(await conflicts()).toEqual([]);
    expect((await refusals()).filter((r) => r.commandName !== 'unit.assign')).toEqual([]);
  }, 120_000);

  // Issue 12 (a try-out's finding): the workstation core did not hold its commands on another force's incident to the
  // assist tier's rules for what they write, so NBR's desk, holding DMO's incident at assist, could move its own unit
  // lent to DMO (DMO's to run), online for a moment and offline until it came back, before the server refused it.
  it('refuses at once, online and offline, in the server’s words, a command of the assisting force the server would refuse', async () => {
    const { c: dmo } = await workstation('WS-DMO', 'DMO', 'bob');
    const { c: nbr, link } = await workstation('WS-NBR', 'NBR', 'omar', true);
    await eventually(() => unitOn(nbr, 'NB-101') !== undefined, 'NBR has its units', 15_000);
    await bookOn(nbr, 'NB-101');
    const incident = await dmoIncident(dmo);
    await call(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'assist', reason: 'On the border' });
    const asked = (await call<{ loan: LoanView }>(dmo, 'loans.request', { incidentId: incident.id, lender: 'NBR', ask: { callSign: 'NB-101' }, reason: 'No DMO car free' })).loan;
    await eventually(() => loanOn(nbr, asked.id)?.status === 'requested', 'NBR sees the request', 15_000);
    await call(nbr, 'loans.accept', { loanId: asked.id, loanVersion: loanOn(nbr, asked.id)!.version, unitId: 'NB-101', unitVersion: unitOn(nbr, 'NB-101')!.version });
    await eventually(() => unitOn(dmo, 'NB-101')?.loan?.to === 'DMO', 'DMO holds the lent unit', 15_000);
    const { assignment } = await call<{ assignment: AssignmentView }>(dmo, 'units.assign', { unitId: 'NB-101', incidentId: incident.id, unitVersion: unitOn(dmo, 'NB-101')!.version });
    await eventually(() => nbr.store.view.view('assignment', assignment.id)?.status === 'assigned' && nbr.store.view.incident(incident.id) !== undefined, 'NBR sees its unit deployed on the incident it assists on', 15_000);

    const words = "NB-101 is lent to DMO, which runs it on DMO's incident until it is returned: NBR sees its deployment there, and may not change it";
    const move = () => refusalOf(nbr, 'assignments.setStatus', { assignmentId: assignment.id, status: 'at_scene', assignmentVersion: nbr.store.view.view('assignment', assignment.id)!.version });
    expect(await move()).toBe(words);
    link!.cutAll();
    expect(await move()).toBe(words);
    expect(nbr.store.outbox.pendingCount()).toBe(0);
    expect(nbr.store.view.view('assignment', assignment.id)!.status).toBe('assigned');
  }, 120_000);
});

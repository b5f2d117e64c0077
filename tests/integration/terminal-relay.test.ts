import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { shiftSpansAround } from '../../shared/dispatch/shifts';
import { describe, expect, it } from 'vitest';
import { SimulatedTerminal } from '../../main/adapters/terminal/simulated-terminal';
import { SimulatedTelephony } from '../../main/adapters/telephony/simulated-telephony';
import { realScheduler } from '../../node-common/scheduler';
import type { Contact } from '../../shared/domain/contact';
import type { ConsoleCore } from '../../main/core/console-core';
import type { AssignmentView, IncidentView, LogEntryView } from '../../shared/contract/views';
import { unconfirmed } from '../../shared/dispatch/receipts';
import type { Assignment } from '../../shared/domain/assignment';
import type { Incident, LogEntry } from '../../shared/domain/incident';
import { unverifiedLocation } from '../../shared/domain/location';
import { relayAuthor, type Relay } from '../../shared/domain/relay';
import { systemClock } from '../../shared/domain/time';
import { PROTOCOL_PATHS, SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { call, demoConfig, eventually } from '../fakes/fixtures';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { TEST_ENROLMENT_KEY } from '../fakes/processes';
import { workstationsOnServer } from '../fakes/workstations-on-server';

/**
 * A crew's messages from its vehicle terminal, relayed by the workstation that deployed it to a real server process:
 * recorded as the terminal's whoever is signed in there, refused by the server beyond the terminal allowlist or once
 * the workstation is revoked, and kept in order through an outage and a restart.
 */
const room = workstationsOnServer();
const DM11: Relay = { kind: 'terminal', unitId: 'DM-11' };

/** The server's database, read beside the running server as an auditor with a database client would. */
function serverDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(join(room.dir, 'central.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
function serverRecord<T>(kind: string, id: string): T | null {
  const row = serverDb((db) => db.prepare('SELECT doc FROM records WHERE kind = ? AND id = ?').get(kind, id) as { doc: string } | undefined);
  return row ? (JSON.parse(row.doc) as T) : null;
}
/** The incident's log on the server, in the order the server wrote it. */
function serverLog(incidentId: string): LogEntry[] {
  const rows = serverDb((db) => db.prepare("SELECT doc FROM records WHERE kind = 'logEntry' ORDER BY seq").all() as { doc: string }[]);
  return rows.map((row) => JSON.parse(row.doc) as LogEntry).filter((entry) => entry.incidentId === incidentId);
}
interface AuditRow {
  operator: string;
  workstation: string;
  command: string;
  commandId: string;
}
function auditOf(recordKind: string, recordId: string): AuditRow[] {
  return serverDb(
    (db) => db.prepare('SELECT operator, workstation, command, command_id AS commandId FROM audit_log WHERE record_kind = ? AND record_id = ? ORDER BY seq').all(recordKind, recordId) as AuditRow[],
  );
}

/** A workstation whose deployments go to simulated terminals; the test says when the crews answer. */
function withTerminal(workstation: string, serverUrl?: string) {
  const scheduler = new ManualScheduler();
  const terminal = new SimulatedTerminal({ clock: systemClock, scheduler, receivedAfterS: 1, acceptedAfterS: 3 });
  const c = room.core(workstation, { terminal, ...(serverUrl ? { serverUrl } : {}) });
  /** The crew's terminal receives the deployment, accepts it and books en route. */
  const crewAnswers = () => scheduler.advance(4000);
  return { c, terminal, crewAnswers };
}

/** bob, the dispatcher, books DM-11 on and deploys it to a new grade 1 incident from this workstation. */
async function deployDM11(c: ConsoleCore): Promise<{ incident: IncidentView; assignment: AssignmentView }> {
  await call(c, 'session.signIn', { operator: 'bob', password: 'demo' });
  await eventually(() => c.store.view.get('unit', 'DM-11') !== undefined, 'the units have come from the server');
  const until = new Date(Date.now() + 2 * 3_600_000).toISOString();
  await call(c, 'units.setDuty', { unitId: 'DM-11', duty: 'on_duty', unitVersion: c.store.view.get('unit', 'DM-11')!.version, until });
  const { incident } = await call<{ incident: IncidentView }>(c, 'incidents.create', { type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '1', firstLog: null });
  const { assignments } = await call<{ assignments: AssignmentView[] }>(c, 'units.deploy', { incidentId: incident.id, units: [{ unitId: 'DM-11', unitVersion: c.store.view.get('unit', 'DM-11')!.version }] });
  const assignment = assignments[0]!;
  await eventually(() => serverRecord('assignment', assignment.id) !== null, 'the server has the deployment', 15_000);
  return { incident, assignment };
}

/** The crew's lines in the incident's log (not the dispatcher's deployment), as [text, author, workstation]. */
const crewLines = (log: readonly LogEntry[]) => log.filter((e) => e.text.startsWith('DM-11 ') && !e.text.includes('assigned')).map((e) => [e.text, e.author, e.workstation]);

describe("a crew's terminal, relayed by the workstation that deployed it", () => {
  it.each([
    ['alice', 'a call handler, who may not record receipts herself'],
    ['bob', 'the dispatcher who deployed it'],
  ])('with %s signed in there (%s), the crew’s acceptance reaches the server as the terminal’s, through that workstation', async (operator) => {
    const { c, crewAnswers } = withTerminal('WS-A');
    const { incident, assignment } = await deployDM11(c);
    if (operator !== 'bob') {
      await call(c, 'session.signOut', {});
      await call(c, 'session.signIn', { operator, password: 'demo' });
    }

    crewAnswers();
    await eventually(() => serverRecord<Assignment>('assignment', assignment.id)?.status === 'en_route', 'the server has the crew’s acceptance and en route', 15_000);
    const onServer = serverRecord<Assignment>('assignment', assignment.id)!;
    expect(onServer.delivery).toMatchObject({ state: 'accepted' });
    // Confirmed by the crew: no "no receipt" alarm is due at any desk, however long anyone waits.
    expect(unconfirmed(demoConfig, onServer, '1', Date.now() + 3_600_000)).toBe(false);
    expect(onServer.receiptAlarm ?? null).toBeNull();

    const relayed = [
      ['DM-11 received the deployment', 'terminal DM-11', 'WS-A'],
      ['DM-11 accepted the deployment', 'terminal DM-11', 'WS-A'],
      ['DM-11 en route', 'terminal DM-11', 'WS-A'],
    ];
    expect(crewLines(serverLog(incident.id))).toEqual(relayed);
    const audited = auditOf('assignment', assignment.id).filter((row) => row.command !== 'unit.assign');
    expect(new Set(audited.map((row) => row.command))).toEqual(new Set(['assignment.receipt', 'assignment.setStatus']));
    expect(new Set(audited.map((row) => `${row.operator} at ${row.workstation}`))).toEqual(new Set(['terminal DM-11 at WS-A']));
    // The workstation shows the same, and nothing of it was refused.
    await eventually(() => c.store.view.logOf(incident.id).every((e) => !e.pending), 'the workstation has the server’s log');
    const { log } = await call<{ log: LogEntryView[] }>(c, 'incidents.get', { id: incident.id });
    expect(crewLines(log)).toEqual(relayed);
    expect(log.filter((e) => e.relay).map((e) => e.relay)).toEqual([DM11, DM11, DM11]);
    expect(c.sync.status().deadLetters).toBe(0);
  });

  it('made while the link is down and nobody is signed in, and kept through a restart, reaches the server in order with the crew’s own times', async () => {
    const link = await room.proxy();
    const { c, terminal, crewAnswers } = withTerminal('WS-A', link.url);
    const { incident, assignment } = await deployDM11(c);
    link.cutAll();
    await call(c, 'session.signOut', {});

    crewAnswers();
    terminal.arrived('DM-11');
    const waiting = c.store.outbox.pending().filter((entry) => entry.envelope.relay);
    const said = (envelope: CommandEnvelope) => (envelope.args as { receipt?: string; status?: string }).receipt ?? (envelope.args as { status?: string }).status;
    expect(waiting.map(({ envelope }) => [envelope.name, said(envelope), envelope.operator])).toEqual([
      ['assignment.receipt', 'received', 'terminal DM-11'],
      ['assignment.receipt', 'accepted', 'terminal DM-11'],
      ['assignment.setStatus', 'en_route', 'terminal DM-11'],
      ['assignment.setStatus', 'at_scene', 'terminal DM-11'],
    ]);
    const atSceneAt = waiting[3]!.envelope.issuedAt;

    c.stop();
    const again = room.core('WS-A', { serverUrl: link.url });
    link.heal();
    await eventually(() => serverRecord<Assignment>('assignment', assignment.id)?.status === 'at_scene', 'the server has the crew at scene', 20_000);
    expect(crewLines(serverLog(incident.id))).toEqual([
      ['DM-11 received the deployment', 'terminal DM-11', 'WS-A'],
      ['DM-11 accepted the deployment', 'terminal DM-11', 'WS-A'],
      ['DM-11 en route', 'terminal DM-11', 'WS-A'],
      ['DM-11 at scene', 'terminal DM-11', 'WS-A'],
    ]);
    // The attendance clock stopped when the crew pressed "at scene", not when the link came back.
    expect(serverRecord<Incident>('incident', incident.id)!.attendedAt).toBe(atSceneAt);
    await eventually(() => again.store.outbox.pending().length === 0, 'the restarted workstation has sent everything');
    expect(again.sync.status().deadLetters).toBe(0);
  });
});

describe('a crew booking on as a workstation new to the force starts', () => {
  it('is held until the first pull brings the force’s units, then booked on in the terminal’s name, with nobody signed in', async () => {
    // A unit whose shift is under way, whatever the hour the test runs (a crew books on through the terminal only
    // within its configured shift): its crew books on the moment the console starts, before this new workstation
    // has pulled a single unit from the server.
    const now = Date.now();
    const underWay = (shift: { starts: string; ends: string }) =>
      shiftSpansAround(demoConfig.force.timeZone, shift, now).some((span) => span.startMs <= now && now < span.endMs - 15 * 60_000);
    const unitId = demoConfig.units.find((unit) => unit.shift && underWay(unit.shift))!.callSign;
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const crews = [{ unitId, shift: { starts: hhmm(now - 3_600_000), ends: hhmm(now + 3_600_000) } }];
    const terminal = new SimulatedTerminal({ clock: systemClock, scheduler: new ManualScheduler(), crews, timeZone: 'UTC' });
    const c = room.core('WS-NEW', { terminal });
    await eventually(() => serverRecord<{ duty: string; tour: { bookedOnBy: string } | null }>('unit', unitId)?.duty === 'on_duty', 'the booking has reached the server');
    expect(serverRecord<{ tour: { bookedOnBy: string; via: string } }>('unit', unitId)!.tour).toMatchObject({ bookedOnBy: `terminal ${unitId}`, via: 'terminal' });
    expect(c.store.view.get('unit', unitId)?.duty).toBe('on_duty');
  });
});

describe('the telephony switch, relayed by the position a call rings at', () => {
  it('records a call ringing, its location and its abandonment as the switch’s at that workstation, not the call handler’s', async () => {
    const script = { calls: [{ id: 'hang-up', at: 0.5, source: '999' as const, callerNumber: '07700 900321', handset: { point: { lat: 50.9, lon: -1.4 }, accuracyM: 25, source: 'AML' as const, after: 0.2 }, abandonAfter: 1 }] };
    const c = room.core('WS-A', { telephony: new SimulatedTelephony(script, systemClock, realScheduler) });
    await call(c, 'session.signIn', { operator: 'alice', password: 'demo' });
    const calls = () => c.store.view.contactsSince('2000-01-01T00:00:00.000Z');
    await eventually(() => calls().some((contact) => contact.state === 'abandoned' && !contact.pending), 'the server has the abandoned call', 15_000);
    const contactId = calls()[0]!.id;

    expect(serverRecord<Contact>('contact', contactId)).toMatchObject({ workstation: 'WS-A', state: 'abandoned', answeredBy: null, handsetLocation: { source: 'AML' } });
    const audited = auditOf('contact', contactId);
    expect(audited.map((row) => row.command)).toEqual(expect.arrayContaining(['contact.receive', 'contact.locate', 'contact.end']));
    expect(new Set(audited.map((row) => `${row.operator} at ${row.workstation}`))).toEqual(new Set(['telephony at WS-A']));
    expect(c.sync.status().deadLetters).toBe(0);
  });
});

describe('the server and relayed commands', () => {
  /** A workstation enrolled by hand, whose pushes the test writes itself, as a modified console could. */
  async function enrolled(workstation: string) {
    const clientId = randomUUID();
    const response = await fetch(`${room.server.url}${PROTOCOL_PATHS.enrol}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId, workstation, enrolmentKey: TEST_ENROLMENT_KEY, force: 'DMO' }) });
    const { deviceToken } = (await response.json()) as { deviceToken: string };
    let clientSeq = 0;
    return {
      envelope(name: string, args: unknown, relay: Relay, operator = relayAuthor(relay)): CommandEnvelope {
        clientSeq += 1;
        return { commandId: randomUUID(), clientId, clientSeq, name, args, issuedAt: new Date().toISOString(), operator, ticket: '', workstation, schemaVersion: SCHEMA_VERSION, relay };
      },
      async push(commands: CommandEnvelope[]): Promise<{ status: number; body: { outcomes?: { status: string; code?: string; reason?: string }[]; error?: string } }> {
        const answer = await fetch(`${room.server.url}${PROTOCOL_PATHS.push}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${deviceToken}` },
          body: JSON.stringify({ clientId, schemaVersion: SCHEMA_VERSION, commands }),
        });
        return { status: answer.status, body: (await answer.json()) as never };
      },
    };
  }

  /** `npm run revoke` as an administrator runs it, beside the running server. */
  function revoke(args: string[]): void {
    const result = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'dist', 'node', 'revoke.mjs'), '--data', join(room.dir, 'central.sqlite'), ...args], { encoding: 'utf8', timeout: 15_000 });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  }

  const commandLogged = (commandId: string) => serverDb((db) => db.prepare('SELECT count(*) AS n FROM command_log WHERE command_id = ?').get(commandId) as { n: number }).n;
  const auditedCommand = (commandId: string) => serverDb((db) => db.prepare('SELECT count(*) AS n FROM audit_log WHERE command_id = ?').get(commandId) as { n: number }).n;

  it('refuses, with the reason and nothing applied, a relay of anything but a terminal command, of another unit, or in another name', async () => {
    const { c } = withTerminal('WS-A');
    const { incident, assignment } = await deployDM11(c);
    const rogue = await enrolled('WS-R');
    const names = { assignmentId: assignment.id, unitId: 'DM-11', incidentId: incident.id };
    const before = { assignment: serverRecord<Assignment>('assignment', assignment.id), log: serverLog(incident.id) };

    const attempts = [
      rogue.envelope('incident.addLog', { incidentId: incident.id, entryId: randomUUID(), text: 'Crew ask for the job to be closed' }, DM11),
      rogue.envelope('assignment.receipt', { ...names, receipt: 'rejected', note: 'not us' }, { kind: 'terminal', unitId: 'DM-12' }),
      rogue.envelope('assignment.setStatus', { ...names, status: 'cleared', assignmentVersion: before.assignment!.version }, DM11),
      rogue.envelope('assignment.receipt', { ...names, receipt: 'accepted', note: '' }, DM11, 'bob'),
    ];
    const answer = await rogue.push(attempts);
    expect(answer.status).toBe(200);
    expect(answer.body.outcomes!.map(({ status, code, reason }) => ({ status, code, reason }))).toEqual([
      { status: 'rejected', code: 'forbidden', reason: "a message relayed from DM-11's terminal cannot incident.addLog: only a receipt, a status press or a booking on or off" },
      { status: 'rejected', code: 'forbidden', reason: "a message relayed from DM-12's terminal may only be about DM-12, not DM-11" },
      { status: 'rejected', code: 'forbidden', reason: 'a terminal may book its unit en route or at scene, not cleared' },
      { status: 'rejected', code: 'forbidden', reason: "a message relayed from DM-11's terminal must be in its name (terminal DM-11), not bob's" },
    ]);
    expect(serverRecord('assignment', assignment.id)).toEqual(before.assignment);
    expect(serverLog(incident.id)).toEqual(before.log);
    for (const attempt of attempts) expect(auditedCommand(attempt.commandId)).toBe(0);
  });

  it('stops a workstation’s relays once an administrator revokes it: refused before any is read, nothing stored', async () => {
    const { c } = withTerminal('WS-A');
    const { incident, assignment } = await deployDM11(c);
    const rogue = await enrolled('WS-R');
    const names = { assignmentId: assignment.id, unitId: 'DM-11', incidentId: incident.id };

    // Enrolled, it may relay a terminal's receipt (any workstation may carry any unit's terminal)...
    const received = rogue.envelope('assignment.receipt', { ...names, receipt: 'received', note: '' }, DM11);
    expect((await rogue.push([received])).body.outcomes!.map((o) => o.status)).toEqual(['applied']);
    expect(serverRecord<Assignment>('assignment', assignment.id)!.delivery?.state).toBe('received');

    // ...revoked, it may not.
    revoke(['--workstation', 'WS-R', '--reason', 'stolen from the van']);
    const accepted = rogue.envelope('assignment.receipt', { ...names, receipt: 'accepted', note: '' }, DM11);
    const answer = await rogue.push([accepted]);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatch(/an administrator withdrew this workstation's access .*\(stolen from the van\)/);
    expect(commandLogged(accepted.commandId)).toBe(0);
    expect(auditedCommand(accepted.commandId)).toBe(0);
    expect(serverRecord<Assignment>('assignment', assignment.id)!.delivery?.state).toBe('received');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import type { AuditEntry } from '../../server/audit/audit-chain';
import { verifyStorage } from '../../launch/audit-main';
import type { ContactView, IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import type { AnyRecord } from '../../shared/domain/records';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

/**
 * Consultations (DPA 2018 s.62) from a real console core, through its outbox and the server's real push handling,
 * into the audit log of each server storage: what each channel that shows a record leaves there, offline looks
 * with their own time, repeated openings as one, reasons, and records put together.
 */
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-11-30T10:00:00.000Z');
const MIN = 60_000;

describe.each([sqliteFactory, postgresFactory(() => cluster)])('consultations and combinations on $name', (factory) => {
  const room = inProcessRoom({ open: () => factory.open(), startsAt: T0, operators: { alice: ['call_handler'] }, desks: [{ workstation: 'WS-A', signedIn: 'alice' }] });
  let core: ConsoleCore;
  beforeEach(() => void (core = room.desk('WS-A')));

  async function synced(): Promise<void> {
    await room.sync(core);
    expect(core.store.outbox.pending()).toEqual([]);
  }
  const entries = async (kind: AuditEntry['kind']) => (await room.storage.auditEntries(0, 100_000)).filter((e) => e.kind === kind);
  const looked = async () => (await entries('consultation')).map((e) => ({ ...JSON.parse(e.after!), on: `${e.recordKind} ${e.recordId}` }) as { on: string; channel: string; reason: string | null; revealed: { kind: string; id: string }[] });
  const newIncident = async (place: string, callerNumber = '') =>
    (await call<{ incident: IncidentView }>(core, 'incidents.create', { type: 'ASB', location: unverifiedLocation(place), grade: '3', firstLog: 'Youths shouting', callerNumber })).incident;

  it('records a look at an incident, a search that finds incidents, and a caller’s and a place’s history; the lists every desk scrolls record nothing', async () => {
    const incident = await newIncident('1 High Street');
    const call999 = (await call<{ contact: ContactView }>(core, 'contacts.record', { source: 'online', callerNumber: '07700 900123' })).contact;
    await synced();
    const reference = core.store.view.incident(incident.id)!.reference!;

    // What every desk scrolls: the queue, the units, the calls waiting, the open incidents a call may duplicate.
    await call(core, 'incidents.list', { status: 'all' });
    await call(core, 'units.list', {});
    await call(core, 'contacts.queue', {});
    await call(core, 'tasks.list', {});
    await call(core, 'markers.list', {});
    await call(core, 'incidents.duplicates', { point: null, type: 'ASB', callerNumber: null });
    // A search that finds nothing shows nothing of anyone.
    await call(core, 'incidents.find', { reference: 'NOSUCH' });
    await synced();
    expect(await looked()).toEqual([]);

    // A quarter of an hour on (opening what she has just made is part of making it: see the window's test).
    room.clock.set(T0 + 15 * MIN);
    await call(core, 'incidents.get', { id: incident.id });
    await call(core, 'incidents.find', { reference: reference.slice(0, 6).toLowerCase() });
    await call(core, 'history.lookup', { point: null, locationText: '1 High Street', callerNumber: '07700900123' });
    await synced();

    expect(await looked()).toEqual([
      { on: `incident ${incident.id}`, channel: 'incidents.get', query: { id: incident.id }, reason: null, revealed: [] },
      { on: `search ${reference.slice(0, 6)}`, channel: 'incidents.find', query: { reference: reference.slice(0, 6) }, reason: null, revealed: expect.arrayContaining([{ kind: 'incident', id: incident.id }]) },
      { on: 'caller 07700900123', channel: 'history.lookup', query: { point: null, locationText: '1 High Street', callerNumber: '07700900123' }, reason: null, revealed: [{ kind: 'contact', id: call999.id }] },
      { on: 'location 1 high street', channel: 'history.lookup', query: { point: null, locationText: '1 High Street', callerNumber: '07700900123' }, reason: null, revealed: [{ kind: 'incident', id: incident.id }] },
    ]);
    const [first] = await entries('consultation');
    expect(first).toMatchObject({ operator: 'alice', workstation: 'WS-A', clientId: core.store.clientId, command: 'record.consulted', field: null, before: null });
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('records a look made offline with the time it was made, once the server is back', async () => {
    const incident = await newIncident('2 Mill Lane');
    await synced();
    room.link(core).up = false;
    room.clock.set(T0 + 60 * MIN);
    await call(core, 'incidents.get', { id: incident.id });
    core.sync.kick();
    await core.sync.settled();
    expect(core.store.outbox.pending().map((p) => p.envelope.name)).toEqual(['record.consulted']);

    room.clock.set(T0 + 180 * MIN);
    room.link(core).up = true;
    await synced();
    expect(await entries('consultation')).toEqual([
      expect.objectContaining({ recordKind: 'incident', recordId: incident.id, issuedAt: new Date(T0 + 60 * MIN).toISOString(), recordedAt: new Date(T0 + 180 * MIN).toISOString() }),
    ]);
  });

  it('counts openings of one record by one operator for one reason within the force’s window as one consultation', async () => {
    const incident = await newIncident('3 Quay Road');
    // Made here a moment ago: its collection entry says she had it, and the window shows what it made at once.
    await call(core, 'incidents.get', { id: incident.id });
    await synced();
    expect(await entries('consultation')).toEqual([]);

    for (const minutes of [10, 11, 14, 19.99]) {
      room.clock.set(T0 + minutes * MIN);
      await call(core, 'incidents.get', { id: incident.id });
    }
    await synced();
    expect(await entries('consultation')).toHaveLength(1);

    room.clock.set(T0 + 20 * MIN);
    await call(core, 'incidents.get', { id: incident.id });
    // Another reason is another consultation, even inside the window.
    await call(core, 'incidents.get', { id: incident.id, reason: 'Caller rang back about it' });
    await synced();
    expect((await looked()).map((l) => l.reason)).toEqual([null, null, 'Caller rang back about it']);
  });

  it('refuses a closed incident’s detail without a reason, and records the reason it is shown with', async () => {
    const incident = await newIncident('4 Dock Street');
    await call(core, 'incidents.close', { incidentId: incident.id, closingCode: 'ADVICE', incidentVersion: core.store.view.incident(incident.id)!.version });
    await synced();
    const before = (await looked()).length;

    const refused = await core.dispatch('incidents.get', { id: incident.id });
    expect(refused).toEqual({ ok: false, error: { code: 'reason_needed', message: 'Give a reason to see this: this incident is closed' } });
    const shown = await call<{ incident: IncidentView }>(core, 'incidents.get', { id: incident.id, reason: 'Working on DMO-20261130-0002' });
    expect(shown.incident.id).toBe(incident.id);
    await synced();
    expect((await looked()).slice(before)).toEqual([expect.objectContaining({ on: `incident ${incident.id}`, reason: 'Working on DMO-20261130-0002' })]);
  });

  it('refuses another force’s incident without a reason, open as it is, and records the reason it is shown with', async () => {
    // Another force's incident in this workstation's file, as a share from it will put it there: a copy of one of
    // ours under another id, owned by NBR.
    const ours = await newIncident('7 Border Road');
    await synced();
    const theirs = { ...core.store.server.get({ kind: 'incident', id: ours.id })!.doc, id: '0b0b0b0b-1111-4111-8111-000000000001', force: 'NBR', reference: 'NBR-20261130-0001' } as IncidentView;
    core.store.transaction(() => {
      core.store.server.put({ kind: 'incident', id: theirs.id, doc: theirs }, 0);
      core.store.view.write({ kind: 'incident', id: theirs.id, doc: theirs });
    });
    expect(core.store.view.incident(theirs.id)).toMatchObject({ force: 'NBR', status: 'open' });
    const before = (await looked()).length;

    const refused = await core.dispatch('incidents.get', { id: theirs.id });
    expect(refused).toEqual({ ok: false, error: { code: 'reason_needed', message: 'Give a reason to see this: this incident belongs to another force (NBR)' } });
    // Our own open incident still needs none.
    room.clock.set(T0 + 15 * MIN);
    expect((await core.dispatch('incidents.get', { id: ours.id })).ok).toBe(true);
    const shown = await call<{ incident: IncidentView }>(core, 'incidents.get', { id: theirs.id, reason: 'Pursuit crossing into Saltmere' });
    expect(shown.incident).toMatchObject({ id: theirs.id, force: 'NBR' });
    await synced();
    expect((await looked()).slice(before)).toEqual([
      expect.objectContaining({ on: `incident ${ours.id}`, reason: null }),
      expect.objectContaining({ on: `incident ${theirs.id}`, channel: 'incidents.get', reason: 'Pursuit crossing into Saltmere' }),
    ]);
  });

  it('keeps a caller’s calls older than the force’s age back without a reason, and records the reason they are shown with', async () => {
    const old = (await call<{ contact: ContactView }>(core, 'contacts.record', { source: 'online', callerNumber: '07700 900555' })).contact;
    room.clock.set(T0 + 29 * 24 * 60 * MIN);
    const recent = (await call<{ contact: ContactView }>(core, 'contacts.record', { source: 'online', callerNumber: '07700 900555' })).contact;
    const ask = { point: null, locationText: null, callerNumber: '07700900555' };

    const withheld = await call<{ contacts: ContactView[]; olderCallsWithheld: unknown }>(core, 'history.lookup', ask);
    expect(withheld.contacts.map((c) => c.id)).toEqual([recent.id]);
    expect(withheld.olderCallsWithheld).toEqual({ count: 1, why: "this caller's history goes back more than 28 days" });
    const all = await call<{ contacts: ContactView[]; olderCallsWithheld: unknown }>(core, 'history.lookup', { ...ask, reason: 'Caller says she was threatened last month' });
    expect(all.contacts.map((c) => c.id).sort()).toEqual([old.id, recent.id].sort());
    expect(all.olderCallsWithheld).toBeNull();
    await synced();
    expect((await looked()).map((l) => [l.on, l.reason, l.revealed.length])).toEqual([
      ['caller 07700900555', null, 1],
      ['caller 07700900555', 'Caller says she was threatened last month', 2],
    ]);
  });

  it('keeps another force’s calls and incidents back from a caller’s and a place’s history without a reason, however recent, and records the reason they are shown with', async () => {
    const ours = await newIncident('8 Border Road', '07700 900777');
    const ourCall = (await call<{ contact: ContactView }>(core, 'contacts.record', { source: 'online', callerNumber: '07700 900777' })).contact;
    await synced();
    // The other force's call from the same number and incident at the same place, as a share will put them here.
    const theirIncident = { ...core.store.server.get({ kind: 'incident', id: ours.id })!.doc, id: '0b0b0b0b-1111-4111-8111-000000000002', force: 'NBR', reference: 'NBR-20261130-0002' };
    const theirCall = { ...core.store.server.get({ kind: 'contact', id: ourCall.id })!.doc, id: '0b0b0b0b-1111-4111-8111-000000000003', force: 'NBR' };
    core.store.transaction(() => {
      for (const record of [{ kind: 'incident', id: theirIncident.id, doc: theirIncident }, { kind: 'contact', id: theirCall.id, doc: theirCall }] as AnyRecord[]) {
        core.store.server.put(record, 0);
        core.store.view.write(record);
      }
    });
    room.clock.set(T0 + 15 * MIN);
    const ask = { point: null, locationText: '8 Border Road', callerNumber: '07700900777' };
    const before = (await looked()).length;

    const withheld = await call<{ contacts: ContactView[]; incidents: IncidentView[]; olderCallsWithheld: unknown; incidentsWithheld: unknown }>(core, 'history.lookup', ask);
    expect(withheld.contacts.map((c) => c.id)).toEqual([ourCall.id]);
    expect(withheld.olderCallsWithheld).toEqual({ count: 1, why: "this caller's history includes another force's calls (NBR)" });
    expect(withheld.incidents.map((i) => i.id)).toEqual([ours.id]);
    expect(withheld.incidentsWithheld).toEqual({ count: 1, why: "this place's history includes another force's incidents (NBR)" });

    const all = await call<{ contacts: ContactView[]; incidents: IncidentView[]; olderCallsWithheld: unknown; incidentsWithheld: unknown }>(core, 'history.lookup', { ...ask, reason: 'Same caller rang Northbridge first' });
    expect(all.contacts.map((c) => c.id).sort()).toEqual([ourCall.id, theirCall.id].sort());
    expect(all.incidents.map((i) => i.id).sort()).toEqual([ours.id, theirIncident.id].sort());
    expect([all.olderCallsWithheld, all.incidentsWithheld]).toEqual([null, null]);
    await synced();
    expect((await looked()).slice(before).map((l) => [l.on, l.reason, l.revealed.length])).toEqual([
      ['caller 07700900777', null, 1],
      ['location 8 border road', null, 1],
      ['caller 07700900777', 'Same caller rang Northbridge first', 2],
      ['location 8 border road', 'Same caller rang Northbridge first', 2],
    ]);
  });

  it('leaves the call being answered out of its caller’s history: a first call is no look at anything, a second shows (and records) only the first', async () => {
    // A call recorded by hand is being answered by the one who records it.
    const first = (await call<{ contact: ContactView }>(core, 'contacts.record', { source: 'online', callerNumber: '07700 900101' })).contact;
    const ask = { point: null, locationText: null, callerNumber: '07700 900101' };
    const answering = await call<{ contacts: ContactView[] }>(core, 'history.lookup', { ...ask, answering: first.id });
    expect(answering.contacts).toEqual([]);
    await synced();
    expect(await looked()).toEqual([]);

    room.clock.set(T0 + 30 * MIN);
    const second = (await call<{ contact: ContactView }>(core, 'contacts.record', { source: 'online', callerNumber: '07700 900101' })).contact;
    const again = await call<{ contacts: ContactView[] }>(core, 'history.lookup', { ...ask, answering: second.id });
    expect(again.contacts.map((c) => c.id)).toEqual([first.id]);
    await synced();
    expect((await looked()).map((l) => [l.on, l.revealed])).toEqual([['caller 07700900101', [{ kind: 'contact', id: first.id }]]]);
  });

  it('records a call attached to an incident and incidents linked and unlinked as combinations naming both records', async () => {
    const first = await newIncident('5 Bridge Street');
    const second = await newIncident('6 Bridge Street');
    const contact = (await call<{ contact: ContactView }>(core, 'contacts.record', { source: 'agency', callerNumber: null })).contact;
    await call(core, 'contacts.attach', { contactId: contact.id, incidentId: first.id });
    await call(core, 'incidents.link', { incidentId: first.id, otherId: second.id });
    await call(core, 'incidents.link', { incidentId: first.id, otherId: second.id, unlink: true });
    await synced();

    const combined = (await entries('combination')).map((e) => [e.command, `${e.recordKind} ${e.recordId}`, JSON.parse(e.after!)]);
    expect(combined).toEqual([
      ['contact.attach', `contact ${contact.id}`, { action: 'attach', other: { kind: 'incident', id: first.id } }],
      ['contact.attach', `incident ${first.id}`, { action: 'attach', other: { kind: 'contact', id: contact.id } }],
      ['incident.link', `incident ${first.id}`, { action: 'link', other: { kind: 'incident', id: second.id } }],
      ['incident.link', `incident ${second.id}`, { action: 'link', other: { kind: 'incident', id: first.id } }],
      ['incident.unlink', `incident ${first.id}`, { action: 'unlink', other: { kind: 'incident', id: second.id } }],
      ['incident.unlink', `incident ${second.id}`, { action: 'unlink', other: { kind: 'incident', id: first.id } }],
    ]);
    // Beside their alterations, not instead of them.
    expect((await entries('alteration')).some((e) => e.command === 'contact.attach' && e.field === 'incidentId')).toBe(true);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });
});

async function call<T>(core: ConsoleCore, channel: string, request: unknown): Promise<T> {
  const reply = await core.dispatch(channel, request);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.value as T;
}


import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import { runSystemCommands } from '../../server/commands/system-commands';
import type { EventName } from '../../shared/contract/channels';
import { CHANNEL_ACCESS, channelRefusal } from '../../shared/contract/channel-access';
import { CHANNEL_NAMES } from '../../shared/contract/channel-names';
import type { ContactView, IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

/**
 * What the console core answers each role (shared/contract/channel-access.ts), from a real core on each server
 * storage: an auditor (the audit log and nothing else) is refused every read of the room's records, and is sent none
 * of them; and a closed incident is found and listed as a row, its caller and description only in its detail,
 * given a reason (shared/domain/list-rows.ts).
 */
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-11-30T10:00:00.000Z');
const CALLER = 'Philippa Marchbanks';
const NUMBER = '07700 900461';
const DESCRIPTION = 'Neighbour heard shouting and glass breaking';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('reads by role on $name', (factory) => {
  const room = inProcessRoom({ open: () => factory.open(), startsAt: T0, operators: { alice: ['call_handler'], eve: ['auditor'] }, desks: ['WS-A'] });
  let core: ConsoleCore;
  beforeEach(() => void (core = room.desk('WS-A')));

  async function synced(): Promise<void> {
    await room.sync(core);
    expect(core.store.outbox.pending()).toEqual([]);
  }
  const consultations = async () => (await room.storage.auditEntries(0, 100_000)).filter((e) => e.kind === 'consultation');

  /** Alice's incident with its caller, and a call from the same number, on the workstation and the server. */
  async function aliceMakesRecords(): Promise<{ incident: IncidentView; contact: ContactView }> {
    await call(core, 'session.signIn', { operator: 'alice', password: 'shift-pw' });
    const { incident } = await call<{ incident: IncidentView }>(core, 'incidents.create', {
      type: 'DOMESTIC',
      location: unverifiedLocation('12 Harbour Row'),
      grade: '2',
      firstLog: 'Caller is the neighbour',
      callerName: CALLER,
      callerNumber: NUMBER,
      description: DESCRIPTION,
    });
    const { contact } = await call<{ contact: ContactView }>(core, 'contacts.record', { source: 'online', callerNumber: NUMBER });
    await synced();
    return { incident: core.store.view.incident(incident.id)!, contact };
  }

  it('refuses an auditor every read of the room’s records, naming the roles it needs; sends their windows none of them; records no consultation', async () => {
    const { incident } = await aliceMakesRecords();
    await call(core, 'session.signOut', {});
    const lookedBefore = (await consultations()).length;
    await call(core, 'session.signIn', { operator: 'eve', password: 'shift-pw' });
    const events: { event: EventName; payload: unknown }[] = [];
    core.onEvent((event, payload) => events.push({ event, payload }));

    const reads: [string, unknown][] = [
      ['incidents.get', { id: incident.id }],
      ['contacts.queue', {}],
      ['units.list', {}],
      ['tasks.list', {}],
      ['history.lookup', { point: null, locationText: '12 Harbour Row', callerNumber: NUMBER }],
      ['incidents.list', { status: 'all' }],
      ['incidents.find', { reference: incident.reference! }],
      ['markers.list', {}],
      ['units.positions', {}],
      ['contacts.disposed', { since: new Date(T0 - 86_400_000).toISOString() }],
    ];
    for (const [channel, request] of reads) {
      expect(await core.dispatch(channel, request), channel).toEqual({
        ok: false,
        error: { code: 'forbidden', message: `eve is not a call handler, dispatcher or supervisor: ${channel} is for them alone (eve is an auditor)` },
      });
    }
    // What is about her own session still answers.
    expect(await call(core, 'session.get', {})).toMatchObject({ operator: { id: 'eve', roles: ['auditor'] } });
    expect((await core.dispatch('desk.layout', {})).ok).toBe(true);

    // A call that reaches the workstation while she is signed in is not sent to her windows.
    const contactId = '0b8f1c2e-4d6a-4e8b-9c1d-2f3a4b5c6d70';
    await runSystemCommands(room.storage, room.rules, [{ name: 'contact.receive', args: { contactId, source: '999', callerNumber: NUMBER, receivedAt: new Date(T0).toISOString(), handsetLocation: null } }]);
    await synced();
    expect(core.store.view.view('contact', contactId)).toBeDefined();
    expect(JSON.stringify(events.filter((e) => e.event === 'records.changed'))).not.toContain(contactId);
    expect(JSON.stringify(events)).not.toContain(NUMBER);

    // Nothing was shown, so nothing was looked at.
    await synced();
    expect((await consultations()).length).toBe(lookedBefore);

    // Nobody signed in: nothing at all.
    await call(core, 'session.signOut', {});
    expect(await core.dispatch('incidents.get', { id: incident.id })).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'nobody is signed in at this workstation' } });
  });

  it('refuses a channel a role may not use before reading what was sent: malformed input gets `forbidden` (or `unauthenticated`), never `bad_request`', async () => {
    // Each channel the auditor may not use, sent something no channel takes: the refusal is the role's, so the
    // auditor learns nothing of the shape of the channel's input; nobody signed in is refused as such too.
    const malformed = [{ id: 42, unexpected: ['field'] }, 'not an object', null];
    await call(core, 'session.signIn', { operator: 'eve', password: 'shift-pw' });
    const refused = CHANNEL_NAMES.filter((channel) => channelRefusal({ id: 'eve', roles: ['auditor'] }, channel, { training: false }) !== null);
    expect(refused.length).toBeGreaterThan(50);
    for (const channel of refused) {
      for (const request of malformed) {
        const reply = await core.dispatch(channel, request);
        expect(reply.ok ? null : reply.error.code, `${channel} ${JSON.stringify(request)}`).toBe('forbidden');
      }
    }
    await call(core, 'session.signOut', {});
    for (const channel of CHANNEL_NAMES.filter((name) => CHANNEL_ACCESS[name].kind !== 'open')) {
      const reply = await core.dispatch(channel, malformed[0]);
      expect(reply.ok ? null : reply.error.code, channel).toBe('unauthenticated');
    }
    // A channel the operator may use still says what was wrong with the input.
    await call(core, 'session.signIn', { operator: 'eve', password: 'shift-pw' });
    expect(await core.dispatch('audit.query', malformed[0])).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('finds and lists a closed incident as a row (reference, type, status) without its caller or description, which its detail shows only with a reason', async () => {
    const { incident } = await aliceMakesRecords();
    await call(core, 'incidents.close', { incidentId: incident.id, closingCode: 'ADVICE', incidentVersion: core.store.view.incident(incident.id)!.version });
    await synced();
    const row = { id: incident.id, reference: incident.reference, type: 'DOMESTIC', status: 'closed', callerName: '', callerNumber: '', description: '', thrive: null, withheld: 'this incident is closed' };

    const found = await call<{ incidents: IncidentView[] }>(core, 'incidents.find', { reference: incident.reference! });
    expect(found.incidents).toEqual([expect.objectContaining(row)]);
    const listed = await call<{ incidents: IncidentView[] }>(core, 'incidents.list', { status: 'all' });
    expect(listed.incidents.find((i) => i.id === incident.id)).toEqual(expect.objectContaining(row));
    const history = await call<{ incidents: IncidentView[] }>(core, 'history.lookup', { point: null, locationText: '12 Harbour Row', callerNumber: null });
    expect(history.incidents).toEqual([expect.objectContaining(row)]);
    for (const answer of [found, listed, history]) {
      expect(JSON.stringify(answer)).not.toContain(CALLER);
      expect(JSON.stringify(answer)).not.toContain(DESCRIPTION);
    }

    // The detail still asks the reason, and with one shows everything.
    expect(await core.dispatch('incidents.get', { id: incident.id })).toEqual({ ok: false, error: { code: 'reason_needed', message: 'Give a reason to see this: this incident is closed' } });
    const shown = await call<{ incident: IncidentView }>(core, 'incidents.get', { id: incident.id, reason: 'Caller rang back about it' });
    expect(shown.incident).toMatchObject({ callerName: CALLER, description: DESCRIPTION });
    expect(shown.incident.withheld).toBeUndefined();

    // An open incident is listed whole, as the queue shows it.
    const { incident: open } = await call<{ incident: IncidentView }>(core, 'incidents.create', { type: 'ASB', location: unverifiedLocation('3 Quay Street'), grade: '3', firstLog: null, callerName: CALLER });
    const again = await call<{ incidents: IncidentView[] }>(core, 'incidents.list', { status: 'all' });
    expect(again.incidents.find((i) => i.id === open.id)).toMatchObject({ callerName: CALLER });
    expect(again.incidents.find((i) => i.id === open.id)!.withheld).toBeUndefined();
  });
});

async function call<T>(core: ConsoleCore, channel: string, request: unknown): Promise<T> {
  const reply = await core.dispatch(channel, request);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.value as T;
}

import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import type { ContactView, IncidentView, RecommendationView } from '../../shared/contract/views';
import { unverifiedLocation, type IncidentLocation } from '../../shared/domain/location';
import { call } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { sqliteFactory } from '../fakes/storages';

/**
 * The desk's moments for the after-action review, from a real console core through its outbox into the server's
 * audit log: the units proposed to a dispatcher (once per incident and proposal, however often the desk asks), and
 * a call located and graded on the form, each at the time it happened on the workstation's clock.
 */
const T0 = Date.parse('2026-12-04T22:30:00.000Z');

describe('moments on the desk reach the audit log', () => {
  const room = inProcessRoom({ open: () => sqliteFactory.open(), startsAt: T0, forceUnits: true, operators: { alice: ['call_handler', 'dispatcher'] }, desks: [{ workstation: 'WS-A', signedIn: 'alice' }] });
  let core: ConsoleCore;
  beforeEach(async () => {
    core = room.desk('WS-A');
    await synced();
  });

  async function synced(): Promise<void> {
    await room.sync(core);
    expect(core.store.outbox.pending()).toEqual([]);
  }
  const moments = async () =>
    (await room.storage.auditEntries(0, 100_000))
      .filter((e) => e.kind === 'moment')
      .map((e) => ({ on: `${e.recordKind} ${e.recordId}`, by: e.operator, at: e.issuedAt, ...(JSON.parse(e.after!) as { what: string; units?: string[]; grade?: string; location?: IncidentLocation }) }));
  const onDuty = async (unitId: string, duty: 'on_duty' | 'off_duty') =>
    call(core, 'units.setDuty', { unitId, duty, unitVersion: core.store.view.get('unit', unitId)!.version, until: duty === 'on_duty' ? new Date(room.clock.now() + 4 * 3_600_000).toISOString() : null });

  it('records a proposal once however often the desk asks, and again when it changes', async () => {
    await onDuty('DM-11', 'on_duty');
    await onDuty('DM-12', 'on_duty');
    const { incident } = await call<{ incident: IncidentView }>(core, 'incidents.create', { type: 'ASSAULT', location: unverifiedLocation('12 High Street'), grade: '1', firstLog: 'A fight' });
    room.clock.advance(30_000);
    const first = await call<RecommendationView>(core, 'units.recommend', { incidentId: incident.id });
    const shown = first.proposals.map((p) => p.callSign);
    expect(shown).toEqual(expect.arrayContaining(['DM-11', 'DM-12']));
    room.clock.advance(5_000);
    await call(core, 'units.recommend', { incidentId: incident.id });
    await call(core, 'units.recommend', { incidentId: incident.id });
    room.clock.advance(5_000);
    await onDuty('DM-12', 'off_duty');
    await call(core, 'units.recommend', { incidentId: incident.id });
    await synced();
    const proposals = (await moments()).filter((m) => m.what === 'proposed');
    expect(proposals.map((m) => [m.on, m.by, m.at, m.units])).toEqual([
      [`incident ${incident.id}`, 'alice', new Date(T0 + 30_000).toISOString(), shown],
      [`incident ${incident.id}`, 'alice', new Date(T0 + 40_000).toISOString(), shown.filter((u) => u !== 'DM-12')],
    ]);
  });

  it('records a call located and graded on the form when the handler does it, each choice once', async () => {
    const contact = (await call<{ contact: ContactView }>(core, 'contacts.record', { source: 'online', callerNumber: '07700 900123' })).contact;
    const place: IncidentLocation = { text: 'High Street', point: { lat: 53.9262, lon: 1.7515 }, source: 'gazetteer', district: null, accuracyM: null };
    room.clock.advance(20_000);
    await call(core, 'contacts.progress', { what: 'located', contactId: contact.id, location: place });
    await call(core, 'contacts.progress', { what: 'located', contactId: contact.id, location: place });
    room.clock.advance(10_000);
    await call(core, 'contacts.progress', { what: 'graded', contactId: contact.id, grade: '2' });
    room.clock.advance(10_000);
    await call(core, 'contacts.progress', { what: 'graded', contactId: contact.id, grade: '1' });
    await synced();
    expect((await moments()).map((m) => [m.on, m.what, m.at, m.grade ?? m.location?.text])).toEqual([
      [`contact ${contact.id}`, 'located', new Date(T0 + 20_000).toISOString(), 'High Street'],
      [`contact ${contact.id}`, 'graded', new Date(T0 + 30_000).toISOString(), '2'],
      [`contact ${contact.id}`, 'graded', new Date(T0 + 40_000).toISOString(), '1'],
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { hashPassword } from '../../node-common/passwords';
import { TICKET_SECRET } from '../../server/access/access-routes';
import type { ServerRules } from '../../server/commands/plan-command';
import { registerForceUnits } from '../../server/commands/system-commands';
import type { ContactView, IncidentView, RecommendationView } from '../../shared/contract/views';
import { unverifiedLocation, type IncidentLocation } from '../../shared/domain/location';
import { ManualClock } from '../../shared/domain/time';
import { registerTestOperators } from '../fakes/access';
import { call, demoConfig, silentLog } from '../fakes/fixtures';
import { InProcessLink } from '../fakes/in-process-link';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { sqliteFactory, type OpenedStorage } from '../fakes/storages';
import { makeTempDir } from '../fakes/temp-dir';

/**
 * The desk's moments for the after-action review, from a real console core through its outbox into the server's
 * audit log: the units proposed to a dispatcher (once per incident and proposal, however often the desk asks), and
 * a call located and graded on the form, each at the time it happened on the workstation's clock.
 */
const T0 = Date.parse('2026-12-04T22:30:00.000Z');

describe('moments on the desk reach the audit log', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let opened: OpenedStorage;
  let clock: ManualClock;
  let core: ConsoleCore;

  beforeEach(async () => {
    dir = makeTempDir();
    clock = new ManualClock(T0);
    const rules: ServerRules = { config: demoConfig, now: () => clock.now() };
    opened = await sqliteFactory.open();
    await registerForceUnits(opened.storage, rules);
    await registerTestOperators(opened.storage, rules, ['alice'], ['call_handler', 'dispatcher']);
    await opened.storage.setCredential('alice', await hashPassword('shift-pw'));
    const link = new InProcessLink(opened.storage, rules, await opened.storage.secret(TICKET_SECRET));
    core = createConsoleCore({ dataDir: dir.path, workstation: 'WS-A', serverUrl: 'in-process', enrolmentKey: null, config: demoConfig, host: 'browser', clock, log: silentLog, link, scheduler: new ManualScheduler() });
    link.clientId = core.store.clientId;
    core.start();
    await call(core, 'session.signIn', { operator: 'alice', password: 'shift-pw' });
    await synced();
  });
  afterEach(async () => {
    core.stop();
    await opened.close();
    dir.remove();
  });

  async function synced(): Promise<void> {
    core.sync.kick();
    await core.sync.settled();
    expect(core.store.outbox.pending()).toEqual([]);
  }
  const moments = async () =>
    (await opened.storage.auditEntries(0, 100_000))
      .filter((e) => e.kind === 'moment')
      .map((e) => ({ on: `${e.recordKind} ${e.recordId}`, by: e.operator, at: e.issuedAt, ...(JSON.parse(e.after!) as { what: string; units?: string[]; grade?: string; location?: IncidentLocation }) }));
  const onDuty = async (unitId: string, duty: 'on_duty' | 'off_duty') =>
    call(core, 'units.setDuty', { unitId, duty, unitVersion: core.store.view.get('unit', unitId)!.version, until: duty === 'on_duty' ? new Date(clock.now() + 4 * 3_600_000).toISOString() : null });

  it('records a proposal once however often the desk asks, and again when it changes', async () => {
    await onDuty('DM-11', 'on_duty');
    await onDuty('DM-12', 'on_duty');
    const { incident } = await call<{ incident: IncidentView }>(core, 'incidents.create', { type: 'ASSAULT', location: unverifiedLocation('12 High Street'), grade: '1', firstLog: 'A fight' });
    clock.advance(30_000);
    const first = await call<RecommendationView>(core, 'units.recommend', { incidentId: incident.id });
    const shown = first.proposals.map((p) => p.callSign);
    expect(shown).toEqual(expect.arrayContaining(['DM-11', 'DM-12']));
    clock.advance(5_000);
    await call(core, 'units.recommend', { incidentId: incident.id });
    await call(core, 'units.recommend', { incidentId: incident.id });
    clock.advance(5_000);
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
    clock.advance(20_000);
    await call(core, 'contacts.progress', { what: 'located', contactId: contact.id, location: place });
    await call(core, 'contacts.progress', { what: 'located', contactId: contact.id, location: place });
    clock.advance(10_000);
    await call(core, 'contacts.progress', { what: 'graded', contactId: contact.id, grade: '2' });
    clock.advance(10_000);
    await call(core, 'contacts.progress', { what: 'graded', contactId: contact.id, grade: '1' });
    await synced();
    expect((await moments()).map((m) => [m.on, m.what, m.at, m.grade ?? m.location?.text])).toEqual([
      [`contact ${contact.id}`, 'located', new Date(T0 + 20_000).toISOString(), 'High Street'],
      [`contact ${contact.id}`, 'graded', new Date(T0 + 30_000).toISOString(), '2'],
      [`contact ${contact.id}`, 'graded', new Date(T0 + 40_000).toISOString(), '1'],
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerForceUnits } from '../../server/commands/system-commands';
import type { ServerRules } from '../../server/commands/plan-command';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { demoConfig } from '../fakes/fixtures';
import { InProcessLink } from '../fakes/in-process-link';
import { registerTestOperators } from '../fakes/access';
import { TICKET_SECRET } from '../../server/access/access-routes';
import { makeTempDir } from '../fakes/temp-dir';
import { bookOnForceUnits } from '../fakes/units';
import { T0, WorkstationHarness } from '../fakes/workstation-harness';
import { unverifiedLocation } from '../../shared/domain/location';

let dir: ReturnType<typeof makeTempDir>;
let server: SqliteStorage;
let rules: ServerRules;
let secret: string;
let a: WorkstationHarness;
let b: WorkstationHarness;
let linkA: InProcessLink;
let linkB: InProcessLink;
let incidentId: string;

beforeEach(async () => {
  dir = makeTempDir();
  server = SqliteStorage.open(':memory:');
  rules = { config: demoConfig, now: () => T0 };
  secret = await server.secret(TICKET_SECRET);
  await registerTestOperators(server, rules, ['op-WS-A', 'op-WS-B']);
  await registerForceUnits(server, rules);
  await bookOnForceUnits(server, rules, T0 + 12 * 3_600_000);
  linkA = new InProcessLink(server, rules, secret);
  linkB = new InProcessLink(server, rules, secret);
  a = new WorkstationHarness(dir.path, 'WS-A', linkA);
  b = new WorkstationHarness(dir.path, 'WS-B', linkB);
  incidentId = randomUUID();
  a.issue('incident.create', { incidentId, provisionalReference: 'WS-A-P0001', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '1', firstLog: null });
  await a.syncNow();
  await b.syncNow();
});
afterEach(async () => {
  a.close();
  b.close();
  await server.close();
  dir.remove();
});

const committedIncidents = (unitId: string) =>
  server.database.prepare(`SELECT json_extract(doc, '$.commitment.incidentId') AS incident FROM records WHERE kind = 'unit' AND id = ?`).all(unitId);

describe('two dispatchers, both offline, send the same unit', () => {
  it('exactly one wins; the other sees a conflict with both sides, and resolves it by keyboard-level commands', async () => {
    linkA.up = false;
    linkB.up = false;
    const seen = a.store.view.get('unit', 'DM-11')!.version;
    const otherIncident = randomUUID();
    b.issue('incident.create', { incidentId: otherIncident, provisionalReference: 'WS-B-P0001', type: 'THEFT', location: unverifiedLocation('Above Bar'), grade: '2', firstLog: null });
    a.issue('unit.assign', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId, unitVersion: seen });
    b.issue('unit.assign', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId: otherIncident, unitVersion: seen });
    // Each, offline, was told it is done, and sees the unit on its own incident.
    expect(a.store.view.get('unit', 'DM-11')!.commitment?.incidentId).toBe(incidentId);
    expect(b.store.view.get('unit', 'DM-11')!.commitment?.incidentId).toBe(otherIncident);

    linkA.up = true;
    await a.syncNow();
    linkB.up = true;
    await b.syncNow();
    await a.syncNow();

    expect(committedIncidents('DM-11')).toEqual([{ incident: incidentId }]);
    for (const w of [a, b]) {
      expect(w.store.view.get('unit', 'DM-11')!.commitment?.incidentId).toBe(incidentId);
      expect(w.store.view.openConflicts()).toEqual([
        expect.objectContaining({
          commandName: 'unit.assign',
          operator: 'op-WS-B',
          workstation: 'WS-B',
          reason: 'DM-11 changed since you looked: it is now committed to another incident',
          args: expect.objectContaining({ incidentId: otherIncident }),
          theirs: expect.objectContaining({ commitment: expect.objectContaining({ incidentId }) }),
        }),
      ]);
    }
    expect(b.sync.status()).toMatchObject({ conflicts: 1, deadLetters: 0, pending: 0 });
    // B's own incident survived: only the contended action lost.
    expect(b.store.view.incident(otherIncident)).toMatchObject({ pending: false, activeUnits: [] });

    const conflict = b.store.view.openConflicts()[0]!;
    b.issue('conflict.resolve', { conflictId: conflict.id, resolution: 'accepted_theirs' });
    await b.syncNow();
    await a.syncNow();
    expect(a.store.view.openConflicts()).toEqual([]);
    expect(a.store.view.get('conflict', conflict.id)).toMatchObject({ status: 'resolved', resolution: 'accepted_theirs', resolvedBy: 'op-WS-B' });
    expect(b.sync.status().conflicts).toBe(0);
  });

  it('what the loser did with the lost deployment is kept on its conflict, not made one conflict more for each press', async () => {
    linkA.up = false;
    linkB.up = false;
    const seen = a.store.view.get('unit', 'DM-11')!.version;
    const otherIncident = randomUUID();
    const lost = randomUUID();
    b.issue('incident.create', { incidentId: otherIncident, provisionalReference: 'WS-B-P0001', type: 'THEFT', location: unverifiedLocation('Above Bar'), grade: '2', firstLog: null });
    a.issue('unit.assign', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId, unitVersion: seen });
    b.issue('unit.assign', { assignmentId: lost, unitId: 'DM-11', incidentId: otherIncident, unitVersion: seen });
    // B's dispatcher, still offline, books the deployment en route and at scene as the crew says so on the radio.
    for (const status of ['en_route', 'at_scene']) {
      b.issue('assignment.setStatus', { assignmentId: lost, unitId: 'DM-11', incidentId: otherIncident, status, assignmentVersion: b.store.view.get('assignment', lost)!.version });
    }
    // An action on B's own incident, made after the deployment, stands on its own: it follows nothing lost.
    b.issue('incident.addLog', { incidentId: otherIncident, entryId: randomUUID(), text: 'Caller rang back: the shop is locked up' });

    linkA.up = true;
    await a.syncNow();
    linkB.up = true;
    await b.syncNow();
    await b.syncNow();

    const [conflict, ...more] = b.store.view.openConflicts();
    expect(more).toEqual([]);
    expect(conflict).toMatchObject({ id: expect.any(String), commandName: 'unit.assign', reason: 'DM-11 changed since you looked: it is now committed to another incident' });
    expect(conflict!.followedBy!.map((f) => [f.commandName, (f.args as { status: string }).status, f.operator])).toEqual([
      ['assignment.setStatus', 'en_route', 'op-WS-B'],
      ['assignment.setStatus', 'at_scene', 'op-WS-B'],
    ]);
    expect(conflict!.followedBy![0]!.reason).toContain('does not exist');
    expect(b.sync.status()).toMatchObject({ conflicts: 1, deadLetters: 0, pending: 0 });
    expect(b.store.view.logOf(otherIncident).some((entry) => entry.text === 'Caller rang back: the shop is locked up')).toBe(true);
  });

  it('counts a lost command as a waiting conflict even before the pull brings its record', async () => {
    linkB.up = false;
    const seen = b.store.view.get('unit', 'DM-12')!.version;
    b.issue('unit.assign', { assignmentId: randomUUID(), unitId: 'DM-12', incidentId, unitVersion: seen });
    a.issue('unit.assign', { assignmentId: randomUUID(), unitId: 'DM-12', incidentId, unitVersion: seen });
    await a.syncNow();
    // B's push is answered, but the pull that would bring the conflict record fails.
    linkB.up = true;
    const pull = linkB.pull.bind(linkB);
    linkB.pull = async () => {
      throw new Error('network cut after the push');
    };
    await b.syncNow();
    expect(b.store.outbox.pendingCount()).toBe(0);
    expect(b.sync.status().conflicts).toBe(1);
    linkB.pull = pull;
    await b.syncNow();
    expect(b.sync.status().conflicts).toBe(1);
    expect(b.store.view.openConflicts()).toHaveLength(1);
  });
});

describe('corrections made offline at two workstations', () => {
  it('both apply, the later in server order wins each field, and the log keeps what was overwritten', async () => {
    linkA.up = false;
    linkB.up = false;
    a.issue('incident.update', { incidentId, changeId: randomUUID(), fields: { location: unverifiedLocation('Bargate Street') } });
    b.issue('incident.update', { incidentId, changeId: randomUUID(), fields: { location: unverifiedLocation('Bargate Centre'), description: 'Two men fighting' } });
    linkB.up = true;
    await b.syncNow();
    linkA.up = true;
    await a.syncNow();
    await b.syncNow();
    for (const w of [a, b]) {
      expect(w.store.view.incident(incidentId)).toMatchObject({ location: unverifiedLocation('Bargate Street'), description: 'Two men fighting', pending: false });
      expect(w.store.view.logOf(incidentId).map((e) => e.text)).toEqual(
        expect.arrayContaining([
          'Location changed from “Bargate” to “Bargate Centre”',
          'Description changed from (blank) to “Two men fighting”',
          'Location changed from “Bargate Centre” to “Bargate Street”',
        ]),
      );
    }
    expect(a.sync.status().conflicts).toBe(0);
  });
});

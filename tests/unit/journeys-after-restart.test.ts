import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import type { AvlAdapter, UnitArrival, UnitFix } from '../../main/adapters/avl/avl-adapter';
import { SimulatedTerminal } from '../../main/adapters/terminal/simulated-terminal';
import type { AssignmentView, IncidentView } from '../../shared/contract/views';
import type { GeoPoint } from '../../shared/domain/location';
import { ManualClock } from '../../shared/domain/time';
import { call as callCore, demoConfig } from '../fakes/fixtures';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { makeTempDir } from '../fakes/temp-dir';
import { workstationAlone } from '../fakes/workstation-alone';
import { rememberSignIn } from '../fakes/access';

/** A vehicle feed that records where units are sent and arrives them when told: the seam the simulator fills. */
class VehiclesDouble implements AvlAdapter {
  readonly sent: { unitId: string; destination: GeoPoint | null }[] = [];
  private readonly arrivals = new Set<(arrival: UnitArrival) => void>();
  start(_listener: (fixes: UnitFix[]) => void): void {}
  stop(): void {}
  setDestination(unitId: string, destination: GeoPoint | null): void {
    this.sent.push({ unitId, destination });
  }
  onArrival(listener: (arrival: UnitArrival) => void): () => void {
    this.arrivals.add(listener);
    return () => this.arrivals.delete(listener);
  }
  arrive(unitId: string, point: GeoPoint): void {
    for (const listener of this.arrivals) listener({ unitId, point, at: new Date().toISOString(), home: false });
  }
}

const SCENE: GeoPoint = { lat: 50.9097, lon: -1.4044 };

let dir: ReturnType<typeof makeTempDir>;
let clock: ManualClock;
let scheduler: ManualScheduler;
let core: ConsoleCore;
let vehicles: VehiclesDouble;

function startCore(workstation = 'WS-D'): ConsoleCore {
  vehicles = new VehiclesDouble();
  const terminal = new SimulatedTerminal({ clock, scheduler });
  const started = workstationAlone(dir.path, { workstation, clock, scheduler, terminal, avl: vehicles });
  started.start();
  return started;
}

function pass(ms: number): void {
  clock.advance(ms);
  scheduler.advance(ms);
}

beforeEach(async () => {
  dir = makeTempDir();
  clock = new ManualClock(Date.parse('2026-11-29T10:00:00Z'));
  scheduler = new ManualScheduler();
  core = startCore();
  await rememberSignIn(core.store, 'bob', 'demo', ['dispatcher']);
  await callCore(core, 'session.signIn', { operator: 'bob', password: 'demo' });
});
afterEach(() => {
  core.stop();
  dir.remove();
});

describe('a vehicle on its way when its workstation restarts', () => {
  it('drives on to the incident after the restart, and its crew books at scene when it arrives', async () => {
    const unitId = demoConfig.units[0]!.callSign;
    const unit = () => core.store.view.get('unit', unitId)!;
    // The server's registration, then booked on here.
    core.store.transaction(() => {
      const config = demoConfig.units[0]!;
      const doc = { id: unitId, force: 'DMO', callSign: unitId, type: config.type, homeStation: config.homeStation, skills: config.skills, equipment: config.equipment, shift: null, duty: 'off_duty' as const, tour: null, commitment: null, version: 1 };
      core.store.server.put({ kind: 'unit', id: unitId, doc }, 0);
      core.store.view.write({ kind: 'unit', id: unitId, doc });
    });
    await callCore(core, 'units.setDuty', { unitId, duty: 'on_duty', unitVersion: unit().version });
    const location = { text: 'Bargate, Southampton', point: SCENE, source: 'gazetteer' as const, district: null, accuracyM: null };
    const { incident } = await callCore<{ incident: IncidentView }>(core, 'incidents.create', { type: 'ASSAULT', location, grade: '1', firstLog: null });
    const { assignments } = await callCore<{ assignments: AssignmentView[] }>(core, 'units.deploy', { incidentId: incident.id, units: [{ unitId, unitVersion: unit().version }] });
    const assignmentId = assignments[0]!.id;
    pass(10_000);
    expect(core.store.view.get('assignment', assignmentId)?.status).toBe('en_route');

    core.stop();
    core = startCore();
    // Sent on from its station to the same incident, with nothing pressed by anyone.
    expect(vehicles.sent).toEqual([{ unitId, destination: SCENE }]);
    vehicles.arrive(unitId, SCENE);
    expect(core.store.view.get('assignment', assignmentId)?.status).toBe('at_scene');
    expect(core.store.view.get('incident', incident.id)?.attendedAt).not.toBeNull();
  });

  it('is left to the desk that sent it: another workstation restarting does not drive it', async () => {
    const unitId = demoConfig.units[0]!.callSign;
    const unit = () => core.store.view.get('unit', unitId)!;
    core.store.transaction(() => {
      const config = demoConfig.units[0]!;
      const doc = { id: unitId, force: 'DMO', callSign: unitId, type: config.type, homeStation: config.homeStation, skills: config.skills, equipment: config.equipment, shift: null, duty: 'off_duty' as const, tour: null, commitment: null, version: 1 };
      core.store.server.put({ kind: 'unit', id: unitId, doc }, 0);
      core.store.view.write({ kind: 'unit', id: unitId, doc });
    });
    await callCore(core, 'units.setDuty', { unitId, duty: 'on_duty', unitVersion: unit().version });
    const location = { text: 'Bargate, Southampton', point: SCENE, source: 'gazetteer' as const, district: null, accuracyM: null };
    const { incident } = await callCore<{ incident: IncidentView }>(core, 'incidents.create', { type: 'ASSAULT', location, grade: '1', firstLog: null });
    await callCore(core, 'units.deploy', { incidentId: incident.id, units: [{ unitId, unitVersion: unit().version }] });
    pass(10_000);

    core.stop();
    // The same data under another workstation's name stands for a desk that did not send it.
    core = startCore('WS-OTHER');
    expect(vehicles.sent).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { putStartingState, startingIds } from '../../server/training/starting-state';
import type { Assignment } from '../../shared/domain/assignment';
import type { Incident, LogEntry } from '../../shared/domain/incident';
import type { Marker } from '../../shared/domain/marker';
import type { Unit } from '../../shared/domain/unit';
import { Scenario } from '../../shared/training/scenario';
import { registerForceUnits } from '../../server/commands/system-commands';
import { demoConfig } from '../fakes/fixtures';
import { ExerciseRunner } from '../../main/adapters/exercise/exercise-runner';
import { ExerciseScheduler } from '../../node-common/exercise-scheduler';
import { ExerciseClock } from '../../shared/domain/exercise-clock';
import { ManualClock } from '../../shared/domain/time';
import { ManualScheduler } from '../fakes/manual-scheduler';

const START = Date.parse('2026-12-03T03:00:00Z');

const scenario = Scenario.parse({
  format: 1,
  title: 'Starting state',
  summary: 'An incident open with a unit on it, and a marker.',
  area: 'exercise',
  force: 'DMO',
  startsAt: '2026-12-03T03:00:00Z',
  durationMinutes: 45,
  start: {
    units: [{ callSign: 'DM-22' }],
    incidents: [
      {
        id: 'open-missing',
        type: 'MISSING',
        grade: '2',
        address: 'Northgate Care Home, Saltmere',
        point: { lat: 53.9801, lon: 1.7488 },
        description: 'Resident, 82, with dementia, walked out about 01:30.',
        units: ['DM-22'],
        openedMinutesBefore: 80,
      },
    ],
    markers: [{ address: '14 Gull Terrace, Saltmere', point: { lat: 53.9189, lon: 1.7446 }, radiusM: 40, warnings: ['firearms'], note: 'Shotgun licence holder' }],
  },
  injects: [{ kind: 'note', at: 60, text: 'x' }],
});

async function trainingServerStorage(training: boolean) {
  const storage = SqliteStorage.open(':memory:');
  const rules = { config: demoConfig, now: () => START, ...(training ? { training: true } : {}) };
  await registerForceUnits(storage, rules);
  return { storage, rules };
}

describe("an exercise's starting state, put in place by its training server", () => {
  it('opens each starting incident at its scenario time with a training reference, its log text and its unit at scene, and places each marker', async () => {
    const { storage, rules } = await trainingServerStorage(true);
    expect(await putStartingState(storage, rules, scenario)).toEqual({ incidents: 1, markers: 1 });
    const ids = startingIds(scenario);
    const incident = (await storage.record({ kind: 'incident', id: ids.incident('open-missing') })) as Incident;
    expect(incident).toMatchObject({ type: 'MISSING', grade: '2', status: 'open', createdAt: '2026-12-03T01:40:00.000Z', createdBy: 'system', activeUnits: ['DM-22'], attendedAt: '2026-12-03T01:40:00.000Z' });
    expect(incident.reference).toMatch(/^TRN-DMO-/);
    expect(incident.location).toMatchObject({ text: 'Northgate Care Home, Saltmere', point: { lat: 53.9801, lon: 1.7488 } });
    const log = (await storage.recordsOfIncident(incident.id)).filter((change) => change.kind === 'logEntry').map((change) => change.doc as LogEntry);
    expect(log.map((entry) => entry.text)).toContain('Open at the start of the exercise: Resident, 82, with dementia, walked out about 01:30.');
    const assignment = (await storage.record({ kind: 'assignment', id: ids.assignment('open-missing', 'DM-22') })) as Assignment;
    expect(assignment).toMatchObject({ status: 'at_scene', unitId: 'DM-22', deployedAt: '2026-12-03T01:40:00.000Z' });
    expect(assignment.backEntered).toBeUndefined();
    const unit = (await storage.record({ kind: 'unit', id: 'DM-22' })) as Unit;
    expect(unit).toMatchObject({ duty: 'on_duty', commitment: { assignmentId: assignment.id, incidentId: incident.id } });
    const marker = (await storage.record({ kind: 'marker', id: ids.marker(0) })) as Marker;
    expect(marker).toMatchObject({ address: '14 Gull Terrace, Saltmere', warnings: ['firearms'], active: true, addedBy: 'system' });
  });

  it('puts nothing in twice when the exercise server starts again', async () => {
    const { storage, rules } = await trainingServerStorage(true);
    await putStartingState(storage, rules, scenario);
    const head = await storage.head();
    expect(await putStartingState(storage, rules, scenario)).toEqual({ incidents: 0, markers: 0 });
    expect(await storage.head()).toBe(head);
    expect((await storage.recordsOfKind('incident', 0)).records).toHaveLength(1);
  });

  it('is refused on a live server, writing nothing', async () => {
    const { storage, rules } = await trainingServerStorage(false);
    const head = await storage.head();
    await expect(putStartingState(storage, rules, scenario)).rejects.toThrow(/only on a training server/);
    expect(await storage.head()).toBe(head);
  });
});

describe("the exercise's runner, as the trainer starts the exercise", () => {
  it('asks the training server for the starting incidents and markers, and no longer lists them for the trainer', async () => {
    const clock = new ExerciseClock(START, new ManualClock(Date.parse('2026-11-30T10:00:00Z')));
    const ticks = new ManualScheduler();
    const scheduler = new ExerciseScheduler(clock, 100, ticks);
    clock.onChange(() => scheduler.fireDue());
    const runner = new ExerciseRunner(scenario, clock, scheduler);
    let asked = 0;
    runner.connect({ vehicles: { bookOn: () => {}, breakDown: () => {}, delay: () => {}, rejectNext: () => {} }, startingState: { put: () => { asked += 1; return Promise.resolve({ incidents: 1, markers: 1 }); } } });
    runner.start(() => {});
    clock.start();
    ticks.advance(100);
    expect(asked).toBe(1);
    expect(runner.timeline().started).toEqual({ at: '2026-12-03T03:00:00.000Z', missing: [] });
    runner.stop();
  });
});

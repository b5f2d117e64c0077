import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forceAreaAt, type ForceArea } from '../../shared/area/force-areas';
import { distanceMetres } from '../../shared/area/geo';
import type { ForceConfig } from '../../shared/domain/force-config';
import { defaultForceConfigFile, loadForceConfig, neighbourForceConfigFile } from '../../node-common/force-config-file';
import { demoOperatorsFile, neighbourOperatorsFile } from '../../server/access/operators-file';
import { EXERCISE_FORCES, generateExerciseArea } from '../../main/area/exercise/generate-exercise-area';
import { queueFor, queueName, queuesOf } from '../../shared/domain/dispatch-queues';
import { RecordSet } from '../fakes/rules-harness';

const demo = loadForceConfig(defaultForceConfigFile());
const neighbour = loadForceConfig(neighbourForceConfigFile());
const codes = (items: { code: string }[]) => items.map((i) => i.code);
const prefixOf = (config: ForceConfig) => new Set(config.units.map((u) => u.callSign.replace(/\d+$/, '')));
const operatorsIn = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { operators: { name: string; roles: string[] }[] }).operators;

describe('the two demonstration forces', () => {
  it('are two different forces: five grades beside four, and their own types, codes, questions, call signs and stations', () => {
    expect(neighbour.force).toEqual({ code: 'NBR', name: 'Northbridge Police', timeZone: 'Europe/London' });
    expect(codes(demo.grades)).toEqual(['1', '2', '3', '4']);
    expect(codes(neighbour.grades)).toEqual(['1', '2', '3', '4', '5']);
    expect(neighbour.grades.map((g) => g.attendanceTargetMinutes)).not.toEqual(demo.grades.map((g) => g.attendanceTargetMinutes).concat([null]));
    const shared = (a: string[], b: string[]) => a.filter((x) => b.includes(x));
    expect(shared(codes(neighbour.incidentTypes), codes(demo.incidentTypes))).toEqual([]);
    expect(shared(codes(neighbour.closingCodes), codes(demo.closingCodes))).toEqual([]);
    expect(shared(codes(neighbour.unitTypes), codes(demo.unitTypes))).toEqual([]);
    expect(shared(codes(neighbour.calls.disposals), codes(demo.calls.disposals))).toEqual([]);
    expect(shared(neighbour.thrive.map((q) => q.id), demo.thrive.map((q) => q.id))).toEqual([]);
    expect(shared(Object.values(neighbour.statusCodes), Object.values(demo.statusCodes))).toEqual([]);
    expect(prefixOf(demo)).toEqual(new Set(['DM-']));
    expect(prefixOf(neighbour)).toEqual(new Set(['NB-']));
    expect(shared(neighbour.stations.map((s) => s.name), demo.stations.map((s) => s.name))).toEqual([]);
    // A grade-5 type with a unit to send to it: the fifth grade is worked like any other.
    expect(neighbour.incidentTypes.filter((t) => t.defaultGrade === '5').map((t) => t.code)).toEqual(['FRAUD']);
  });

  it("each have their own accounts, the same as the sign-in screen lists: call handler, dispatcher, supervisor, administrator and the rest", () => {
    for (const [config, file] of [
      [demo, demoOperatorsFile()],
      [neighbour, neighbourOperatorsFile()],
    ] as const) {
      const operators = operatorsIn(file);
      expect(operators.map((o) => [o.name, o.roles])).toEqual(config.demonstration!.accounts.map((a) => [a.name, a.roles]));
      expect(new Set(operators.flatMap((o) => o.roles))).toEqual(new Set(['call_handler', 'dispatcher', 'supervisor', 'trainer', 'admin', 'auditor']));
    }
    const names = (file: string) => operatorsIn(file).map((o) => o.name);
    expect(names(neighbourOperatorsFile()).filter((n) => names(demoOperatorsFile()).includes(n))).toEqual([]);
  });

  it("station their units at the exercise area's police stations, each inside its own force's area", () => {
    const model = generateExerciseArea(1);
    const areas: ForceArea[] = model.boundaries.filter((b) => b.kind === 'force').map((b) => ({ force: b.code!, shape: b.shape }));
    expect(areas.map((a) => a.force)).toEqual(EXERCISE_FORCES.map((f) => f.code));
    const police = model.landmarks.filter((l) => l.category === 'police');
    for (const config of [demo, neighbour]) {
      for (const station of config.stations) {
        const at: [number, number] = [station.point.lon, station.point.lat];
        expect(forceAreaAt(at, areas).force, station.name).toBe(config.force.code);
        const nearest = Math.min(...police.map((p) => distanceMetres(p.point, at)));
        expect(nearest, station.name).toBeLessThan(5);
      }
    }
  });

  it("each give every place of their own part of the exercise area a named dispatch queue: a district or beat group, never only the control room's", () => {
    const model = generateExerciseArea(1);
    const areas: ForceArea[] = model.boundaries.filter((b) => b.kind === 'force').map((b) => ({ force: b.code!, shape: b.shape }));
    expect(queuesOf(neighbour).map((q) => q.name)).toEqual(['Northbridge North', 'Northbridge South', 'Otter Vale', 'Northbridge control room']);
    // Northbridge's; the demonstration force's Marston Vale is drawn coarser than its force area along the border.
    for (const config of [neighbour]) {
      const places = [...model.landmarks.map((l) => ({ name: l.name, point: l.point })), ...model.postcodes.map((p) => ({ name: p.postcode, point: p.point }))];
      const own = places.filter((p) => forceAreaAt(p.point, areas).force === config.force.code);
      expect(own.length, config.force.code).toBeGreaterThan(100);
      const unnamed = own.filter((p) => queueFor(config, { point: { lon: p.point[0], lat: p.point[1] } }).area === config.dispatchAreas.elsewhere.code);
      expect(unnamed.map((p) => p.name), config.force.code).toEqual([]);
    }
    // Northbridge's town by its quarters, the country round it as Otter Vale.
    const placeAt = (name: string) => model.places.find((p) => p.name === name)!.point;
    const queueAt = (name: string) => queueName(neighbour, queueFor(neighbour, { point: { lon: placeAt(name)[0], lat: placeAt(name)[1] } }));
    expect(queueAt('Holmbury')).toBe('Northbridge North');
    expect(queueAt('Castlefields')).toBe('Northbridge South');
    expect(queueAt('Hatherley')).toBe('Otter Vale');
  });

  it('put a Northbridge incident in its area’s queue when it is created, by Northbridge’s rules', () => {
    const model = generateExerciseArea(1);
    const [lon, lat] = model.places.find((p) => p.name === 'Ottermouth')!.point;
    const state = new RecordSet();
    state.put([{ kind: 'operator', id: 'quinn', doc: { id: 'quinn', force: 'NBR', displayName: 'quinn', roles: ['call_handler', 'dispatcher'], active: true, version: 1 } }]);
    const incidentId = '00000000-0000-4000-8000-00000000a0a1';
    const location = { text: 'Ottermouth', point: { lat, lon }, source: 'gazetteer' as const, district: null, accuracyM: null };
    const created = state.run('incident.create', { incidentId, provisionalReference: 'NB-P0001', type: 'DISORDER', location, grade: '2', firstLog: null }, 'quinn', undefined, false, neighbour);
    expect(created).toMatchObject({ ok: true });
    expect(state.get('incident', incidentId)?.queue).toEqual({ force: 'NBR', area: 'OV' });
  });
});

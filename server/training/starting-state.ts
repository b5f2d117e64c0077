import { derivedId } from '../../shared/domain/derived-id';
import type { IncidentLocation } from '../../shared/domain/location';
import type { Unit } from '../../shared/domain/unit';
import type { Scenario } from '../../shared/training/scenario';
import type { ServerStorage } from '../storage/storage';
import type { ServerRules } from '../commands/plan-command';
import { runSystemCommands, SERVER_CLIENT_ID } from '../commands/system-commands';

/** What the training server put in place of a scenario's starting state. */
export interface StartingStatePut {
  /** Incidents opened now (those already there from an earlier start of this exercise's server are not counted). */
  incidents: number;
  markers: number;
}

/**
 * The ids a scenario's starting records take: derived from the scenario's own ids (and its starting instant, so two
 * scenarios played on one exercise folder never share one), the same at every start of the exercise's server.
 */
export function startingIds(scenario: Scenario) {
  const seed = `${SERVER_CLIENT_ID}/exercise-start/${scenario.startsAt}`;
  return {
    incident: (id: string) => derivedId(seed, `incident:${id}`),
    firstLog: (id: string) => derivedId(seed, `incident:${id}:log`),
    assignment: (id: string, callSign: string) => derivedId(seed, `incident:${id}:unit:${callSign}`),
    marker: (index: number) => derivedId(seed, `marker:${index}`),
  };
}

/**
 * Puts a scenario's starting state in place on its training server, as the server's own commands (sequenced,
 * audited, replicated to every trainee's desk like any record): its warning markers, and its incidents already open,
 * each opened at its scenario time (`openedMinutesBefore` the start) with its description in the log, and the units
 * the scenario has on it recorded there, at scene (booked on through the exercise's end first, as their crews would
 * have been). References are the training server's own (TRN-…).
 *
 * Idempotent: a restarted exercise server finds what it opened before (by the ids startingIds derives) and opens
 * nothing twice. Refused on a live server: an exercise's records never go on live data.
 */
export async function putStartingState(storage: ServerStorage, rules: ServerRules, scenario: Scenario): Promise<StartingStatePut> {
  if (!rules.training) throw new Error("an exercise's starting state is put only on a training server, never on a live one");
  const ids = startingIds(scenario);
  const startMs = Date.parse(scenario.startsAt);
  const endsAt = new Date(startMs + scenario.durationMinutes * 60_000).toISOString();
  const markers = await runSystemCommands(
    storage,
    rules,
    scenario.start.markers.map((marker, index) => ({
      name: 'marker.add',
      args: { markerId: ids.marker(index), point: marker.point, radiusM: marker.radiusM, address: marker.address, warnings: marker.warnings, note: marker.note },
      issuedAt: scenario.startsAt,
    })),
  );
  let incidents = 0;
  for (const start of scenario.start.incidents) {
    const incidentId = ids.incident(start.id);
    const openedAt = new Date(startMs - start.openedMinutesBefore * 60_000).toISOString();
    if (!(await storage.record({ kind: 'incident', id: incidentId }))) {
      const location: IncidentLocation = { text: start.address, point: start.point ?? null, source: start.point ? 'gazetteer' : 'unverified', district: null, accuracyM: null };
      const args = {
        incidentId,
        provisionalReference: `START-${start.id}`.slice(0, 40),
        type: start.type,
        grade: start.grade,
        location,
        description: start.description,
        firstLog: { entryId: ids.firstLog(start.id), text: `Open at the start of the exercise: ${start.description}`.slice(0, 2000) },
      };
      await runSystemCommands(storage, rules, [{ name: 'incident.create', args, issuedAt: openedAt }]);
      incidents += 1;
    }
    // Each step is looked for first, so a start cut short by a crash finishes at the next, and nothing is done twice.
    for (const callSign of start.units) {
      const assignmentId = ids.assignment(start.id, callSign);
      if (await storage.record({ kind: 'assignment', id: assignmentId })) continue;
      // The crew on it has been on duty since before it was opened, until the exercise ends.
      const unit = (await storage.record({ kind: 'unit', id: callSign })) as Unit | undefined;
      if (!unit) throw new Error(`the scenario's starting incident ${start.id} names unit ${callSign}, which the force does not have`);
      await runSystemCommands(storage, rules, [
        { name: 'unit.setDuty', args: { unitId: callSign, duty: 'on_duty', unitVersion: unit.version, until: endsAt, via: 'terminal' }, issuedAt: openedAt },
        { name: 'assignment.record', args: { assignmentId, unitId: callSign, incidentId, deployedAt: openedAt, arrivedAt: openedAt }, issuedAt: openedAt },
      ]);
    }
  }
  return { incidents, markers };
}

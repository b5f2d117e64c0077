import { z } from 'zod';
import { ContactSource } from '../domain/contact';
import { GeoPoint } from '../domain/location';
import { WarningKind } from '../domain/marker';
import { Instant } from '../domain/time';
import type { ForceConfig } from '../domain/force-config';

/**
 * A training scenario: the file a trainer writes (docs/exercises.md) and `npm start -- --exercise FILE` runs. It names
 * the area and force, the state the exercise starts in, and a timeline of injects; each call carries what a good
 * call taker and dispatcher would make of it, for the after-action review's scoring. Times in the timeline are seconds
 * of exercise time after the start, so a file reads the same at any speed.
 */

/** Seconds of exercise time after the exercise starts. */
const Offset = z.number().nonnegative().max(24 * 3600);
const Text = (max: number) => z.string().trim().min(1).max(max);

/** Where a caller's handset is, as the network reports it, and how long after ringing it arrives. */
const Handset = z.strictObject({
  point: GeoPoint,
  accuracyM: z.number().nonnegative(),
  source: z.enum(['AML', 'cell', 'caller', 'other']),
  after: Offset,
});

/** What the caller says: the words they open with, and their answer to each thing a call taker may ask. */
const CallerScript = z.strictObject({
  name: Text(80).optional(),
  opening: Text(1000),
  /** Question, in the trainer's words ("where are you?", "is anyone hurt?") → what the caller says to it. */
  answers: z.record(Text(200), Text(1000)).default({}),
});

/** What the call should become: scored by the after-action review, never shown to trainees. */
const ExpectedOutcome = z.strictObject({
  /** The incident type's code in the force's configuration, or null for a call that should make no incident. */
  type: Text(16).nullable(),
  /** Grades (codes) any of which is acceptable. */
  grades: z.array(Text(8)).min(1),
  /** THRIVE question ids that should be answered yes, and warning markers (`marker:firearms`) that should be seen. */
  riskFlags: z.array(Text(60)).default([]),
  /** Unit types that should go, one entry per unit (["IRV", "IRV", "ARV"]). */
  unitTypes: z.array(Text(16)).default([]),
  /** An earlier call's id, or an open incident's from `start.incidents`: this call should be attached to its incident. */
  duplicateOf: Text(64).optional(),
});

const CallInject = z.strictObject({
  kind: z.literal('call'),
  id: Text(64),
  at: Offset,
  source: ContactSource,
  callerNumber: z.string().max(40).nullable(),
  handset: Handset.optional(),
  /** A silent 999 call: an open line with nobody speaking (the caller may be unable to). */
  silent: z.boolean().default(false),
  caller: CallerScript.optional(),
  /** THRIVE question id → the answer the caller gives when it is asked. */
  thrive: z.record(Text(40), z.enum(['yes', 'no', 'unknown'])).default({}),
  /** The caller hangs up if not answered within this many seconds of ringing. */
  abandonAfter: z.number().positive().optional(),
  /** The caller hangs up this many seconds after being answered. */
  hangsUpAfter: z.number().positive().optional(),
  expected: ExpectedOutcome,
});

const VehicleInject = z.strictObject({
  kind: z.literal('vehicle'),
  at: Offset,
  unit: Text(16),
  /** breaks_down: out of service where it stands; delayed: arrives `minutes` later than its route; rejects: its crew refuses its next deployment. */
  event: z.enum(['breaks_down', 'delayed', 'rejects']),
  minutes: z.number().positive().max(600).optional(),
  reason: Text(200).optional(),
});

const SystemInject = z.strictObject({
  kind: z.literal('system'),
  at: Offset,
  /** workstation_offline: one trainee's workstation loses the network; cad_down: the whole system is down. */
  event: z.enum(['workstation_offline', 'cad_down']),
  /** For workstation_offline: the workstation's name as the trainee joined with it. */
  workstation: Text(64).optional(),
  forMinutes: z.number().positive().max(24 * 60),
});

const NoteInject = z.strictObject({
  kind: z.literal('note'),
  at: Offset,
  /** For the trainer's eyes only: what to watch for, when to step in. */
  text: Text(2000),
});

export const Inject = z.discriminatedUnion('kind', [CallInject, VehicleInject, SystemInject, NoteInject]);
export type Inject = z.infer<typeof Inject>;
export type CallInject = z.infer<typeof CallInject>;

const StartingUnit = z.strictObject({
  callSign: Text(16),
  /** Where the unit is when the exercise starts: its home station unless a point is given. */
  at: GeoPoint.optional(),
});

const StartingIncident = z.strictObject({
  id: Text(64),
  type: Text(16),
  grade: Text(8),
  address: Text(200),
  point: GeoPoint.optional(),
  description: Text(2000),
  /** Units already deployed to it (call signs, each also on duty). */
  units: z.array(Text(16)).default([]),
  /** Minutes before the start that it was opened. */
  openedMinutesBefore: z.number().nonnegative().max(24 * 60).default(0),
});

const StartingMarker = z.strictObject({
  address: Text(200),
  point: GeoPoint,
  radiusM: z.number().positive().max(2000),
  warnings: z.array(WarningKind).min(1),
  note: z.string().max(500).default(''),
});

export const SCENARIO_FORMAT = 1;

export const Scenario = z.strictObject({
  /** The format this file is written in (this build reads 1). */
  format: z.literal(SCENARIO_FORMAT),
  title: Text(120),
  summary: Text(2000),
  /** The area the exercise is played on: `exercise`, the generated exercise area, or an area folder's name. */
  area: Text(64),
  /** The force configuration's code (force.code) the scenario is written for. */
  force: Text(16),
  /** The exercise clock's starting instant: the scenario's own night or day, whatever the date it is played. */
  startsAt: Instant,
  /** How long the exercise runs, in minutes of exercise time. */
  durationMinutes: z.number().positive().max(24 * 60),
  start: z.strictObject({
    units: z.array(StartingUnit).default([]),
    incidents: z.array(StartingIncident).default([]),
    markers: z.array(StartingMarker).default([]),
  }),
  injects: z.array(Inject).min(1),
  /** Notes for the trainer's eyes only, shown beside the timeline. */
  notes: z.string().max(4000).default(''),
});
export type Scenario = z.infer<typeof Scenario>;

/** A problem found in a scenario: the path of the field, as zod gives it, and what is wrong. */
export interface ScenarioIssue {
  path: (string | number)[];
  message: string;
}

/**
 * What a scenario that is well-formed may still get wrong against the force it is for: codes and call signs the force
 * does not have, calls named twice, a duplicate of a call not yet made, an inject after the exercise has ended.
 */
export function scenarioIssues(scenario: Scenario, config: ForceConfig): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const types = new Set(config.incidentTypes.map((type) => type.code));
  const grades = new Set(config.grades.map((grade) => grade.code));
  const unitTypes = new Set(config.unitTypes.map((type) => type.code));
  const units = new Set(config.units.map((unit) => unit.callSign));
  const questions = new Set(config.thrive.map((question) => question.id));
  const warnings = new Set<string>(WarningKind.options);
  const known = (set: Set<string>, what: string, value: string, path: (string | number)[]) => {
    if (!set.has(value)) issues.push({ path, message: `${what} "${value}" is not in the ${config.force.code} force's configuration` });
  };
  if (scenario.force !== config.force.code) issues.push({ path: ['force'], message: `written for force "${scenario.force}", but the force configured is "${config.force.code}"` });
  const onDuty = new Set<string>();
  scenario.start.units.forEach((unit, i) => {
    known(units, 'unit', unit.callSign, ['start', 'units', i, 'callSign']);
    if (onDuty.has(unit.callSign)) issues.push({ path: ['start', 'units', i, 'callSign'], message: `unit ${unit.callSign} is listed twice` });
    onDuty.add(unit.callSign);
  });
  scenario.start.incidents.forEach((incident, i) => {
    known(types, 'incident type', incident.type, ['start', 'incidents', i, 'type']);
    known(grades, 'grade', incident.grade, ['start', 'incidents', i, 'grade']);
    incident.units.forEach((unit, j) => {
      if (!onDuty.has(unit)) issues.push({ path: ['start', 'incidents', i, 'units', j], message: `unit ${unit} is deployed here but not on duty at the start (start.units)` });
    });
  });
  const endsAt = scenario.durationMinutes * 60;
  // A call may duplicate an incident open at the start as well as an earlier call.
  const calls = new Set<string>(scenario.start.incidents.map((incident) => incident.id));
  scenario.injects.forEach((inject, i) => {
    const at = ['injects', i];
    if (inject.at > endsAt) issues.push({ path: [...at, 'at'], message: `at ${inject.at} s, after the exercise ends (${scenario.durationMinutes} minutes)` });
    if (i > 0 && inject.at < scenario.injects[i - 1]!.at) issues.push({ path: [...at, 'at'], message: `at ${inject.at} s, before the inject above it: keep the timeline in order` });
    switch (inject.kind) {
      case 'call': {
        if (calls.has(inject.id)) issues.push({ path: [...at, 'id'], message: `id "${inject.id}" is used twice` });
        const { expected } = inject;
        if (expected.type !== null) known(types, 'incident type', expected.type, [...at, 'expected', 'type']);
        expected.grades.forEach((grade, j) => known(grades, 'grade', grade, [...at, 'expected', 'grades', j]));
        expected.unitTypes.forEach((type, j) => known(unitTypes, 'unit type', type, [...at, 'expected', 'unitTypes', j]));
        expected.riskFlags.forEach((flag, j) => {
          const path = [...at, 'expected', 'riskFlags', j];
          if (flag.startsWith('marker:')) known(warnings, 'warning marker kind', flag.slice('marker:'.length), path);
          else known(questions, 'THRIVE question', flag, path);
        });
        Object.keys(inject.thrive).forEach((question) => known(questions, 'THRIVE question', question, [...at, 'thrive', question]));
        if (expected.duplicateOf !== undefined && !calls.has(expected.duplicateOf)) {
          issues.push({ path: [...at, 'expected', 'duplicateOf'], message: `"${expected.duplicateOf}" is neither a call earlier in the timeline nor an incident open at the start` });
        }
        calls.add(inject.id);
        break;
      }
      case 'vehicle':
        known(units, 'unit', inject.unit, [...at, 'unit']);
        if (inject.event === 'delayed' && inject.minutes === undefined) issues.push({ path: [...at, 'minutes'], message: 'a delay needs its minutes' });
        break;
      case 'system':
        if (inject.event === 'workstation_offline' && inject.workstation === undefined) issues.push({ path: [...at, 'workstation'], message: 'say which workstation loses the network' });
        break;
      case 'note':
        break;
    }
  });
  return issues;
}

/** The seconds after the start of the first inject later than `afterSeconds`, or null when none is left. */
export function nextInjectAt(scenario: Scenario, afterSeconds: number): number | null {
  return scenario.injects.find((inject) => inject.at > afterSeconds)?.at ?? null;
}

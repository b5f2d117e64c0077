import { ShareTier } from './share';
import { z } from 'zod';
import { DEFAULT_LOCKOUT, LockoutConfig } from './sign-in-lockout';
import { GeoPoint } from './location';
import { ThriveQuestionConfig } from './thrive';
import { TimeZoneName } from './wall-clock';
import { Role } from './operator';
import { DEFAULT_JUSTIFICATION, JustificationConfig } from './consultation';
import { CommonPriority, commonPriorityProblems } from './common-priority';
import { commonIncidentCodeProblems } from './common-incident-codes';
import { DEFAULT_DISPATCH_AREAS, DispatchAreasConfig, UntakenLimits, dispatchAreaProblems } from './dispatch-queues';
import { DEFAULT_MEASURES, MeasuresConfig } from '../measures/measures-config';

/**
 * A force's configuration is data, not code: grades and their attendance targets, incident types with their
 * opening codes and default grades. Changing it needs no code change.
 */
export const GradeConfig = z.object({
  code: z.string().min(1).max(8),
  name: z.string().min(1),
  /**
   * Where this grade stands on the common scale, 1 (immediate) to 5 (no deployment): what every view of several
   * forces' work sorts and colours by (shared/domain/common-priority.ts). Every grade must say.
   */
  commonPriority: CommonPriority,
  /** Minutes from grading to attendance; null where the grade has no attendance (resolved without deployment). */
  attendanceTargetMinutes: z.number().int().positive().nullable(),
  /** How long before a breach the attendance clock warns; by default a fifth of the target. */
  warnBeforeMinutes: z.number().positive().optional(),
  /** An incident waiting this long for a unit is prompted for a fresh risk assessment. */
  reviewAfterMinutes: z.number().positive().optional(),
  /**
   * A deployment whose crew has not accepted it on the terminal this many seconds after it was sent raises the
   * receipt alarm: the dispatcher is asked to confirm it by radio. Absent: no alarm at this grade.
   */
  receiptWithinSeconds: z.number().int().positive().max(3600).optional(),
});
export type GradeConfig = z.infer<typeof GradeConfig>;

export const IncidentTypeConfig = z.object({
  /** The opening code (NSIR-style category). */
  code: z.string().min(1).max(16),
  name: z.string().min(1),
  defaultGrade: z.string().min(1),
  /**
   * The common incident code (shared/domain/common-incident-codes.ts): what kind of incident this type is in the
   * vocabulary every force shares, so another force's type of the same code is its equivalent (a transfer maps by
   * it). Every type must give one, from the vocabulary, and no two types of a force the same.
   */
  commonCode: z.string().min(1),
  /**
   * Types of one family are "similar" when looking for duplicates (an assault and a domestic, say), and are the last
   * resort of a transfer to a force with no type of the common code nor of a nearest one.
   */
  family: z.string().min(1).optional(),
  /**
   * How long a unit typically spends at scene on this type of incident: with its travel time, the job's likely length,
   * to mark a unit whose shift would end before the job does.
   */
  onSceneMinutes: z.number().int().positive().max(24 * 60).default(60),
  /** What to send: acceptable unit types (preferred first; any when absent), skills every unit must have, how many. */
  needs: z
    .object({
      unitTypes: z.array(z.string().min(1)).optional(),
      skills: z.array(z.string().min(1)).optional(),
      units: z.number().int().positive().max(20).optional(),
    })
    .optional(),
});
export type IncidentTypeConfig = z.infer<typeof IncidentTypeConfig>;

/** How an incident ended (NSIR-style closing categories); it may differ from the type it opened as. */
export const ClosingCodeConfig = z.object({ code: z.string().min(1).max(16), name: z.string().min(1) });
export type ClosingCodeConfig = z.infer<typeof ClosingCodeConfig>;

export const UnitTypeConfig = z.object({
  code: z.string().min(1).max(16),
  name: z.string().min(1),
  /** Typical speed on an emergency run through town, for estimated travel times. */
  speedKmh: z.number().positive().max(200).default(45),
});

/** A shift as the rota writes it, in the force's time zone: "07:00" to "17:00" (the end may be past midnight). */
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 07:00');

export const UnitConfig = z.object({
  callSign: z.string().min(1).max(16),
  type: z.string().min(1),
  homeStation: z.string().min(1),
  /** What the crew can do: firearms, taser, dog handler, advanced driver, first aid… */
  skills: z.array(z.string().min(1)).default([]),
  /** What the vehicle carries: defibrillator, stinger, ram… */
  equipment: z.array(z.string().min(1)).default([]),
  shift: z.object({ starts: ClockTime, ends: ClockTime }).nullable().default(null),
});

export type UnitConfig = z.infer<typeof UnitConfig>;

/** How a call ended without an incident may be recorded: the force's list (advice given, a duplicate, transferred…). */
export const DisposalConfig = z.object({ code: z.string().min(1).max(16), name: z.string().min(1) });
export type DisposalConfig = z.infer<typeof DisposalConfig>;

/** Calls: how one ends without an incident, how call-backs are worked, and who is told of a ringing 999 call. */
export const CallsConfig = z.object({
  disposals: z.array(DisposalConfig).min(1),
  callBacks: z.object({
    /** A claim on a call-back lapses this many minutes after it was made, or after its holder's latest attempt. */
    claimLapseMinutes: z.number().positive().max(1440),
    /** What a handler should do where the number was withheld or is unknown and cannot be rung back. */
    withheldAdvice: z.string().min(1).max(500),
  }),
  /** Operators holding any of these roles are shown and sounded every ringing 999 call, in every window. */
  announceTo: z.array(Role).min(1),
});
export type CallsConfig = z.infer<typeof CallsConfig>;

/** What a force that says nothing of calls gets: a common list, and claims that lapse after ten minutes. */
export const DEFAULT_CALLS: CallsConfig = {
  disposals: [
    { code: 'ADVICE', name: 'Advice given' },
    { code: 'DUPLICATE', name: 'Duplicate of an existing incident' },
    { code: 'TRANSFER', name: 'Transferred to another agency' },
    { code: 'NOTPOLICE', name: 'Not a police matter' },
    { code: 'MISDIAL', name: 'Misdial or accidental call' },
    { code: 'HOAX', name: 'Hoax or malicious call' },
  ],
  callBacks: {
    claimLapseMinutes: 10,
    withheldAdvice: 'The number was withheld or is unknown: it cannot be rung back. Check the call for a handset location and a silent-call (55) outcome, and raise it with a supervisor if there is any sign of risk.',
  },
  announceTo: ['call_handler'],
};

/** Sign-in help for a demonstration or training force: its accounts, shown on its sign-in screen. Never for a live force. */
export const DemonstrationConfig = z.object({
  password: z.string().min(1).max(64),
  accounts: z.array(z.object({ name: z.string().min(1).max(64), roles: z.array(Role).min(1) })).min(1),
});
export type DemonstrationConfig = z.infer<typeof DemonstrationConfig>;

export const StationConfig = z.object({ name: z.string().min(1), point: GeoPoint });

export const ForceConfig = z
  .object({
    force: z.object({
      code: z.string().min(1),
      name: z.string().min(1),
      /**
       * The force's time zone (an IANA name, such as Europe/London): every time shown or typed, every reference day
       * and every log line's time is the force's wall clock, whatever the machine's or the browser's zone.
       */
      timeZone: TimeZoneName,
    }),
    grades: z.array(GradeConfig).min(1),
    incidentTypes: z.array(IncidentTypeConfig).min(1),
    closingCodes: z.array(ClosingCodeConfig).min(1),
    unitTypes: z.array(UnitTypeConfig).min(1),
    units: z.array(UnitConfig),
    /** Booking on: how early before its shift starts a unit may book on for it (briefing, kit), in minutes. */
    shifts: z.object({ bookOnEarlyMinutes: z.number().int().min(0).max(240) }).default({ bookOnEarlyMinutes: 60 }),
    /** Police stations: where units start from and go back to. */
    stations: z.array(StationConfig).default([]),
    /** The common status codes the force's radio users know each unit status by. */
    statusCodes: z
      .object({ available: z.string(), assigned: z.string(), en_route: z.string(), at_scene: z.string(), committed: z.string(), unavailable: z.string(), off_duty: z.string() })
      .default({ available: '1', assigned: '3', en_route: '4', at_scene: '5', committed: '6', unavailable: '8', off_duty: '9' }),
    thrive: z.array(ThriveQuestionConfig),
    duplicates: z.object({
      /** How near (metres) and how recent (minutes) an open incident must be to be proposed as the same event. */
      radiusMetres: z.number().positive(),
      windowMinutes: z.number().positive(),
      /** Proposals scoring below this (0–1) are not shown. */
      threshold: z.number().min(0).max(1),
    }),
    /** How far back a location's or caller's history goes, in days. */
    historyDays: z.number().int().positive(),
    /**
     * Who may reopen a closed incident (with a reason, logged): by default dispatchers, who keep incidents to their
     * end, and supervisors. A force that wants reopening decided by supervisors alone says `["supervisor"]`.
     */
    reopening: z.object({ roles: z.array(Role).min(1) }).default({ roles: ['dispatcher', 'supervisor'] }),
    calls: CallsConfig.default(DEFAULT_CALLS),
    /**
     * DPA 2018 s.62 consultations: which records need a reason before they are shown (by default a closed incident,
     * a caller's history older than 28 days, and another force's records) and how long repeated openings of one
     * record count as one consultation (10 minutes). See shared/domain/consultation.ts.
     */
    justification: JustificationConfig.default(DEFAULT_JUSTIFICATION),
    /** Lockout after repeated failed sign-ins (shared/domain/sign-in-lockout.ts). */
    signInLockout: LockoutConfig.default(DEFAULT_LOCKOUT),
    /**
     * The force's dispatch areas: each open incident's queue is the area its location falls in, else `elsewhere`
     * (shared/domain/dispatch-queues.ts). Absent: one queue for the whole force.
     */
    dispatchAreas: DispatchAreasConfig.default(DEFAULT_DISPATCH_AREAS),
    /**
     * By grade: how long an incident may wait in its queue untaken before its dispatchers are alerted, and how long
     * after that the supervisor is (shared/dispatch/handoffs.ts). A grade not listed raises no alert.
     */
    untaken: UntakenLimits.default({}),
    /** The room's measures: its shifts and the thresholds that colour them (shared/measures/measures-config.ts). */
    measures: MeasuresConfig.default(DEFAULT_MEASURES),
    /**
     * Sharing across the border (shared/domain/automatic-sharing.ts): an incident of this force located in another
     * force's area, or within `borderMetres` of it, is shared with that force at `tier` by the server.
     */
    sharing: z.object({ borderMetres: z.number().min(0).max(50_000), tier: ShareTier }).default({ borderMetres: 1000, tier: 'view' }),
    /** Present only for a demonstration or training force: the sign-in screen lists these accounts. */
    demonstration: DemonstrationConfig.optional(),
  })
  .superRefine((config, ctx) => {
    const grades = new Set(config.grades.map((g) => g.code));
    if (grades.size !== config.grades.length) ctx.addIssue({ code: 'custom', message: 'grade codes must be unique' });
    for (const message of commonPriorityProblems(config.grades)) ctx.addIssue({ code: 'custom', message });
    const types = new Set(config.incidentTypes.map((t) => t.code));
    if (types.size !== config.incidentTypes.length) {
      ctx.addIssue({ code: 'custom', message: 'incident type codes must be unique' });
    }
    for (const message of commonIncidentCodeProblems(config.incidentTypes)) ctx.addIssue({ code: 'custom', message });
    const unitTypes = new Set(config.unitTypes.map((t) => t.code));
    const callSigns = new Set<string>();
    for (const unit of config.units) {
      if (!unitTypes.has(unit.type)) ctx.addIssue({ code: 'custom', message: `unit ${unit.callSign} has unknown type ${unit.type}` });
      if (callSigns.has(unit.callSign)) ctx.addIssue({ code: 'custom', message: `call sign ${unit.callSign} appears twice` });
      callSigns.add(unit.callSign);
      if (config.stations.length && !config.stations.some((s) => s.name === unit.homeStation)) {
        ctx.addIssue({ code: 'custom', message: `unit ${unit.callSign} has unknown home station ${unit.homeStation}` });
      }
    }
    for (const type of config.incidentTypes) {
      for (const needed of type.needs?.unitTypes ?? []) {
        if (!unitTypes.has(needed)) ctx.addIssue({ code: 'custom', message: `incident type ${type.code} needs unknown unit type ${needed}` });
      }
    }
    const questionIds = new Set<string>();
    for (const question of config.thrive) {
      if (questionIds.has(question.id)) ctx.addIssue({ code: 'custom', message: `THRIVE question ${question.id} appears twice` });
      questionIds.add(question.id);
      for (const type of question.types ?? []) {
        if (!types.has(type)) ctx.addIssue({ code: 'custom', message: `THRIVE question ${question.id} names unknown incident type ${type}` });
      }
    }
    const disposals = new Set(config.calls.disposals.map((d) => d.code));
    if (disposals.size !== config.calls.disposals.length) ctx.addIssue({ code: 'custom', message: 'disposal codes must be unique' });
    for (const problem of dispatchAreaProblems(config.dispatchAreas, [...grades], config.untaken)) ctx.addIssue({ code: 'custom', message: problem });
    for (const type of config.incidentTypes) {
      if (!grades.has(type.defaultGrade)) {
        ctx.addIssue({ code: 'custom', message: `incident type ${type.code} defaults to unknown grade ${type.defaultGrade}` });
      }
    }
  });
export type ForceConfig = z.infer<typeof ForceConfig>;

/** Where a unit starts from and goes back to: its home station's point, if the force gives one. */
export function homeOf(config: ForceConfig, unit: { homeStation: string }): GeoPoint | undefined {
  return config.stations.find((s) => s.name === unit.homeStation)?.point;
}

export function findGrade(config: ForceConfig, code: string): GradeConfig | undefined {
  return config.grades.find((g) => g.code === code);
}

export function findIncidentType(config: ForceConfig, code: string): IncidentTypeConfig | undefined {
  return config.incidentTypes.find((t) => t.code === code);
}

export function findDisposal(config: ForceConfig, code: string): DisposalConfig | undefined {
  return config.calls.disposals.find((d) => d.code === code);
}

export function findClosingCode(config: ForceConfig, code: string): ClosingCodeConfig | undefined {
  return config.closingCodes.find((c) => c.code === code);
}

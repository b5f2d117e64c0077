import { z } from 'zod';

/** A time of day as a rota writes it, in the force's time zone ("07:00"). */
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 07:00');

/**
 * Where a figure turns amber and red. For a figure where less is worse (a percentage of calls answered in time),
 * it is amber below `amber` and red below `red`; where more is worse (calls abandoned, incidents waiting), amber
 * above `amber` and red above `red`. A figure exactly at a threshold is on the better side (90% answered within 10
 * seconds meets a 90% target).
 */
export const Threshold = z.object({ amber: z.number().nonnegative(), red: z.number().nonnegative() }).strict();
export type Threshold = z.infer<typeof Threshold>;

/** Thresholds by grade code. A grade not named has none: its figure shows, never coloured. */
const ByGrade = z.record(z.string().min(1).max(8), Threshold).default({});

export const MeasureThresholds = z
  .object({
    /** Percentage of 999 calls answered within 10 seconds: less is worse. */
    answered999Within10s: Threshold.optional(),
    /** Percentage of 999 calls abandoned before they were answered: more is worse. */
    abandoned999: Threshold.optional(),
    /** Incidents of each grade waiting for their first deployment, now: more is worse. */
    queueDepth: ByGrade,
    /** Minutes from call to first deployment, the 90th percentile, by grade: more is worse. */
    callToDeploymentP90Minutes: ByGrade,
    /** Percentage of attendance targets met, by grade: less is worse. */
    attendanceMet: ByGrade,
  })
  .strict();
export type MeasureThresholds = z.infer<typeof MeasureThresholds>;

/**
 * The room's measures (shared/measures/room-measures.ts): the shifts the room works, which say what "the shift"
 * is at any moment (one runs from its start to the next shift's start, past midnight where it must), and the
 * thresholds that turn figures amber and red at the supervisor's desk.
 */
export const MeasuresConfig = z
  .object({
    shifts: z.array(z.object({ name: z.string().min(1).max(40), starts: ClockTime }).strict()).min(1),
    thresholds: MeasureThresholds.default({ queueDepth: {}, callToDeploymentP90Minutes: {}, attendanceMet: {} }),
  })
  .strict()
  .superRefine((config, ctx) => {
    const starts = config.shifts.map((s) => s.starts);
    if (new Set(starts).size !== starts.length) ctx.addIssue({ code: 'custom', path: ['shifts'], message: 'two shifts start at the same time' });
    const lessIsWorse = (name: string, t: Threshold | undefined) => {
      if (t && t.red > t.amber) ctx.addIssue({ code: 'custom', path: ['thresholds', name], message: `red (${t.red}) must be at or below amber (${t.amber}): less is worse` });
    };
    const moreIsWorse = (name: string, t: Threshold | undefined) => {
      if (t && t.red < t.amber) ctx.addIssue({ code: 'custom', path: ['thresholds', name], message: `red (${t.red}) must be at or above amber (${t.amber}): more is worse` });
    };
    lessIsWorse('answered999Within10s', config.thresholds.answered999Within10s);
    moreIsWorse('abandoned999', config.thresholds.abandoned999);
    for (const [grade, t] of Object.entries(config.thresholds.queueDepth)) moreIsWorse(`queueDepth.${grade}`, t);
    for (const [grade, t] of Object.entries(config.thresholds.callToDeploymentP90Minutes)) moreIsWorse(`callToDeploymentP90Minutes.${grade}`, t);
    for (const [grade, t] of Object.entries(config.thresholds.attendanceMet)) lessIsWorse(`attendanceMet.${grade}`, t);
  });
export type MeasuresConfig = z.infer<typeof MeasuresConfig>;

/** What a force that says nothing of its measures gets: three eight-hour shifts, and the national 999 target. */
export const DEFAULT_MEASURES: MeasuresConfig = {
  shifts: [
    { name: 'Early', starts: '07:00' },
    { name: 'Late', starts: '15:00' },
    { name: 'Night', starts: '23:00' },
  ],
  thresholds: {
    answered999Within10s: { amber: 90, red: 80 },
    abandoned999: { amber: 5, red: 10 },
    queueDepth: {},
    callToDeploymentP90Minutes: {},
    attendanceMet: {},
  },
};

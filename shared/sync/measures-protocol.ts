import { z } from 'zod';
import { Name } from '../domain/ids';
import { Instant } from '../domain/time';
import type { RoomMeasures } from '../measures/room-measures';
import type { MeasureLevels } from '../measures/measure-levels';

/**
 * The room's measures, computed once on the central server from its record of what happened
 * (shared/measures/room-measures.ts) and asked over HTTP by a workstation for its signed-in supervisor: every
 * workstation asking about the same span gets the same figures, whatever it holds itself.
 */
export const MEASURES_PATH = '/v1/measures';

/** Longest span one question may cover: 31 days (a month's review). */
export const MAX_MEASURE_SPAN_MS = 31 * 24 * 60 * 60 * 1000;

/**
 * Which span. `last-hour`: the hour before the server's now; `shift`: the force's shift running now, from its start
 * to now (measures.shifts in the force configuration); `span`: [from, to), any span up to 31 days (an exercise's,
 * for its review).
 */
export const MeasureWindow = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('last-hour') }).strict(),
    z.object({ kind: z.literal('shift') }).strict(),
    z.object({ kind: z.literal('span'), from: Instant, to: Instant }).strict(),
  ])
  .superRefine((window, ctx) => {
    if (window.kind !== 'span') return;
    const length = Date.parse(window.to) - Date.parse(window.from);
    if (length <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after the start of the span' });
    else if (length > MAX_MEASURE_SPAN_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be at most 31 days after the start' });
  });
export type MeasureWindow = z.infer<typeof MeasureWindow>;

export const MeasuresRequest = z
  .object({
    operator: Name,
    ticket: z.string().min(1).max(2000),
    issuedAt: Instant,
    window: MeasureWindow,
  })
  .strict();
export type MeasuresRequest = z.input<typeof MeasuresRequest>;

const Count = z.number().int().nonnegative();
const Figure = z.number().nullable();
const ByGrade = <T extends z.ZodType>(value: T) => z.record(z.string(), value);
const DeploymentTimes = z.object({ count: Count, medianSeconds: Figure, p90Seconds: Figure });

/** RoomMeasures on the wire (checked against the type below, so the two cannot drift apart). */
export const RoomMeasuresSchema = z.object({
  calls: z.object({
    offered999: Count,
    answered999: Count,
    abandoned999: Count,
    counted999: Count,
    within10s999: Count,
    within10sPercent999: Figure,
    abandonedPercent999: Figure,
    offered101: Count,
    abandoned101: Count,
    abandonedPercent101: Figure,
  }),
  answerTimes: z.array(
    z.object({
      source: z.enum(['999', '101', 'online', 'alarm', 'agency']),
      answered: Count,
      buckets: z.array(z.object({ label: z.string(), upToSeconds: z.number().nullable(), count: Count })),
      medianSeconds: Figure,
      p90Seconds: Figure,
    }),
  ),
  queue: z.object({ now: ByGrade(Count), series: z.array(z.object({ at: Instant, byGrade: ByGrade(Count) })) }),
  callToDeployment: DeploymentTimes.extend({ byGrade: ByGrade(DeploymentTimes) }),
  attendance: z.array(z.object({ grade: z.string(), met: Count, missed: Count, metPercent: Figure })),
  handoffsWaiting: z.object({ waiting: Count, pastTime: Count, escalated: Count, oldestSeconds: z.number().int().nonnegative().nullable() }),
});
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShape: Same<z.infer<typeof RoomMeasuresSchema>, RoomMeasures> = true;
void sameShape;

export const MeasuresResponse = z.object({
  /** The span the figures are for, as the server placed it ([from, to)); `shiftName` for a shift. */
  window: z.object({ kind: z.enum(['last-hour', 'shift', 'span']), from: Instant, to: Instant, shiftName: z.string().nullable() }),
  measures: RoomMeasuresSchema,
  /** Each figure's level against the force's thresholds (shared/measures/measure-levels.ts). */
  levels: z.record(z.string(), z.enum(['none', 'ok', 'amber', 'red'])),
});
export type MeasuresResponse = z.infer<typeof MeasuresResponse>;
const sameLevels: Same<MeasuresResponse['levels'], MeasureLevels> = true;
void sameLevels;

import { z } from 'zod';
import { Instant, latestInstant } from './time';

/**
 * When a unit was on a job (ISO UTC): from its deployment until it was cleared, `to` null while it is on it. No
 * incident is named: a lent unit's record is seen by its borrower, which may not learn of its lender's incidents.
 */
export const UnitJob = z.object({ from: Instant, to: Instant.nullable() });
export type UnitJob = z.infer<typeof UnitJob>;

/**
 * The most jobs a unit keeps (Unit.jobs): a shift's work and more, enough for the catch-up after an outage to be
 * checked against, small enough to go with every change of the unit to every desk.
 */
export const MAX_UNIT_JOBS = 16;

const byStart = (a: UnitJob, b: UnitJob) => Date.parse(a.from) - Date.parse(b.from);

/**
 * The unit's jobs with one more (`from`…`to`; `to` null for one it is on now), in order of start, the oldest dropped
 * past MAX_UNIT_JOBS; `keptSince` (Unit.keptSince) moved up to the end of any dropped, from which what is kept is whole.
 */
export function withJob(unit: { jobs?: readonly UnitJob[]; keptSince?: string }, from: string, to: string | null): { jobs: UnitJob[]; keptSince?: string } {
  const all = [...(unit.jobs ?? []), { from, to }].sort(byStart);
  const dropped = all.slice(0, Math.max(0, all.length - MAX_UNIT_JOBS));
  const keptSince = latestInstant([unit.keptSince, ...dropped.map((job) => job.to ?? job.from)]);
  return { jobs: all.slice(-MAX_UNIT_JOBS), ...(keptSince ? { keptSince } : {}) };
}

/** The unit's jobs with the one it is on ended at `at` (the latest begun and not ended); unchanged if it is on none. */
export function withJobEnded(jobs: readonly UnitJob[] | undefined, at: string): UnitJob[] | undefined {
  if (!jobs) return undefined;
  const open = jobs.map((job, at) => ({ job, at })).filter(({ job }) => job.to === null).at(-1);
  if (!open) return [...jobs];
  return jobs.map((job, i) => (i === open.at ? { ...job, to: Date.parse(at) < Date.parse(job.from) ? job.from : at } : job));
}

/** The job of the unit's that shares any time with `span` (ms; `toMs` null for one not ended), or undefined. */
export function jobOverlapping(jobs: readonly UnitJob[] | undefined, span: { fromMs: number; toMs: number | null }): UnitJob | undefined {
  return (jobs ?? []).find((job) => span.fromMs < (job.to === null ? Infinity : Date.parse(job.to)) && (span.toMs === null ? Infinity : span.toMs) > Date.parse(job.from));
}

/** When the unit's last job ended (ISO UTC), or null: a new deployment of it is not dated before. */
export function lastJobEnded(jobs: readonly UnitJob[] | undefined): string | null {
  return latestInstant((jobs ?? []).map((job) => job.to));
}

import { z } from 'zod';
import type { ForceConfig } from './force-config';

/**
 * The common priority: one scale, 1 (most urgent) to 5, that every force's grades map to in its configuration, as
 * NENA EIDO's common incident priority lets agencies with different grading schemes exchange work. A force's own
 * grade is what its people see and work by; the common priority is what a view showing two forces' incidents side
 * by side sorts and colours by, and what the room's measures compare across forces.
 *
 * What each step means, so that two forces map their grades alike:
 * 1 immediate: danger to life or serious harm now, attend at once;
 * 2 urgent: attend within about an hour;
 * 3 prompt: attend the same day;
 * 4 scheduled: attend by appointment or within days;
 * 5 no deployment: resolved by telephone, online or by referral.
 */
export const CommonPriority = z.number().int().min(1).max(5);
export type CommonPriority = 1 | 2 | 3 | 4 | 5;

export const COMMON_PRIORITY_NAMES: Readonly<Record<CommonPriority, string>> = {
  1: 'immediate',
  2: 'urgent',
  3: 'prompt',
  4: 'scheduled',
  5: 'no deployment',
};

/**
 * The common priority of a grade of this force, from its configuration; null for a grade the configuration does
 * not hold (an incident graded under a scheme since changed), which a cross-force view sorts after every other.
 */
export function commonPriority(config: ForceConfig, grade: string): CommonPriority | null {
  const found = config.grades.find((g) => g.code === grade);
  return found ? (found.commonPriority as CommonPriority) : null;
}

/**
 * The common priority of an incident of any force: its own force's configuration (by force code) maps its grade.
 * Null when the force is unknown here, or the grade is not in its configuration.
 */
export function commonPriorityIn(configs: ReadonlyMap<string, ForceConfig> | readonly ForceConfig[], force: string, grade: string): CommonPriority | null {
  const config = Array.isArray(configs) ? (configs as readonly ForceConfig[]).find((c) => c.force.code === force) : (configs as ReadonlyMap<string, ForceConfig>).get(force);
  return config ? commonPriority(config, grade) : null;
}

/**
 * The common priority a desk of the force in `config` shows an incident at, the colour of its mark and row: its own
 * incident's grade mapped by its configuration; another force's, the common priority its share carries (that force's
 * grade is of another scheme and is not sent, so this force's configuration must never read it). Null when not known.
 */
export function incidentPriority(
  config: ForceConfig,
  incident: { force: string; grade: string; sharedView?: { commonPriority: number | null } | undefined },
): CommonPriority | null {
  if (incident.force !== config.force.code) return (incident.sharedView?.commonPriority ?? null) as CommonPriority | null;
  return commonPriority(config, incident.grade);
}

/** Orders incidents of several forces by common priority, most urgent first; unknown priorities last. Stable. */
export function byCommonPriority<T>(priorityOf: (item: T) => CommonPriority | null): (a: T, b: T) => number {
  return (a, b) => (priorityOf(a) ?? 6) - (priorityOf(b) ?? 6);
}

/** "P2 urgent": how a cross-force view names a common priority beside the force's own grade. */
export function describeCommonPriority(priority: CommonPriority): string {
  return `P${priority} ${COMMON_PRIORITY_NAMES[priority]}`;
}

/**
 * What is wrong with a force's mapping, in words (empty when nothing is): the grades are listed most urgent first,
 * so a grade may not map to a more urgent common priority than a grade listed before it (the common scale would
 * otherwise put two incidents in the opposite order to the force's own).
 */
export function commonPriorityProblems(grades: readonly { code: string; commonPriority: number }[]): string[] {
  const problems: string[] = [];
  for (let i = 1; i < grades.length; i++) {
    const before = grades[i - 1]!;
    const grade = grades[i]!;
    if (grade.commonPriority < before.commonPriority) {
      problems.push(`grade ${grade.code} maps to common priority ${grade.commonPriority}, more urgent than grade ${before.code} before it (${before.commonPriority})`);
    }
  }
  return problems;
}

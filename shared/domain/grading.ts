import type { ForceConfig } from './force-config';

/** A grade's place in the force's scheme: 0 is the most urgent. Unknown grades sort last. */
export function gradeRank(config: ForceConfig, code: string): number {
  const index = config.grades.findIndex((g) => g.code === code);
  return index < 0 ? config.grades.length : index;
}

/** Moving to a less urgent grade: this needs a reason and a supervisor's confirmation. */
export function isDowngrade(config: ForceConfig, from: string, to: string): boolean {
  return gradeRank(config, to) > gradeRank(config, from);
}

/** The grade the force's configuration proposes for an incident type (the handler may choose another). */
export function defaultGradeFor(config: ForceConfig, type: string): string | null {
  return config.incidentTypes.find((t) => t.code === type)?.defaultGrade ?? null;
}

/**
 * When attendance is due: the attendance clock starts when the grade is set. Null for grades without attendance
 * (resolved without deployment).
 */
export function attendanceDueAt(config: ForceConfig, grade: string, gradedAt: string): string | null {
  const minutes = config.grades.find((g) => g.code === grade)?.attendanceTargetMinutes;
  if (minutes === null || minutes === undefined) return null;
  return new Date(Date.parse(gradedAt) + minutes * 60_000).toISOString();
}

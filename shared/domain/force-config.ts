import { z } from 'zod';

/**
 * A force's configuration is data, not code: grades and their attendance targets, incident types with their
 * opening codes and default grades. Changing it needs no code change.
 */
export const GradeConfig = z.object({
  code: z.string().min(1).max(8),
  name: z.string().min(1),
  /** Minutes from grading to attendance; null where the grade has no attendance (resolved without deployment). */
  attendanceTargetMinutes: z.number().int().positive().nullable(),
});
export type GradeConfig = z.infer<typeof GradeConfig>;

export const IncidentTypeConfig = z.object({
  code: z.string().min(1).max(16),
  name: z.string().min(1),
  defaultGrade: z.string().min(1),
});
export type IncidentTypeConfig = z.infer<typeof IncidentTypeConfig>;

/** How an incident ended (NSIR-style closing categories); it may differ from the type it opened as. */
export const ClosingCodeConfig = z.object({ code: z.string().min(1).max(16), name: z.string().min(1) });
export type ClosingCodeConfig = z.infer<typeof ClosingCodeConfig>;

export const UnitTypeConfig = z.object({ code: z.string().min(1).max(16), name: z.string().min(1) });

export const UnitConfig = z.object({
  callSign: z.string().min(1).max(16),
  type: z.string().min(1),
  homeStation: z.string().min(1),
});
export type UnitConfig = z.infer<typeof UnitConfig>;

export const ForceConfig = z
  .object({
    force: z.object({ code: z.string().min(1), name: z.string().min(1) }),
    grades: z.array(GradeConfig).min(1),
    incidentTypes: z.array(IncidentTypeConfig).min(1),
    closingCodes: z.array(ClosingCodeConfig).min(1),
    unitTypes: z.array(UnitTypeConfig).min(1),
    units: z.array(UnitConfig),
  })
  .superRefine((config, ctx) => {
    const grades = new Set(config.grades.map((g) => g.code));
    if (grades.size !== config.grades.length) ctx.addIssue({ code: 'custom', message: 'grade codes must be unique' });
    const types = new Set(config.incidentTypes.map((t) => t.code));
    if (types.size !== config.incidentTypes.length) {
      ctx.addIssue({ code: 'custom', message: 'incident type codes must be unique' });
    }
    const unitTypes = new Set(config.unitTypes.map((t) => t.code));
    const callSigns = new Set<string>();
    for (const unit of config.units) {
      if (!unitTypes.has(unit.type)) ctx.addIssue({ code: 'custom', message: `unit ${unit.callSign} has unknown type ${unit.type}` });
      if (callSigns.has(unit.callSign)) ctx.addIssue({ code: 'custom', message: `call sign ${unit.callSign} appears twice` });
      callSigns.add(unit.callSign);
    }
    for (const type of config.incidentTypes) {
      if (!grades.has(type.defaultGrade)) {
        ctx.addIssue({ code: 'custom', message: `incident type ${type.code} defaults to unknown grade ${type.defaultGrade}` });
      }
    }
  });
export type ForceConfig = z.infer<typeof ForceConfig>;

export function findGrade(config: ForceConfig, code: string): GradeConfig | undefined {
  return config.grades.find((g) => g.code === code);
}

export function findIncidentType(config: ForceConfig, code: string): IncidentTypeConfig | undefined {
  return config.incidentTypes.find((t) => t.code === code);
}

export function findClosingCode(config: ForceConfig, code: string): ClosingCodeConfig | undefined {
  return config.closingCodes.find((c) => c.code === code);
}

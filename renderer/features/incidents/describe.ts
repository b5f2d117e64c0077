import type { IncidentView } from '../../../shared/contract/views';
import type { ForceConfig } from '../../../shared/domain/force-config';
import { findGrade, findIncidentType } from '../../../shared/domain/force-config';

export function typeName(config: ForceConfig | null, code: string): string {
  return (config && findIncidentType(config, code)?.name) ?? code;
}

export function gradeLabel(config: ForceConfig | null, code: string): string {
  const grade = config && findGrade(config, code);
  return grade ? `Grade ${grade.code} ${grade.name}` : `Grade ${code}`;
}

/** Whether the reference shown is still the workstation's own, awaiting the force reference. */
export function isProvisional(incident: IncidentView): boolean {
  return incident.reference === null;
}

import type { IncidentView } from '../../../shared/contract/views';
import type { ForceConfig } from '../../../shared/domain/force-config';
import { findGrade, findIncidentType } from '../../../shared/domain/force-config';
import { describeCommonPriority, type CommonPriority } from '../../../shared/domain/common-priority';

export function typeName(config: ForceConfig | null, code: string): string {
  return (config && findIncidentType(config, code)?.name) ?? code;
}

export function gradeLabel(config: ForceConfig | null, code: string): string {
  const grade = config && findGrade(config, code);
  return grade ? `Grade ${grade.code} ${grade.name}` : `Grade ${code}`;
}

/**
 * How another force's incident shared with this one names its urgency: the owning force and the common priority
 * ("DMO P2 urgent"), since its grade is of another scheme and is not sent.
 */
export function sharedLabel(incident: Pick<IncidentView, 'force' | 'sharedView'>): string {
  const priority = incident.sharedView?.commonPriority;
  return `${incident.force} ${priority ? describeCommonPriority(priority as CommonPriority) : 'priority not known'}`;
}

/** Whether the reference shown is still the workstation's own, awaiting the force reference. */
export function isProvisional(incident: IncidentView): boolean {
  return incident.reference === null;
}

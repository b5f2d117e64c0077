import type { IncidentView } from '../../../shared/contract/views';
import type { ForceConfig } from '../../../shared/domain/force-config';
import { findGrade, findIncidentType } from '../../../shared/domain/force-config';
import { describeCommonPriority, type CommonPriority } from '../../../shared/domain/common-priority';

export function typeName(config: ForceConfig | null, code: string): string {
  return (config && findIncidentType(config, code)?.name) ?? code;
}

/**
 * The name of an incident's type as this desk shows it: its own force's name for it; for another force's incident,
 * the owning force's name its share carries (sharedView.typeName, worked out on the server), since this force's
 * configuration does not know the other force's codes; the code itself only when neither is known.
 */
export function incidentTypeName(config: ForceConfig | null, incident: Pick<IncidentView, 'force' | 'type' | 'sharedView'>): string {
  if (config && incident.force !== config.force.code) return incident.sharedView?.typeName ?? incident.type;
  return typeName(config, incident.type);
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

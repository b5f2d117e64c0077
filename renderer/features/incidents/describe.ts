import type { IncidentView } from '../../../shared/contract/views';
import type { ForceConfig } from '../../../shared/domain/force-config';
import { findGrade, findIncidentType } from '../../../shared/domain/force-config';
import { describeCommonPriority, type CommonPriority } from '../../../shared/domain/common-priority';
import { openingTypeOf } from '../../../shared/domain/incident';

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

/**
 * What an incident was opened as, in this force's words, where that differs from its type now; null where it does not.
 * An incident opened in another force and transferred here opened as that force's type, which this force's scheme
 * does not hold: it is named as that force's ("DMO's Firearms incident"), however near this force's type is to it.
 */
export function openedAsName(config: ForceConfig | null, incident: Pick<IncidentView, 'type' | 'openingType' | 'origin' | 'force'>): string | null {
  const opening = openingTypeOf(incident);
  if (incident.origin && config && incident.origin.force !== config.force.code) return `${incident.origin.force}'s ${incident.origin.openingTypeName}`;
  return opening !== incident.type ? typeName(config, opening) : null;
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

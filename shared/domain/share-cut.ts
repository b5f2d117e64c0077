import type { Assignment } from './assignment';
import type { CommonPriority } from './common-priority';
import { openedBy, type Incident } from './incident';
import type { ShareTier } from './share';

/**
 * What another force sees of an incident shared with it: an allowlist, never a denylist. Only the fields named in
 * INCIDENT_SHOWN (and ASSIGNMENT_SHOWN for its deployments) are copied; every other field of the document is given
 * a blank that says nothing (WITHHELD), so a field added to the incident later reaches no other force until it is
 * named here, and a test fails until it is put in one list or the other. The grade is withheld (it is of the other
 * force's scheme): the common priority it maps to is carried instead (`sharedView`), which cross-force views show,
 * and with it the owning force's name for the incident's type (`sharedView.typeName`), worked out on the server,
 * which knows every force's configuration.
 *
 * Never in the cut, at any tier: caller details, the description, THRIVE, who owns it, its queue and handoff, its
 * related incidents; the log's text and warning markers are other records, which a view-tier holder is never sent
 * at all (shared/domain/share-policy.ts). Who created it, where, and the provisional reference its workstation
 * minted go only to the force it was opened in (an old owner keeping a view of an incident it transferred): they
 * are that force's own people and workstations (INCIDENT_SHOWN_TO_OPENER).
 */

/** The incident's fields another force may see, as they are: reference, type, location, status, times, units attending. */
export const INCIDENT_SHOWN = [
  'id',
  'force',
  'reference',
  'type',
  'location',
  'status',
  'gradedAt',
  'attendedAt',
  'closedAt',
  'createdAt',
  'updatedAt',
  'activeUnits',
  'version',
] as const satisfies readonly (keyof Incident)[];

type Shown = (typeof INCIDENT_SHOWN)[number];

/**
 * The blank each withheld field of the incident takes, so the cut is still an incident every workstation can read.
 * Fields that may be absent from a document (openingType, queue, handoff, reservations, reservedUnits, reopenings,
 * sharedView, backEntered) are withheld by being left out; they are listed in INCIDENT_LEFT_OUT.
 */
const WITHHELD = (owner: string): Required<Pick<Incident, Exclude<keyof Incident, Shown | OptionalField>>> => ({
  provisionalReference: '',
  description: '',
  callerName: '',
  callerNumber: '',
  grade: '',
  pendingDowngrade: null,
  thrive: null,
  related: [],
  owner: null,
  closingCode: null,
  closedBy: null,
  createdBy: owner,
  createdAtWorkstation: owner,
});

/** Optional fields of the incident that are withheld by leaving them out of the cut. */
export const INCIDENT_LEFT_OUT = ['openingType', 'queue', 'handoff', 'reservations', 'reservedUnits', 'reopenings', 'sharedView', 'backEntered', 'origin'] as const satisfies readonly (keyof Incident)[];
type OptionalField = (typeof INCIDENT_LEFT_OUT)[number];

/** Every field of the incident the cut withholds, by name (for tests and the README: nothing is withheld silently). */
export const INCIDENT_WITHHELD = Object.keys(WITHHELD('X')) as (keyof Incident)[];

/**
/**
 * The fields withheld from other forces that go, as they are, to the force the incident was opened in (openedBy), when
 * it holds a share of it: the old owner of a transferred incident still reads who of its own created it, where, and
 * the provisional reference its workstation gave it. Nothing of the new owner's.
 */
export const INCIDENT_SHOWN_TO_OPENER = ['createdBy', 'createdAtWorkstation', 'provisionalReference', 'origin'] as const satisfies readonly (keyof Incident)[];

/**
 * The incident as force `holder` sees it through a share, at either tier (the assist tier adds the log, not fields):
 * the allowlisted fields copied, the rest blank, in `sharedView` the common priority of its grade and the name the
 * owning force gives its type (its type code, allowlisted, means nothing in the holder's configuration; null when the
 * owner's configuration lacks the code); to the force it was opened in, also its creation as it was
 * (INCIDENT_SHOWN_TO_OPENER).
 */
export function incidentCut(incident: Incident, tier: ShareTier, commonPriority: CommonPriority | null, holder: string, typeName: string | null = null): Incident {
  const shown: Record<string, unknown> = {};
  for (const field of INCIDENT_SHOWN) shown[field] = incident[field];
  if (openedBy(incident) === holder) for (const field of INCIDENT_SHOWN_TO_OPENER) if (incident[field] !== undefined) shown[field] = incident[field];
  return { ...WITHHELD(incident.force), ...(shown as Pick<Incident, Shown>), sharedView: { tier, commonPriority, typeName } };
}

/** A deployment's fields another force may see: which unit, on which incident, its status and its times. */
export const ASSIGNMENT_SHOWN = ['id', 'force', 'unitId', 'incidentId', 'status', 'assignedAt', 'deployedAt', 'updatedAt', 'version'] as const satisfies readonly (keyof Assignment)[];

/** A deployment on a shared incident as the other force sees it: the unit and its status, not the messages and alarms. */
export function assignmentCut(assignment: Assignment): Assignment {
  const shown: Record<string, unknown> = {};
  for (const field of ASSIGNMENT_SHOWN) if (assignment[field] !== undefined) shown[field] = assignment[field];
  return {
    ...(shown as Pick<Assignment, (typeof ASSIGNMENT_SHOWN)[number]>),
    delivery: null,
    reservedFor: null,
    receiptAlarm: null,
    radioConfirmed: null,
    lateRejection: null,
    duePrompt: null,
    assignedBy: assignment.force,
  };
}

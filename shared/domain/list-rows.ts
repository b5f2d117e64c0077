import type { Contact } from './contact';
import type { Incident } from './incident';
import { reasonNeeded, type JustificationConfig } from './consultation';

/**
 * What a list may show of a record whose detail needs a reason first (shared/domain/consultation.ts): a search's
 * results and the list of every incident are lists, and scrolling a list is not a consultation, so they show what
 * tells one record from another (reference, type, place, grade, status, times) and never what the reason is asked
 * for (the caller, the description, the risk assessment, who worked it, why it was reopened). The detail itself
 * comes from incidents.get, which asks the reason and records the consultation. An allowlist, as the share cut is
 * (share-cut.ts): a field added to the incident later stays out of a row until it is named here.
 */

/** The incident's fields a list row shows as they are. */
export const INCIDENT_ROW_SHOWN = [
  'id',
  'force',
  'reference',
  'provisionalReference',
  'type',
  'location',
  'grade',
  'gradedAt',
  'status',
  'activeUnits',
  'attendedAt',
  'closingCode',
  'closedAt',
  'createdAt',
  'updatedAt',
  'version',
  /** Another force's incident keeps the tier and common priority the lists show in place of its grade. */
  'sharedView',
] as const satisfies readonly (keyof Incident)[];

type RowField = (typeof INCIDENT_ROW_SHOWN)[number];

/** Optional fields of the incident a row leaves out: its opening type and origin, queue and handoff, reservations, reopenings (with their reasons), back-entry, the transfers it went through (who accepted them). */
export const INCIDENT_ROW_LEFT_OUT = ['openingType', 'origin', 'queue', 'handoff', 'reservations', 'reservedUnits', 'reopenings', 'backEntered', 'handovers'] as const satisfies readonly (keyof Incident)[];
type RowLeftOut = (typeof INCIDENT_ROW_LEFT_OUT)[number];

/** The blank each required field left out of a row takes (optional ones are left out); `owner` is the owning force. */
const ROW_BLANKS = (owner: string): Omit<Incident, RowField | RowLeftOut> => ({
  description: '',
  callerName: '',
  callerNumber: '',
  pendingDowngrade: null,
  thrive: null,
  related: [],
  owner: null,
  closedBy: null,
  createdBy: owner,
  createdAtWorkstation: owner,
});

/** Every field a row withholds, by name (for tests: nothing withheld silently, nothing shown by accident). */
export const INCIDENT_ROW_WITHHELD = Object.keys(ROW_BLANKS('X')) as (keyof Incident)[];

/**
 * The incident as a list may show it, given the force's rules, the operator's force and now (ms): as it is when its
 * detail needs no reason; else its row, with `withheld` saying why.
 */
export function incidentRow<I extends Incident>(incident: I, config: JustificationConfig, force: string, now: number): I & { withheld?: string } {
  const why = reasonNeeded(config, { kind: 'incident', status: incident.status, force: incident.force }, force, now);
  if (!why) return incident;
  const shown: Record<string, unknown> = {};
  for (const field of INCIDENT_ROW_SHOWN) if (incident[field] !== undefined) shown[field] = incident[field];
  const extra = 'pending' in incident ? { pending: (incident as { pending: unknown }).pending } : {};
  return { ...(shown as Pick<Incident, RowField>), ...ROW_BLANKS(incident.force), ...extra, withheld: why } as I & { withheld: string };
}

/**
 * A call as a list of the room's calls may show it: as it is, unless it would be in a caller's history only with a
 * reason (older than the force's age for that, or another force's), when the caller's number and handset position
 * are blank: the list still says when it came, how it was answered and disposed of.
 */
export function contactRow<C extends Contact>(contact: C, config: JustificationConfig, force: string, now: number): C {
  if (!reasonNeeded(config, { kind: 'historyCall', receivedAt: contact.receivedAt, force: contact.force }, force, now)) return contact;
  return { ...contact, callerNumber: null, handsetLocation: null };
}

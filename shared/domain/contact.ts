import { z } from 'zod';
import { Name, Uuid } from './ids';
import { GeoPoint } from './location';
import { plainText } from './text';
import { Instant } from './time';

/** Where a contact came from. 999 always goes first in the queue, whatever arrived before it. */
export const ContactSource = z.enum(['999', '101', 'online', 'alarm', 'agency']);
export type ContactSource = z.infer<typeof ContactSource>;

export const contactSourceNames: Record<ContactSource, string> = {
  '999': '999 emergency',
  '101': '101 non-emergency',
  online: 'Online report',
  alarm: 'Alarm company',
  agency: 'Other agency',
};

/** The caller's position as the network or the handset gave it: never the incident's location until chosen. */
export const HandsetLocation = z.object({
  point: GeoPoint,
  /** Radius in metres within which the caller is (AML: typically under 50 m; a cell: kilometres). */
  accuracyM: z.number().nonnegative(),
  source: z.enum(['AML', 'cell', 'caller', 'other']),
  at: Instant,
});
export type HandsetLocation = z.infer<typeof HandsetLocation>;

export const ContactState = z.enum(['ringing', 'answered', 'abandoned', 'silent', 'completed']);
export type ContactState = z.infer<typeof ContactState>;

export const Contact = z.object({
  id: Uuid,
  source: ContactSource,
  callerNumber: plainText({ max: 40 }).nullable(),
  handsetLocation: HandsetLocation.nullable(),
  state: ContactState,
  receivedAt: Instant,
  /** The workstation the call was offered to. */
  workstation: Name,
  answeredAt: Instant.nullable(),
  answeredBy: Name.nullable(),
  endedAt: Instant.nullable(),
  /** The incident it created or was attached to. */
  incidentId: Uuid.nullable(),
  version: z.number().int().positive(),
});
export type Contact = z.infer<typeof Contact>;

const priority: Record<ContactSource, number> = { '999': 0, alarm: 1, agency: 2, '101': 3, online: 4 };

/** The order a queue is answered in: 999 first, then by kind, then the longest waiting. */
export function compareForQueue(a: Pick<Contact, 'source' | 'receivedAt'>, b: Pick<Contact, 'source' | 'receivedAt'>): number {
  return priority[a.source] - priority[b.source] || a.receivedAt.localeCompare(b.receivedAt);
}

/** A call-back that must be made: after an abandoned or silent 999 call, nothing is not an outcome. */
export const Task = z.object({
  id: Uuid,
  kind: z.enum(['call_back']),
  contactId: Uuid,
  callerNumber: z.string().nullable(),
  reason: z.string(),
  createdAt: Instant,
  state: z.enum(['open', 'done']),
  doneBy: Name.nullable(),
  doneAt: Instant.nullable(),
  outcome: z.string().nullable(),
  version: z.number().int().positive(),
});
export type Task = z.infer<typeof Task>;

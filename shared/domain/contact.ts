import { ForceCode } from './force';
import { z } from 'zod';
import { Name, Uuid } from './ids';
import { GeoPoint } from './location';
import { plainText } from './text';
import { Instant } from './time';
import { BackEntered } from './back-entry';

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

/**
 * How a call that made no incident was dealt with: a disposal from the force's list (advice given, a duplicate of
 * an incident, transferred to another agency…) and the handler's words. Every answered call ends in an incident or
 * one of these, so a call answered and never actioned cannot simply disappear.
 */
export const ContactDisposal = z.object({
  /** A code from the force's list (`calls.disposals` in its configuration). */
  code: z.string().min(1).max(16),
  note: z.string().min(1).max(1000),
  by: Name,
  at: Instant,
});
export type ContactDisposal = z.infer<typeof ContactDisposal>;

export const Contact = z.object({
  id: Uuid,
  /** The force that owns it (see shared/domain/partition.ts): who may see and change it. */
  force: ForceCode,
  source: ContactSource,
  callerNumber: plainText({ max: 40 }).nullable(),
  handsetLocation: HandsetLocation.nullable(),
  state: ContactState,
  receivedAt: Instant,
  /**
   * The workstation the call was offered to: the one whose telephony reported it (in an exercise, the trainer's,
   * which plays every call). Not where it is taken: see `answeredAtWorkstation`.
   */
  workstation: Name,
  answeredAt: Instant.nullable(),
  answeredBy: Name.nullable(),
  /**
   * The workstation it was answered at, where it is taken (null while ringing; absent from calls answered before it
   * was recorded, which were taken where they were offered: see takenAt).
   */
  answeredAtWorkstation: Name.nullable().default(null),
  endedAt: Instant.nullable(),
  /** The incident it created or was attached to. */
  incidentId: Uuid.nullable(),
  /** Ended without an incident: how, and why (absent from contacts recorded before disposals existed). */
  disposal: ContactDisposal.nullable().default(null),
  /**
   * A call answered on the handset while the system was down and written on paper, tied to its paper record in
   * catch-up (shared/domain/paper-calls.ts): `answeredAt` is the paper's time, and this says who entered it and when.
   */
  backEntered: BackEntered.optional(),
  version: z.number().int().positive(),
});
export type Contact = z.infer<typeof Contact>;

/**
 * An answered call that is on no incident and has no disposal: one still being taken, or one that was left
 * unrecorded. The supervisor sees these with their age.
 */
export function isUnrecorded(contact: Pick<Contact, 'state' | 'incidentId' | 'disposal'>): boolean {
  return (contact.state === 'answered' || contact.state === 'completed') && !contact.incidentId && !contact.disposal;
}

/**
 * The workstation a call is being (or was) taken at: the one that answered it; for a call answered before that was
 * recorded, the one it was offered to. Null while nobody has answered it. A call is its answering workstation's: Call
 * taking there takes it up (from any window, after a restart), and the trainer's desk shows it there.
 */
export function takenAt(contact: Pick<Contact, 'answeredBy' | 'workstation' | 'answeredAtWorkstation'>): string | null {
  if (contact.answeredBy === null) return null;
  return contact.answeredAtWorkstation ?? contact.workstation;
}

/** Whether `operator` answered the call at `workstation` (so it is theirs to take there). */
export function answeredHere(contact: Pick<Contact, 'answeredBy' | 'workstation' | 'answeredAtWorkstation'>, operator: string | null | undefined, workstation: string | null | undefined): boolean {
  return contact.answeredBy !== null && contact.answeredBy === operator && takenAt(contact) === workstation;
}

const priority: Record<ContactSource, number> = { '999': 0, alarm: 1, agency: 2, '101': 3, online: 4 };

/** The order a queue is answered in: 999 first, then by kind, then the longest waiting. */
export function compareForQueue(a: Pick<Contact, 'source' | 'receivedAt'>, b: Pick<Contact, 'source' | 'receivedAt'>): number {
  return priority[a.source] - priority[b.source] || a.receivedAt.localeCompare(b.receivedAt);
}

/**
 * call_back: ring the number back. no_call_back: the number was withheld or is unknown, so it cannot be rung back;
 * the task says what to do instead (the force's words, `calls.callBacks.withheldAdvice`).
 */
export const TaskKind = z.enum(['call_back', 'no_call_back']);
export type TaskKind = z.infer<typeof TaskKind>;

/** A call from the number that left the task: hung up before answer, or answered and silent. */
export const TaskCall = z.object({ contactId: Uuid, at: Instant, outcome: z.enum(['abandoned', 'silent']) });
export type TaskCall = z.infer<typeof TaskCall>;

/** A handler's attempt to ring the caller back that did not close the task (no answer, voicemail…). */
export const TaskAttempt = z.object({ id: Uuid, by: Name, at: Instant, result: z.string().min(1).max(500) });
export type TaskAttempt = z.infer<typeof TaskAttempt>;

/**
 * Who is working the task, so nobody else rings the same caller. It is in force until `until` (the claim, or its
 * holder's latest attempt, plus the force's lapse time) and simply not after: every workstation, and the server,
 * reads the same expiry, so no timer and no command is needed for a claim to lapse.
 */
export const TaskClaim = z.object({ by: Name, at: Instant, until: Instant });
export type TaskClaim = z.infer<typeof TaskClaim>;

/**
 * A call-back owed after abandoned or silent 999 calls: nothing is not an outcome. Calls from one number make one
 * task (its id derives from the number), listing every call and every attempt to ring back; a withheld or unknown
 * number gets a task of its own kind for each call.
 */
export const Task = z.object({
  id: Uuid,
  /** The force that owns it (see shared/domain/partition.ts): who may see and change it. */
  force: ForceCode,
  kind: TaskKind,
  /** The first call of the task (the others are in `calls`). */
  contactId: Uuid,
  callerNumber: z.string().nullable(),
  /** Why the task is open, in words: the latest call's. */
  reason: z.string(),
  /** When the task (re)opened: its first call's time. */
  createdAt: Instant,
  /** Every call from the number since the task (re)opened, oldest first. */
  calls: z.array(TaskCall).default([]),
  attempts: z.array(TaskAttempt).default([]),
  claim: TaskClaim.nullable().default(null),
  state: z.enum(['open', 'done']),
  doneBy: Name.nullable(),
  doneAt: Instant.nullable(),
  outcome: z.string().nullable(),
  version: z.number().int().positive(),
});
export type Task = z.infer<typeof Task>;

/**
 * A task as the rules read it. Stores hold documents as they were written, and one written before tasks listed
 * their calls, attempts and claim has none of them: it gets them empty.
 */
export function withTaskDefaults(doc: Task): Task {
  const old = doc as Partial<Pick<Task, 'calls' | 'attempts' | 'claim'>>;
  return { ...doc, calls: old.calls ?? [], attempts: old.attempts ?? [], claim: old.claim ?? null };
}

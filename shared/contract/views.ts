import { Share } from '../domain/share';
import { z } from 'zod';
import { ForceConfig } from '../domain/force-config';
import { Name, Uuid } from '../domain/ids';
import { Assignment } from '../domain/assignment';
import { Conflict } from '../domain/conflict';
import { Incident, LogEntry } from '../domain/incident';
import { Instant } from '../domain/time';
import { Unit } from '../domain/unit';
import { Operator, Role } from '../domain/operator';
import { Contact, Task } from '../domain/contact';
import { Marker } from '../domain/marker';
import { Refusal } from '../domain/refusal';
import { Loan } from '../domain/loan';
import { Arrangement } from '../domain/arrangement';
import { Transfer } from '../domain/transfer';
import { GeoPoint } from '../domain/location';

/** What the renderer sees of a record: the document, and whether the server has yet to confirm it. */
export type View<T> = T & { pending: boolean };

export const IncidentView = Incident.extend({
  pending: z.boolean(),
  /**
   * Present on a list row (a search, the list of all incidents) of an incident whose detail needs a reason first
   * (shared/domain/list-rows.ts): why. Its caller, description, risk assessment and who worked it are blank; the
   * detail, with them, comes from incidents.get given a reason.
   */
  withheld: z.string().optional(),
});
export type IncidentView = z.infer<typeof IncidentView>;

/**
 * A log line as the desk shows it. `seq`: the sequence the server wrote it at (the order the server accepted it),
 * absent while it is not on the server: the order the log is read in (shared/domain/incident.ts inReadingOrder).
 */
export const LogEntryView = LogEntry.extend({ pending: z.boolean(), seq: z.number().int().nonnegative().optional() });
export type LogEntryView = z.infer<typeof LogEntryView>;

export const UnitView = Unit.extend({ pending: z.boolean() });
export type UnitView = z.infer<typeof UnitView>;

export const AssignmentView = Assignment.extend({ pending: z.boolean() });
export type AssignmentView = z.infer<typeof AssignmentView>;

export const ConflictView = Conflict.extend({ pending: z.boolean() });
export type ConflictView = z.infer<typeof ConflictView>;

export const ContactView = Contact.extend({ pending: z.boolean() });
export type ContactView = z.infer<typeof ContactView>;

export const TaskView = Task.extend({ pending: z.boolean() });
export type TaskView = z.infer<typeof TaskView>;

export const LoanView = Loan.extend({ pending: z.boolean() });
export type LoanView = z.infer<typeof LoanView>;

export const ArrangementView = Arrangement.extend({ pending: z.boolean() });
export type ArrangementView = z.infer<typeof ArrangementView>;

export const TransferView = Transfer.extend({ pending: z.boolean() });
export type TransferView = z.infer<typeof TransferView>;

export const MarkerView = Marker.extend({ pending: z.boolean() });
export type MarkerView = z.infer<typeof MarkerView>;

/** `accountDeactivated`: its operator's account is inactive (as this workstation has it), so a sign-in cannot send it. */
export const RefusalView = Refusal.extend({ pending: z.boolean(), accountDeactivated: z.boolean() });
export type RefusalView = z.infer<typeof RefusalView>;

export const ShareView = Share.extend({ pending: z.boolean() });
export type ShareView = z.infer<typeof ShareView>;

/**
 * connecting: never reached the server since start. online: in step. offline: the last attempt failed.
 * reconnecting: trying again after being offline. blocked: the server answered, and will keep answering, that it
 * cannot take this workstation's requests until someone acts (see LinkBlock); not retried on a timer.
 */
export const ConnectionState = z.enum(['connecting', 'online', 'offline', 'reconnecting', 'blocked']);
export type ConnectionState = z.infer<typeof ConnectionState>;

/**
 * Why the link is blocked, so the status bar can say what to do. upgrade_workstation: the server needs a newer
 * workstation; upgrade_server: this workstation is newer than the server accepts; not_enrolled: the workstation has
 * no enrolment and no key to enrol with; enrolment_revoked: the server no longer knows this workstation and refused
 * to enrol it again; server_forgot: the server no longer has commands it had taken from this workstation, or changes
 * it had sent it (restored from an older copy); server_untrusted: the server's TLS certificate is not one this
 * workstation trusts (`detail` says why), so it does not talk to it; access_withdrawn: an administrator revoked this workstation (`withdrawn` says
 * when and why); wrong_mode: a training workstation and a live server, or the other way round (`detail` says which,
 * in the server's words); name_taken: a training server refused to enrol it under a name another workstation of the
 * exercise joined with (`detail`: the server's words, saying how to give it its own); refused: the server refuses its
 * requests for another reason (in `detail`).
 */
export const LinkBlock = z.object({
  kind: z.enum(['upgrade_workstation', 'upgrade_server', 'not_enrolled', 'enrolment_revoked', 'server_forgot', 'server_untrusted', 'access_withdrawn', 'wrong_mode', 'name_taken', 'refused']),
  /** The workstation schema versions the server accepts, when it said. */
  accepts: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
  /** The schema version this workstation speaks. */
  speaks: z.number().int(),
  /** The server's own words. */
  detail: z.string(),
  since: Instant,
  /** When the workstation will look again by itself (an operator may ask sooner). */
  nextCheckAt: Instant,
  /** For access_withdrawn: when the administrator revoked this workstation, and the reason they gave. */
  withdrawn: z.object({ at: Instant, reason: z.string() }).optional(),
});
export type LinkBlock = z.infer<typeof LinkBlock>;

export const SyncStatus = z.object({
  connection: ConnectionState,
  /** When the workstation last lost the server; null while online. */
  offlineSince: Instant.nullable(),
  /** Commands confirmed locally that the server has not yet processed. */
  pending: z.number().int().nonnegative(),
  /** Commands the server refused for good, waiting for an operator to redo or dismiss them. */
  deadLetters: z.number().int().nonnegative(),
  /** Of those, commands withdrawn because they were too large for the server. */
  tooLarge: z.number().int().nonnegative(),
  /**
   * Commands refused for their operator's sign-in: held, by operator, until that operator signs in again, or a
   * supervisor redoes or dismisses them (shared/domain/held-words.ts: all a deactivated account's can wait for).
   */
  held: z.array(z.object({ operator: Name, commands: z.number().int().positive(), accountDeactivated: z.boolean(), reason: z.string().nullable() })),
  /** Why the link is blocked, while it is. */
  blocked: LinkBlock.nullable(),
  /** Conflicts waiting in the inbox. */
  conflicts: z.number().int().nonnegative(),
  /** While a long pull is under way (back after hours away): how far it has got. */
  catchUp: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).nullable(),
  lastSyncedAt: Instant.nullable(),
  /** The last error met talking to the server, for the status bar's tooltip. */
  lastError: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const Session = z.object({
  workstation: Name,
  clientId: Uuid,
  host: z.enum(['electron', 'browser']),
  serverUrl: z.string(),
  /** Who is signed in here, or null: nothing but signing in is possible until someone is. */
  operator: Operator.nullable(),
  /** offline: the password was checked by this workstation because the server could not be reached. */
  signInMode: z.enum(['online', 'offline']).nullable(),
  /** The name to offer on the sign-in screen (the --operator option). */
  suggestedOperator: z.string().nullable(),
  /** Why the last operator was signed out by the console rather than by themselves (their account deactivated). */
  notice: z.string().nullable().default(null),
  /**
   * A demonstration or training force's accounts, for its sign-in screen: those still active, with their roles as
   * they stand on this workstation; null for a live force, which lists none.
   */
  signInAccounts: z.array(z.object({ name: z.string(), roles: z.array(Role) })).nullable().default(null),
});
export type Session = z.infer<typeof Session>;

export { ForceConfig };

/** A vehicle's last reported position (AVL), as windows receive it. */
export const UnitFixView = z.object({
  unitId: z.string(),
  point: GeoPoint,
  at: Instant,
  speedKmh: z.number().nonnegative(),
  headingDeg: z.number().nullable(),
});
export type UnitFixView = z.infer<typeof UnitFixView>;

export const RecommendationView = z.object({
  incidentId: z.string(),
  proposals: z.array(
    z.object({
      unitId: z.string(),
      callSign: z.string(),
      etaSeconds: z.number().nullable(),
      distanceM: z.number().nullable(),
      reasons: z.array(z.string()),
      shiftEndsDuringJob: z.boolean(),
      unitVersion: z.number().int().positive(),
    }),
  ),
  wanted: z.number().int().positive(),
  needs: z.string(),
  busy: z.array(z.object({ callSign: z.string(), status: z.string() })),
});
export type RecommendationView = z.infer<typeof RecommendationView>;

/** An operator's account as the force administrator sees it: the replicated record, and its lockout from the server. */
export const AccountView = Operator.extend({
  pending: z.boolean(),
  /** Null when the server could not be asked. */
  locked: z.boolean().nullable(),
  lockedUntil: Instant.nullable(),
});
export type AccountView = z.infer<typeof AccountView>;

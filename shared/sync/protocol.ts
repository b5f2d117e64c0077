import { z } from 'zod';
import { Name, Uuid } from '../domain/ids';
import { Instant } from '../domain/time';
import { Operator } from '../domain/operator';
import { RedoOf } from '../domain/refusal';
import { Relay } from '../domain/relay';
import { ForceCode } from '../domain/force';
import { ExerciseClockState } from '../domain/exercise-clock';

/**
 * The sync protocol between a workstation and the central server. Commands go up, record documents come down,
 * the server's global sequence orders everything.
 */

/**
 * The version of the command envelope and record documents this build speaks. 2: a command refused because its
 * sign-in ticket was not good is answered `unauthenticated` (held for its operator to sign in again), not
 * `forbidden`; a workstation may withdraw a command the server cannot take (see CommandWithdrawal). 3: call-back
 * tasks may be of kind `no_call_back` (a withheld or unknown number), and list their calls, attempts and claim;
 * contacts carry a disposal; every refusal is a `refusal` record the whole room receives, and a command may redo one
 * (`redoOf`); a workstation of an older version is sent no refusal records, which it could not read. 4: a command
 * may be a relay of a unit's terminal or of the telephony switch (`relay`), carried without a sign-in ticket; a server before 4 would hold it
 * for a sign-in nobody can make, so it refuses version 4 and the workstation says to update the server. 5: every
 * record document names its owning force (`force`), and an enrolment names the workstation's force; a server before
 * 5 sends documents without one, which a workstation of 5 could not read, so it refuses version 5. 6: the live
 * channel may carry the changes themselves (LiveMessage `changes`, see LiveChanges) to a workstation that opened it
 * saying it speaks 6 (`?schemaVersion=6`); an older one is poked as before. 7: records of another force: `share`
 * records and the incidents shared with the workstation's force (cut to the share's tier, `sharedView` saying so),
 * unit loans between forces (`loan` records; a unit may carry `loan` and `loanEnded`, an assignment `unitForce`), and
 * withdrawals (a change with a null document: the workstation deletes the record, one its force may no longer hold);
 * a workstation before 7 is sent none of these, only its own force's. 8: `arrangement` records (standing sharing
 * arrangements both forces' administrators approve) and `transfer` records (an incident offered to another force);
 * a workstation before 8 is sent neither. 8 also carries the paper records of catch-up after an outage (`assignment.record`,
 * and `paper` on `incident.create`): a server before 8 would refuse the first and drop the second's times, so it
 * refuses version 8 and the workstation says to update the server. 9: a call answered on the handset while the system
 * was down, tied in catch-up to its paper record (`contact.answerOnPaper`; the contact carries `backEntered`): a
 * server before 9 would refuse the command as unknown, and the review would go on counting the call unanswered, so it
 * refuses version 9 and the workstation says to update the server; a workstation before 9 reads the contact answered
 * at the paper's time, without the mark. 10: a share may have come from a transfer (`how: 'transfer'`, the view the
 * former owner keeps); a workstation before 10 would refuse the whole page for that one word, so it is sent such a
 * share as one made by hand (server/changes-for.ts changeForClient), which it can read.
 */
export const SCHEMA_VERSION = 10;
/** The first schema version whose workstations read a share made by a transfer (`how: 'transfer'`). */
export const TRANSFER_SHARES_SINCE_VERSION = 10;
/** The first schema version whose workstations are sent standing arrangements and offers of incidents. */
export const ARRANGEMENTS_SINCE_VERSION = 8;
/** The first schema version whose workstations are sent the changes over the live channel instead of pokes. */
export const LIVE_CHANGES_SINCE_VERSION = 6;
/** The oldest client schema version this build's server still accepts (so workstations upgrade one at a time). */
export const MIN_CLIENT_SCHEMA_VERSION = 1;

export const CommandEnvelope = z.object({
  commandId: Uuid,
  clientId: Uuid,
  /** 1, 2, 3… per client: the server applies each once and in order. */
  clientSeq: z.number().int().positive(),
  name: z.string().min(1).max(64),
  args: z.unknown(),
  issuedAt: Instant,
  operator: Name,
  /**
   * The server's signed proof that this operator signed in at this workstation (see server/access/tickets.ts). Empty
   * for a relay, which no operator issued.
   */
  ticket: z.string().max(2000),
  workstation: Name,
  schemaVersion: z.number().int().positive(),
  /** The refused command this one does again, if it does one (see RedoOf). */
  redoOf: RedoOf.optional(),
  /**
   * Present when the workstation passes the command on for a unit's terminal or the telephony switch (see
   * shared/domain/relay.ts): then `operator` is the relay's name ("terminal DM-11", "telephony"), and the server takes
   * it on the workstation's device token and the relay's allowlist instead of a ticket.
   */
  relay: Relay.optional(),
  /**
   * The workstation made the command on its own, with no keystroke of the operator signed in (`operator`): a
   * refusal marked sent again at sign-in. Taken only for the commands shared/domain/automatic.ts allows; the audit
   * log names the system for it, while that operator was signed in. A server that predates it ignores it.
   */
  automatic: z.literal(true).optional(),
  /**
   * The earlier commands of this workstation, not yet on the server when this one was issued, that made the records
   * this one acts on (a deployment made offline, then the crew's receipt for it): for each such record, the first
   * command that touched it. If the server refused the one that would have made the record this one is refused for
   * lacking (its arguments name it), this one is kept on that command's conflict (Conflict.followedBy) rather than
   * made a conflict of its own. A server that predates it ignores it.
   */
  follows: z.array(Uuid).min(1).max(16).optional(),
});
export type CommandEnvelope = z.infer<typeof CommandEnvelope>;

/**
 * Sent in a command's place when the workstation gives up on sending it (the server, or a proxy before it, refused
 * a request holding it alone as too large): the server records it as refused, with the reason, so the commands
 * after it are not left waiting for it. A server that predates it records it as malformed, which has the same effect.
 */
export const CommandWithdrawal = z.object({
  commandId: Uuid,
  clientSeq: z.number().int().positive(),
  withdrawn: z.string().min(1).max(500),
  /** What the withdrawn command was, and who issued it when, for the refusal the room sees (absent before version 3). */
  name: z.string().min(1).max(64).optional(),
  operator: Name.optional(),
  issuedAt: Instant.optional(),
  /**
   * Withdrawn because a record it named was erased before it was sent (main/store/erased-content.ts): its arguments
   * went with the record, and it was not too large. A server that predates it records it as too large.
   */
  erased: z.literal(true).optional(),
});
export type CommandWithdrawal = z.infer<typeof CommandWithdrawal>;

export const PushRequest = z.object({
  clientId: Uuid,
  schemaVersion: z.number().int().positive(),
  commands: z.array(z.union([CommandEnvelope, CommandWithdrawal])).min(1).max(500),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const CommandOutcome = z.discriminatedUnion('status', [
  z.object({ commandId: Uuid, clientSeq: z.number().int(), status: z.literal('applied'), seq: z.number().int() }),
  z.object({
    commandId: Uuid,
    clientSeq: z.number().int(),
    status: z.literal('rejected'),
    code: z.enum(['invalid', 'not_found', 'forbidden', 'conflict', 'unauthenticated']),
    reason: z.string(),
  }),
]);
export type CommandOutcome = z.infer<typeof CommandOutcome>;

export const PushResponse = z.object({
  outcomes: z.array(CommandOutcome),
  /** The highest clientSeq of this client the server has processed (applied or rejected). */
  lastClientSeq: z.number().int().nonnegative(),
});
export type PushResponse = z.infer<typeof PushResponse>;

/**
 * One record's document at a sequence. A document of null is a withdrawal (schema 7): the workstation may hold the
 * record no more (another force's incident whose share was revoked) and deletes it, from its view and its copy of
 * the server's records alike. A workstation before 7 is sent no other force's records, so never a withdrawal.
 */
export const RecordChange = z.object({
  seq: z.number().int().positive(),
  kind: z.string(),
  id: z.string(),
  doc: z.unknown(),
  /**
   * On a withdrawal: the record was erased (shared/domain/erasure.ts), not merely withdrawn from this force (a share
   * revoked, a lent unit returned). The workstation then clears whatever else it holds that names the record: the
   * arguments of its commands, sent or not, and its drafts (main/store/erased-content.ts). Absent from a server
   * that predates it (its workstations then delete the record alone, as before); a workstation that predates it
   * ignores it.
   */
  erased: z.literal(true).optional(),
});
export type RecordChange = z.infer<typeof RecordChange>;

/** Whether a change withdraws its record from the workstation (see RecordChange). */
export function isWithdrawal(change: Pick<RecordChange, 'doc'>): boolean {
  return change.doc === null;
}

/** The first schema version whose workstations are sent other forces' records (shared incidents, lent units), loans and withdrawals. */
export const OTHER_FORCES_SINCE_VERSION = 7;

export const PullResponse = z.object({
  /** Echo of the cursor asked for: a workstation refuses a page that does not start where it stands. */
  since: z.number().int().nonnegative(),
  /** The cursor after this page. */
  upTo: z.number().int().nonnegative(),
  /** The server's newest sequence when the page was read. */
  head: z.number().int().nonnegative(),
  changes: z.array(RecordChange),
  hasMore: z.boolean(),
  /** For the asking client: the highest of its commands the server has processed, read in the same snapshot. */
  lastClientSeq: z.number().int().nonnegative(),
  /** For the asking client: its commands the server refused, after the clientSeq it named. */
  rejected: z.array(CommandOutcome),
});
export type PullResponse = z.infer<typeof PullResponse>;

/**
 * Whether a server (and a workstation) is for live work or a training exercise. Every request a workstation makes says
 * its mode in the MODE_HEADER (absent: live, as every build before training spoke); a server refuses the other mode's
 * workstations with 409 and ModeMismatch, so an exercise can never write into live data, nor a live desk into an
 * exercise.
 */
export const ServerMode = z.enum(['live', 'training']);
export type ServerMode = z.infer<typeof ServerMode>;
export const MODE_HEADER = 'cordon-mode';
export const ModeMismatch = z.object({ error: z.string(), serverMode: ServerMode });
export type ModeMismatch = z.infer<typeof ModeMismatch>;

/**
 * A training server's refusal (409) of an enrolment under a workstation name another workstation of the exercise
 * already joined with (another machine, or another data folder): one name, one row on the trainer's desk and one
 * target of a network cut. `error` says what to do (start it with --workstation and a name of its own).
 */
export const WorkstationNameTaken = z.object({ error: z.string(), workstationNameTaken: Name });
export type WorkstationNameTaken = z.infer<typeof WorkstationNameTaken>;

/**
 * The changes committed after `since` up to and including `upTo` that the workstation's force may see (all of them:
 * the range is whole for it), as the server sends them over the live channel to a workstation that may be at its
 * head, so that it need not pull. `since` is where the last batch its force was sent ended: a force is sent nothing
 * about changes it may not see. A workstation takes a batch whose range reaches past its cursor without a gap before
 * it (since <= cursor < upTo), applying only the changes after its cursor; anything else (a batch lost, late, or a
 * workstation behind) it answers with a pull from its cursor, which fills any gap, and a batch it holds already it
 * ignores. `head` is the newest sequence when the batch was read.
 */
export const LiveChanges = z.object({
  type: z.literal('changes'),
  since: z.number().int().nonnegative(),
  upTo: z.number().int().nonnegative(),
  head: z.number().int().nonnegative(),
  changes: z.array(RecordChange),
});
export type LiveChanges = z.infer<typeof LiveChanges>;

/**
 * Pushed over the live WebSocket. `poke`: "there is something newer than you have" (to workstations before
 * LIVE_CHANGES_SINCE_VERSION, and to all when a batch would be too large); `changes`: the changes themselves;
 * `hello`: on opening, the head. The change table is the record: any of them lost costs a pull, never a change. A
 * training server says so in its hello, with the exercise clock, and sends `exercise` whenever the trainer starts,
 * pauses or speeds it, so every trainee's workstation keeps the one exercise time.
 */
export const LiveMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('poke'), head: z.number().int().nonnegative() }),
  z.object({ type: z.literal('hello'), head: z.number().int().nonnegative(), serverTime: Instant, mode: ServerMode.optional(), exercise: ExerciseClockState.optional() }),
  z.object({ type: z.literal('exercise'), head: z.number().int().nonnegative(), exercise: ExerciseClockState }),
  LiveChanges,
]);
export type LiveMessage = z.infer<typeof LiveMessage>;

/**
 * How a workstation may ask to be sent its batches of changes (the live channel's query `encoding`). `deflate`: each
 * `changes` message as a binary frame holding its JSON compressed with raw DEFLATE (RFC 1951), compressed once for
 * all the workstations of an audience; every other message stays a text frame. Asked for, not implied by the schema
 * version: a server that does not know it sends text, which the workstation reads as before. Why: under a busy
 * room's fan-out most of the server's time is writing the same batch to hundreds of channels, and that time follows
 * the bytes (measured: `npm run bench -- server-load`, issue 15).
 */
export const LIVE_ENCODINGS = ['deflate'] as const;
export type LiveEncoding = (typeof LIVE_ENCODINGS)[number];
/**
 * The most bytes one compressed batch may open to: the live channel's own limit for a text frame (ws's default
 * maxPayload, 100 MiB), so a frame that would open larger is refused as a text one that size would be.
 */
export const MAX_LIVE_MESSAGE_BYTES = 100 * 1024 * 1024;

/** A workstation joins the server once, with the enrolment key its administrator gave it. */
/**
 * `force`: the force the workstation serves (its configuration's code). A workstation before version 5 names none,
 * and is enrolled only by a server of one force, for that force; a server of several refuses it.
 */
export const EnrolRequest = z.object({ clientId: Uuid, workstation: Name, enrolmentKey: z.string().min(1).max(200), force: ForceCode.optional() });
/**
 * The device token, and the generation of provisional references this enrolment is to mint (see
 * provisionalReference): each enrolment under one workstation name gets the next. Absent from an older server.
 */
export const EnrolResponse = z.object({ deviceToken: z.string().min(32), referenceGeneration: z.number().int().positive().optional() });
export type EnrolResponse = z.infer<typeof EnrolResponse>;

export const SignInRequest = z.object({ operator: Name, password: z.string().min(1).max(200) });
export const SignInResponse = z.object({
  ticket: z.string(),
  expiresAt: Instant,
  operator: Operator,
});
export type SignInResponse = z.infer<typeof SignInResponse>;

export const PROTOCOL_PATHS = {
  health: '/healthz',
  enrol: '/v1/enrol',
  signIn: '/v1/sign-in',
  push: '/v1/push',
  pull: '/v1/pull',
  live: '/v1/live',
  /** A force administrator's requests the server alone can answer: passwords, lockouts (admin-protocol.ts). */
  admin: '/v1/admin',
} as const;

export const ApiFailure = z.object({ error: z.string(), detail: z.string().optional() });

/**
 * The body of a 403 to a workstation an administrator revoked: when and why, for it to tell its operator that its
 * access was withdrawn (not that its key is wrong). Its live channel is closed with LIVE_ACCESS_WITHDRAWN.
 */
export const AccessWithdrawn = z.object({ error: z.string(), revoked: z.object({ at: Instant, reason: z.string() }) });
export type AccessWithdrawn = z.infer<typeof AccessWithdrawn>;
/** The WebSocket close code of a live channel closed because its workstation was revoked (4000-4999: the application's). */
export const LIVE_ACCESS_WITHDRAWN = 4403;
export type ApiFailure = z.infer<typeof ApiFailure>;

/** The body of a 426 answer: the schema versions the server accepts, so the workstation can say which side to update. */
export const UpgradeRequired = z.object({ error: z.string(), accepts: z.object({ min: z.number().int(), max: z.number().int() }) });
export type UpgradeRequired = z.infer<typeof UpgradeRequired>;

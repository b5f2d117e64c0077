import { ErasableKind, ErasureReason } from '../domain/erasure';
import { ForceCode } from '../domain/force';
import { ShareReason, ShareTier } from '../domain/share';
import { z } from 'zod';
import { AssignmentStatus } from '../domain/assignment';
import { ForceConfig } from '../domain/force-config';
import { DescriptiveFields, LogText } from '../domain/incident';
import { IncidentLocation } from '../domain/location';
import { Name, Uuid } from '../domain/ids';
import { DismissReason } from '../commands/refusal-handle';
import { ReopenReason } from '../commands/incident-reopen';
import { Instant } from '../domain/time';
import { ConsultationReason } from '../domain/consultation';
import { GradedMoment, LocatedMoment } from '../commands/moment-recorded';
import { ArrangementView, TransferView } from './views';
import { ArrangementReason } from '../domain/arrangement';
import { TransferReason } from '../domain/transfer';
import { AccountView, AssignmentView, ConflictView, ContactView, IncidentView, LoanView, LogEntryView, MarkerView, RecommendationView, RefusalView, Session, ShareView, SyncStatus, TaskView, UnitFixView, UnitView } from './views';
import { UnitDuty } from '../domain/unit';
import { DeskLayout, WindowBounds, WindowRole } from '../domain/desk-layout';
import { ContactSource } from '../domain/contact';
import { GeoPoint } from '../domain/location';
import { WarningKind } from '../domain/marker';
import { ThriveAnswer } from '../domain/thrive';
import { plainText } from '../domain/text';
import { AreaManifest } from '../area/manifest';
import { GazetteerResult } from '../gazetteer/entry';
import { CHANNEL_NAMES, type ChannelNameList } from './channel-names';
import { StoreHealth } from './store-health';
import { Role } from '../domain/operator';
import { ExerciseClockState, ExerciseSpeed } from '../domain/exercise-clock';
import { ExerciseStatus, ExerciseTimeline } from '../training/exercise-view';
import { ExerciseReview } from '../training/review-view';
import { TraineeView } from '../training/exercise-room';
import { AUDIT_PAGE_MAX, AuditExportResponse, AuditPurpose, AuditQueryResponse, AuditQuestion, AuditReason } from '../sync/audit-protocol';
import { MeasureWindow, MeasuresResponse } from '../sync/measures-protocol';
import { CatchUpStatus, PaperCallAttachRequest, PaperIncidentRequest } from './catch-up';
import { LoanAsk } from '../domain/loan';

const none = z.object({}).strict();
/**
 * A password on its way to the server: never trimmed (spaces count). The force's rule (shared/domain/password-rules.ts)
 * is checked in the core and on the server; its length limit is repeated here so the contract does not carry the
 * rule's common-password list into every window.
 */
const AdminPassword = z.string().min(1, 'enter a password').max(200, 'at most 200 characters');
const Version = z.number().int().positive();

/** A command the server refused (or this workstation withdrew), as the refused list shows it. */
export const DeadLetterView = z.object({
  commandId: Uuid,
  name: z.string(),
  args: z.unknown(),
  issuedAt: Instant,
  /** Who issued it: they, or a supervisor, may redo or dismiss it. */
  operator: Name,
  code: z.string(),
  reason: z.string(),
  /** Refused for its operator's sign-in: held, and sent again when they sign in again. */
  held: z.boolean(),
  /** Its operator's account is deactivated (as this workstation has it): signing in again cannot send it. */
  accountDeactivated: z.boolean(),
  /** Withdrawn by this workstation: too large for the server to take. */
  tooLarge: z.boolean(),
});
export type DeadLetterView = z.infer<typeof DeadLetterView>;

/** A refused command someone has handled: what they did, when, and why. */
export const HandledRefusalView = DeadLetterView.extend({
  action: z.enum(['redone', 'dismissed', 'resent']),
  by: Name,
  at: Instant,
  handledReason: z.string(),
  /** The command that did it again (redone) or carried it again (resent). */
  redoneAs: Uuid.nullable(),
});
export type HandledRefusalView = z.infer<typeof HandledRefusalView>;

/**
 * The API between a renderer window and the console core: every request channel and every pushed event, each
 * with its schema, declared once. Both hosts register exactly these channels; every message is validated on
 * arrival at either end. The renderer knows nothing else of the core.
 *
 * Contended actions carry the version of the record the operator was looking at: the server compares it, and a
 * stale one loses visibly (the conflict inbox) instead of overwriting what someone else did.
 */
export const channels = {
  'session.get': { request: none, response: Session },
  'session.signIn': {
    request: z.object({ operator: z.string().trim().min(1, 'enter your name'), password: z.string().min(1, 'enter your password').max(200) }).strict(),
    response: Session,
  },
  'session.signOut': { request: none, response: Session },
  'config.get': { request: none, response: ForceConfig },
  /** The core's time: windows count durations from it, not from their machine's clock (tests and exercises move it). */
  'clock.now': {
    request: none,
    /** `exercise`: a training workstation's exercise clock, from which a window reckons the time as it pauses and speeds. */
    response: z.object({ now: Instant, exercise: ExerciseClockState.optional() }),
  },
  /** Whether this is a training workstation, and its exercise's clock: null on a live one. Every window marks training. */
  'exercise.status': { request: none, response: ExerciseStatus.nullable() },
  /** What the desk knows of its last outage, and whether it offers (or is in) catch-up (shared/contract/catch-up.ts). */
  'catchUp.status': { request: none, response: CatchUpStatus },
  /**
   * Starts catch-up, to enter the records kept on paper: for the outage the desk saw (default) or, on a desk that saw
   * none (it was off too), from `from`, when the system went down; refused (bad_request) if `from` is still to come.
   */
  'catchUp.start': { request: z.object({ from: Instant.optional() }).strict(), response: CatchUpStatus },
  /** Ends catch-up: the paper is all entered; the outage is forgotten. */
  'catchUp.finish': { request: none, response: CatchUpStatus },
  /**
   * In catch-up: an incident kept on paper, with its log lines and deployments, each at its paper time, saved together
   * as back-entered records; refused (bad_request, naming the field) if any time is not a time of the outage.
   */
  'catchUp.enterIncident': { request: PaperIncidentRequest, response: z.object({ incident: IncidentView }) },
  /**
   * In catch-up: the calls that rang while the system was down and nobody has dealt with at a desk (on no incident,
   * not answered, not ended), oldest first: those a paper record may say it came from (shared/domain/paper-calls.ts).
   */
  'catchUp.outageCalls': { request: none, response: z.object({ calls: z.array(ContactView) }) },
  /**
   * In catch-up: a further call that rang while the system was down, answered on paper and noted on an incident
   * already there, attached to it as answered at its paper time; refused (bad_request, naming the field) if it cannot be.
   */
  'catchUp.attachCall': { request: PaperCallAttachRequest, response: z.object({ incident: IncidentView }) },
  /** The trainer's desk only: the scenario's timeline, what has happened, and the notes hidden from trainees. */
  'exercise.timeline': { request: none, response: ExerciseTimeline },
  /** The trainer's desk only: the trainees who have joined, their roles, and what each is doing now. */
  'exercise.trainees': { request: none, response: z.array(TraineeView) },
  /** The trainer's desk only: start, pause, resume, speed, jump to the next inject, an inject now, a call by hand. */
  'exercise.control': {
    request: z.discriminatedUnion('action', [
      z.object({ action: z.enum(['start', 'pause', 'resume', 'next']) }).strict(),
      z.object({ action: z.literal('speed'), speed: ExerciseSpeed }).strict(),
      z.object({ action: z.literal('injectNow'), index: z.number().int().nonnegative() }).strict(),
      z.object({ action: z.literal('addCall'), source: ContactSource, callerNumber: z.string().trim().max(40).nullable() }).strict(),
    ]),
    response: ExerciseStatus,
  },
  /**
   * The next instant the force's clocks show a typed time ("15:30", "01:30 GMT"), by the core's clock; refused with
   * the reason where that time does not exist or comes twice.
   */
  'clock.nextTime': { request: z.object({ text: z.string().trim().min(1).max(20) }).strict(), response: z.object({ at: Instant }) },
  /**
   * The incidents, open or all: a list, so a closed incident or another force's is its row only (shared/domain/list-rows.ts:
   * `withheld` says why), its detail coming from incidents.get with a reason.
   */
  'incidents.list': {
    request: z.object({ status: z.enum(['open', 'all']).default('open') }).strict(),
    response: z.object({ incidents: z.array(IncidentView) }),
  },
  /**
   * An incident's detail, recorded as a consultation (DPA 2018 s.62). Where the force asks for a reason (a closed
   * incident, by default) and none is given, refused with `reason_needed`; the reason given goes into the entry.
   */
  'incidents.get': {
    request: z.object({ id: Uuid, reason: ConsultationReason.nullable().default(null) }).strict(),
    response: z.object({ incident: IncidentView, log: z.array(LogEntryView), assignments: z.array(AssignmentView) }),
  },
  /**
   * A search of past incidents by reference: one that finds any is recorded as a consultation. The results are a
   * list: an incident whose detail needs a reason is found as its row (shared/domain/list-rows.ts).
   */
  'incidents.find': {
    request: z.object({ reference: z.string().trim().min(1).max(40), reason: ConsultationReason.nullable().default(null) }).strict(),
    response: z.object({ incidents: z.array(IncidentView) }),
  },
  'incidents.create': {
    request: z
      .object({
        type: z.string().min(1, 'choose an incident type'),
        location: IncidentLocation,
        grade: z.string().min(1, 'choose a grade'),
        firstLog: LogText.nullable(),
        /** The call being taken, if the incident comes from one. */
        contactId: Uuid.nullable().default(null),
        description: plainText({ max: 2000, multiline: true }).default(''),
        callerName: plainText({ max: 120 }).default(''),
        callerNumber: plainText({ max: 40 }).default(''),
        /** THRIVE answers given while taking the call, recorded with the incident. */
        thrive: z.array(ThriveAnswer).max(40).default([]),
        /** Resolved without deployment (advice given, referred): closed at once with this closing code. */
        resolveWith: z.string().min(1).nullable().default(null),
      })
      .strict(),
    response: z.object({ incident: IncidentView }),
  },
  'incidents.regrade': {
    request: z.object({ incidentId: Uuid, grade: z.string().min(1), reason: plainText({ max: 500 }).default('') }).strict(),
    response: z.object({ incident: IncidentView }),
  },
  'incidents.decideDowngrade': {
    request: z.object({ incidentId: Uuid, approve: z.boolean(), note: plainText({ max: 500 }).default('') }).strict(),
    response: z.object({ incident: IncidentView }),
  },
  'incidents.assessRisk': {
    request: z.object({ incidentId: Uuid, answers: z.array(ThriveAnswer).min(1).max(40) }).strict(),
    response: z.object({ incident: IncidentView }),
  },
  'incidents.link': {
    request: z.object({ incidentId: Uuid, otherId: Uuid, unlink: z.boolean().default(false) }).strict(),
    response: z.object({ incident: IncidentView }),
  },
  /** Open incidents that may be the event being reported: near in space and time, similar, or the same caller. */
  'incidents.duplicates': {
    request: z.object({ point: GeoPoint.nullable(), type: z.string().nullable(), callerNumber: z.string().max(40).nullable() }).strict(),
    response: z.object({ proposals: z.array(z.object({ incident: IncidentView, score: z.number(), reasons: z.array(z.string()) })) }),
  },
  /**
   * What is known at a place and of a caller: earlier incidents, earlier calls, warning markers; recorded as a
   * consultation of the caller's and of the location's history where it shows any. A caller's calls older than the
   * force's justification age, and another force's calls, are left out without a reason (`olderCallsWithheld` says
   * why and how many), as are another force's incidents at the place (`incidentsWithheld`), and shown with one; the
   * place's warnings and the force's own incidents there are never held back for it. The call being answered
   * (`answering`) is left out of the caller's calls: taking a call is not a look at its caller's history.
   */
  'history.lookup': {
    request: z
      .object({
        point: GeoPoint.nullable(),
        locationText: z.string().max(200).nullable(),
        callerNumber: z.string().max(40).nullable(),
        reason: ConsultationReason.nullable().default(null),
        /** The call being taken, if any: not part of its caller's history, so neither shown nor recorded as looked at. */
        answering: Uuid.nullable().default(null),
      })
      .strict(),
    response: z.object({
      incidents: z.array(IncidentView),
      contacts: z.array(ContactView),
      markers: z.array(MarkerView),
      /** The caller's calls left out for want of a reason (older than the force's age, or another force's). */
      olderCallsWithheld: z.object({ count: z.number().int().positive(), why: z.string() }).nullable(),
      /** The place's incidents left out for want of a reason (another force's). */
      incidentsWithheld: z.object({ count: z.number().int().positive(), why: z.string() }).nullable(),
    }),
  },
  /** Calls ringing and calls being taken, 999 first. */
  'contacts.queue': { request: none, response: z.object({ contacts: z.array(ContactView) }) },
  'contacts.answer': { request: z.object({ contactId: Uuid }).strict(), response: z.object({ contact: ContactView }) },
  /**
   * Ends the call being taken without an incident: silent (a call-back task follows), or completed, which needs a
   * disposal from the force's list and a note of what was done.
   */
  'contacts.end': {
    request: z
      .object({
        contactId: Uuid,
        outcome: z.enum(['silent', 'completed']),
        disposal: z.object({ code: z.string().min(1).max(16), note: plainText({ min: 1, max: 1000, multiline: true, empty: 'say what was done' }) }).strict().optional(),
      })
      .strict(),
    response: z.object({ contact: ContactView }),
  },
  'contacts.attach': { request: z.object({ contactId: Uuid, incidentId: Uuid }).strict(), response: z.object({ contact: ContactView }) },
  /**
   * The handler has located the call or chosen its grade on the form, before saving: recorded then, with the time
   * (a `moment.recorded` for the after-action review); the same choice again is not recorded twice.
   */
  'contacts.progress': { request: z.discriminatedUnion('what', [LocatedMoment, GradedMoment]), response: z.object({}) },
  /** A report that does not come by phone (online, by an agency): made a contact by hand. */
  'contacts.record': {
    request: z.object({ source: ContactSource, callerNumber: plainText({ max: 40 }).nullable() }).strict(),
    response: z.object({ contact: ContactView }),
  },
  /** Answered calls on no incident and with no disposal (being taken, or left unrecorded), oldest first. */
  'contacts.unrecorded': { request: none, response: z.object({ contacts: z.array(ContactView) }) },
  /** Calls ended without an incident since the instant given, with their disposals: the report of them. */
  'contacts.disposed': { request: z.object({ since: Instant }).strict(), response: z.object({ contacts: z.array(ContactView) }) },
  'tasks.list': { request: none, response: z.object({ tasks: z.array(TaskView) }) },
  /** Claims a call-back as the handler saw it (its version): others see it taken; a stale claim is a conflict. */
  'tasks.claim': { request: z.object({ taskId: Uuid, taskVersion: Version }).strict(), response: z.object({ task: TaskView }) },
  /** A ring-back that did not settle the call-back (no answer, voicemail), kept on the task with its time. */
  'tasks.attempt': {
    request: z.object({ taskId: Uuid, result: plainText({ min: 1, max: 500, empty: 'say what happened (no answer, voicemail…)' }) }).strict(),
    response: z.object({ task: TaskView }),
  },
  'tasks.complete': { request: z.object({ taskId: Uuid, outcome: plainText({ min: 1, max: 500, empty: 'say what came of it' }) }).strict(), response: z.object({ task: TaskView }) },
  'markers.list': { request: none, response: z.object({ markers: z.array(MarkerView) }) },
  'markers.add': {
    request: z
      .object({ point: GeoPoint, radiusM: z.number().positive().max(2000), address: plainText({ min: 1, max: 200 }), warnings: z.array(WarningKind).min(1), note: plainText({ max: 500, multiline: true }).default('') })
      .strict(),
    response: z.object({ marker: MarkerView }),
  },
  /** A half-filled form, kept on this workstation so a crash mid-call loses nothing. */
  'drafts.get': { request: z.object({ key: z.string().min(1).max(64) }).strict(), response: z.object({ data: z.unknown().nullable(), savedAt: Instant.nullable() }) },
  'drafts.save': { request: z.object({ key: z.string().min(1).max(64), data: z.unknown() }).strict(), response: z.object({ savedAt: Instant }) },
  'drafts.clear': { request: z.object({ key: z.string().min(1).max(64) }).strict(), response: z.object({}) },
  /** Each window says where it is (and when it closes), so the desk can be saved as it stands. */
  'desk.report': {
    request: z.object({ windowId: z.string().min(1).max(64), role: WindowRole, bounds: WindowBounds.nullable() }).strict(),
    response: z.object({}),
  },
  /** Saves the signed-in operator's desk as its windows stand now; restored at their next sign-in here. */
  'desk.save': { request: none, response: z.object({ layout: DeskLayout }) },
  'desk.layout': { request: none, response: z.object({ layout: DeskLayout.nullable() }) },
  /**
   * A part of a window that cannot work here (the map where WebGL is missing, a panel that failed): the core logs it
   * once for the workstation, however many windows report it; `first` says whether this report was that once.
   */
  'desk.reportFault': {
    request: z.object({ part: plainText({ min: 1, max: 60 }), problem: plainText({ min: 1, max: 500 }) }).strict(),
    response: z.object({ first: z.boolean() }),
  },
  /**
   * `paper`: in catch-up after the system was down, a line kept on paper, with the hh:mm written on it (`time`, read
   * in the force's time zone on `date`, by default the day the system went down) and when it went down
   * (`outageFrom`); refused (bad_request) if that time is before the outage or still to come.
   */
  'incidents.addLog': {
    request: z
      .object({ incidentId: Uuid, text: LogText, paper: z.object({ time: z.string(), date: z.string().optional(), outageFrom: Instant }).strict().optional() })
      .strict(),
    response: z.object({ entry: LogEntryView }),
  },
  'incidents.update': {
    request: z.object({ incidentId: Uuid, fields: DescriptiveFields }).strict(),
    response: z.object({ incident: IncidentView }),
  },
  'incidents.close': {
    request: z.object({ incidentId: Uuid, closingCode: z.string().min(1, 'choose a closing code'), incidentVersion: Version }).strict(),
    response: z.object({ incident: IncidentView }),
  },
  /** The shares of one incident (its own force's, or the one it holds it through), revoked ones too, newest first. */
  'shares.list': { request: z.object({ incidentId: Uuid }).strict(), response: z.object({ shares: z.array(ShareView) }) },
  /** Shares one of the force's incidents with another force, at a tier, with the dispatcher's reason. */
  'shares.create': {
    request: z.object({ incidentId: Uuid, sharedWith: ForceCode, tier: ShareTier, reason: ShareReason }).strict(),
    response: z.object({ share: ShareView }),
  },
  /** Revokes a share the force made: the other force's workstations delete the incident at their next pull. */
  'shares.revoke': { request: z.object({ shareId: Uuid, reason: ShareReason }).strict(), response: z.object({ share: ShareView }) },
  'incidents.takeOwnership': {
    request: z.object({ incidentId: Uuid, incidentVersion: Version }).strict(),
    response: z.object({ incident: IncidentView }),
  },
  /** Opens a closed incident again, with the reason (by the roles the force allows), decided on the version seen. */
  'incidents.reopen': {
    request: z.object({ incidentId: Uuid, reason: ReopenReason, incidentVersion: Version }).strict(),
    response: z.object({ incident: IncidentView }),
  },
  /** What the incident turns out to be: its type changes (the opening type is kept) and its risk is assessed again. */
  'incidents.changeType': {
    request: z.object({ incidentId: Uuid, type: z.string().min(1, 'choose an incident type'), reason: plainText({ max: 500 }).default('') }).strict(),
    response: z.object({ incident: IncidentView }),
  },
  /** Every unit, and the deployments and reservations not yet cleared. */
  'units.list': { request: none, response: z.object({ units: z.array(UnitView), assignments: z.array(AssignmentView) }) },
  'units.assign': {
    request: z.object({ unitId: z.string().min(1), incidentId: Uuid, unitVersion: Version }).strict(),
    response: z.object({ assignment: AssignmentView }),
  },
  /** Suitable available units for an incident, best first, with the reasons. */
  'units.recommend': { request: z.object({ incidentId: Uuid }).strict(), response: RecommendationView },
  /** Deploys one or several units to an incident in one action (or reserves them for a time), each as the dispatcher saw it. */
  'units.deploy': {
    request: z
      .object({
        incidentId: Uuid,
        units: z.array(z.object({ unitId: z.string().min(1), unitVersion: Version })).min(1).max(12),
        reserveFor: z.iso.datetime().nullable().default(null),
      })
      .strict(),
    response: z.object({ assignments: z.array(AssignmentView) }),
  },
  /** Books a unit on (until its shift's end, or `until` outside its shift) or off duty, or unavailable and back. */
  'units.setDuty': {
    request: z.object({ unitId: z.string().min(1), duty: UnitDuty, unitVersion: Version, until: Instant.nullable().default(null) }).strict(),
    response: z.object({ unit: UnitView }),
  },
  /** At (or before) a shift's end: extend the unit's tour to `extendUntil`, or (null) relieve it when it clears. */
  'units.answerShiftEnd': {
    request: z.object({ unitId: z.string().min(1), unitVersion: Version, extendUntil: Instant.nullable() }).strict(),
    response: z.object({ unit: UnitView }),
  },
  /** The last AVL position of every unit that has reported. */
  'units.positions': { request: none, response: z.object({ fixes: z.array(UnitFixView) }) },
  'assignments.setStatus': {
    request: z.object({ assignmentId: Uuid, status: AssignmentStatus, assignmentVersion: Version }).strict(),
    response: z.object({ assignment: AssignmentView }),
  },
  /** The dispatcher confirmed the deployment with its crew by radio (logged in their name). */
  'assignments.confirmByRadio': { request: z.object({ assignmentId: Uuid }).strict(), response: z.object({ assignment: AssignmentView }) },
  /** The answer to a terminal's rejection that came after the deployment was confirmed: stand the unit down, or keep it. */
  'assignments.answerLateRejection': {
    request: z.object({ assignmentId: Uuid, standDown: z.boolean(), assignmentVersion: Version }).strict(),
    response: z.object({ assignment: AssignmentView }),
  },
  /**
   * Whether this window should sound the alarm `key`: yes for the first of the workstation's windows to ask, so an
   * alarm sounds once at a desk however many of its windows show it.
   */
  'alarms.sound': { request: z.object({ key: z.string().min(1).max(200) }).strict(), response: z.object({ play: z.boolean() }) },
  'conflicts.list': { request: none, response: z.object({ conflicts: z.array(ConflictView) }) },
  'conflicts.resolve': {
    request: z.object({ conflictId: Uuid, resolution: z.enum(['accept_theirs', 'redo']) }).strict(),
    response: z.object({ conflict: ConflictView }),
  },
  'sync.status': { request: none, response: SyncStatus },
  /** Refused commands waiting for someone (oldest first), and the latest handled ones (most recent first). */
  'sync.deadLetters': { request: none, response: z.object({ deadLetters: z.array(DeadLetterView), handled: z.array(HandledRefusalView) }) },
  /** Looks again at once at a link blocked by an answer retrying cannot change (once someone has acted on it). */
  'sync.checkAgain': { request: none, response: SyncStatus },
  /** The room's refused commands (any workstation's) that nobody has handled yet, the oldest first. */
  'refusals.list': { request: none, response: z.object({ refusals: z.array(RefusalView) }) },
  /** Unit loans (shared/domain/loan.ts) this workstation's force asked for or was asked for: waiting first, then the newest. */
  'loans.list': { request: none, response: z.object({ loans: z.array(LoanView) }) },
  /** Asks another force for a unit (a call sign, or a kind of unit in words) for one of this force's incidents. */
  'loans.request': {
    request: z.object({ incidentId: Uuid, lender: ForceCode, ask: LoanAsk, reason: plainText({ min: 1, max: 200, empty: 'say why the unit is needed' }) }).strict(),
    response: z.object({ loan: LoanView }),
  },
  /** Lends one of this force's units for a request to it, as the dispatcher saw the request and the unit. */
  'loans.accept': { request: z.object({ loanId: Uuid, loanVersion: Version, unitId: z.string().min(1), unitVersion: Version }).strict(), response: z.object({ loan: LoanView }) },
  'loans.decline': {
    request: z.object({ loanId: Uuid, loanVersion: Version, reason: plainText({ min: 1, max: 200, empty: 'say why the request is declined' }) }).strict(),
    response: z.object({ loan: LoanView }),
  },
  'loans.withdraw': { request: z.object({ loanId: Uuid, loanVersion: Version }).strict(), response: z.object({ loan: LoanView }) },
  /** The lent unit goes back to its force (once no longer committed to the incident). */
  'loans.return': { request: z.object({ loanId: Uuid }).strict(), response: z.object({ loan: LoanView }) },
  /** Standing sharing arrangements (shared/domain/arrangement.ts) this force proposed or was proposed: waiting first. */
  'arrangements.list': { request: none, response: z.object({ arrangements: z.array(ArrangementView) }) },
  /** A force administrator proposes sharing the force's incidents of one of its types with another force, at a tier. */
  'arrangements.propose': {
    request: z.object({ incidentType: z.string().min(1).max(40), sharedWith: ForceCode, tier: ShareTier, reason: ArrangementReason }).strict(),
    response: z.object({ arrangement: ArrangementView }),
  },
  /** The other force's administrator approves a proposed arrangement, as they saw it. */
  'arrangements.approve': { request: z.object({ arrangementId: Uuid, arrangementVersion: Version }).strict(), response: z.object({ arrangement: ArrangementView }) },
  /** Either force's administrator withdraws an arrangement: it shares no incident from then on (its shares stay). */
  'arrangements.withdraw': {
    request: z.object({ arrangementId: Uuid, arrangementVersion: Version, reason: plainText({ min: 1, max: 300, empty: 'say why the arrangement is withdrawn' }) }).strict(),
    response: z.object({ arrangement: ArrangementView }),
  },
  /** Offers of incidents (shared/domain/transfer.ts) this force made or was made: waiting first, then the newest. */
  'transfers.list': { request: none, response: z.object({ transfers: z.array(TransferView) }) },
  /** Offers one of the force's open incidents to another force, as the dispatcher saw it (its version), with a reason. */
  'transfers.offer': { request: z.object({ incidentId: Uuid, incidentVersion: Version, to: ForceCode, reason: TransferReason }).strict(), response: z.object({ transfer: TransferView }) },
  /** Accepts an incident offered to this force: the server makes it this force's. */
  'transfers.accept': { request: z.object({ transferId: Uuid, transferVersion: Version }).strict(), response: z.object({ transfer: TransferView }) },
  'transfers.decline': {
    request: z.object({ transferId: Uuid, transferVersion: Version, reason: plainText({ min: 1, max: 300, empty: 'say why the incident is declined' }) }).strict(),
    response: z.object({ transfer: TransferView }),
  },
  /** The offering force takes back an offer not yet answered. */
  'transfers.withdraw': { request: z.object({ transferId: Uuid, transferVersion: Version }).strict(), response: z.object({ transfer: TransferView }) },
  /** The lender takes its lent unit back, with a reason, as its dispatcher saw the loan and the unit (deployed or not). */
  'loans.takeBack': {
    request: z.object({ loanId: Uuid, loanVersion: Version, unitVersion: Version, reason: plainText({ min: 1, max: 200, empty: 'say why the unit is taken back' }) }).strict(),
    response: z.object({ loan: LoanView }),
  },
  /**
   * Does a refused command again, as a new command in the name of whoever asks (its issuer or a supervisor), now,
   * with the same arguments (contended ones brought up to date as the conflict inbox does): one of this workstation's,
   * or one the room's list shows refused at another desk.
   */
  'refused.redo': { request: z.object({ commandId: Uuid }).strict(), response: z.object({ redoneAs: Uuid }) },
  /** Sets a refused command aside for good, with the reason, kept here and sent to the server's log. */
  'refused.dismiss': { request: z.object({ commandId: Uuid, reason: DismissReason }).strict(), response: z.object({}) },
  /**
   * The force administrator's accounts: every operator this workstation knows, with each one's lockout if the
   * server could be asked (`serverProblem` says why not).
   */
  'admin.accounts': { request: none, response: z.object({ accounts: z.array(AccountView), serverProblem: z.string().nullable() }) },
  /** Adds an operator with a first password: the password is set on the server first (online only), then the account is a command. */
  'admin.addOperator': {
    request: z.object({ name: Name, displayName: plainText({ min: 1, max: 120, empty: 'enter the name to show' }), roles: z.array(Role).min(1, 'choose at least one role'), password: AdminPassword }).strict(),
    response: z.object({ done: z.string() }),
  },
  'admin.setRoles': { request: z.object({ name: Name, roles: z.array(Role).min(1, 'an operator keeps at least one role'), operatorVersion: Version }).strict(), response: z.object({ done: z.string() }) },
  /** Deactivates (ending the operator's sessions) or reactivates an account. */
  'admin.setActive': { request: z.object({ name: Name, active: z.boolean(), operatorVersion: Version }).strict(), response: z.object({ done: z.string() }) },
  /** Sets a new password for an operator, on the server (online only). */
  'admin.setPassword': { request: z.object({ name: Name, password: AdminPassword }).strict(), response: z.object({ done: z.string() }) },
  /** Unlocks an account locked after repeated failed sign-ins, on the server (online only). */
  'admin.unlock': { request: z.object({ name: Name }).strict(), response: z.object({ done: z.string() }) },
  /**
   * Erases a record on the server (online only; shared/domain/erasure.ts): a closed incident by its reference (or
   * id), a call or a warning marker by its id, with the reason. Every workstation then deletes it.
   */
  'admin.erase': {
    request: z.object({ kind: ErasableKind, record: plainText({ min: 1, max: 64, empty: 'enter the incident’s reference, or the record’s id' }), reason: ErasureReason }).strict(),
    response: z.object({ done: z.string() }),
  },
  /**
   * What erasing a record would take with it, counted by the server with the erasure's own search (online only, as
   * the erasure is), for the confirmation: the record as named, why it may not be erased (an open incident), and each
   * kind that goes with it ("12 log entries", "1 refused command"): exactly what the erasure takes. Nothing is
   * changed or recorded.
   */
  'admin.erasePreview': {
    request: z.object({ kind: ErasableKind, record: plainText({ min: 1, max: 64, empty: 'enter the incident’s reference, or the record’s id' }) }).strict(),
    response: z.object({ record: z.string(), problem: z.string().nullable(), goes: z.array(z.string()) }),
  },
  /** Whether the workstation's own file takes writes, and how many outside events wait for it. */
  'store.health': { request: none, response: StoreHealth },
  /** The area this workstation shows: what windows need to draw its map. */
  'area.get': { request: none, response: AreaManifest },
  /** Streets, postcodes, places and landmarks matching what was typed, best first; searched in the core. */
  'gazetteer.search': {
    request: z
      .object({
        query: z.string().max(200, 'a search is at most 200 characters'),
        limit: z.number().int().min(1).max(50).default(8),
      })
      .strict(),
    response: z.object({ query: z.string(), results: z.array(GazetteerResult) }),
  },
  /**
   * A question to the server's audit log (supervisors and auditors), answered a page at a time; online only. The
   * server writes the question to the log before it answers (shared/sync/audit-protocol.ts).
   */
  'audit.query': {
    request: z
      .object({
        question: AuditQuestion,
        reason: AuditReason,
        limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
        cursor: z.string().min(1).max(200).nullable().default(null),
      })
      .strict(),
    response: AuditQueryResponse,
  },
  /**
   * The room's measures for a span, computed on the central server (shared/sync/measures-protocol.ts) for the
   * signed-in supervisor; online only.
   */
  'measures.get': { request: z.object({ window: MeasureWindow }).strict(), response: MeasuresResponse },
  /** The whole answer to a question as a CSV file, for the purpose given; the server logs it as a disclosure. */
  'audit.export': {
    request: z.object({ question: AuditQuestion, purpose: AuditPurpose }).strict(),
    response: AuditExportResponse,
  },
  /**
   * The trainer's desk only: the exercise's after-action review so far, computed by the training server from its own
   * record (shared/training/exercise-review.ts) for the signed-in trainer; online only.
   */
  'exercise.review': { request: none, response: ExerciseReview },
} as const;

export const events = {
  /** Records whose documents changed, locally or from the server, by kind. */
  'records.changed': z.object({
    incidents: z.array(IncidentView),
    logEntries: z.array(LogEntryView),
    units: z.array(UnitView),
    assignments: z.array(AssignmentView),
    conflicts: z.array(ConflictView),
    contacts: z.array(ContactView),
    tasks: z.array(TaskView),
    markers: z.array(MarkerView),
    refusals: z.array(RefusalView),
    loans: z.array(LoanView),
    arrangements: z.array(ArrangementView),
    transfers: z.array(TransferView),
    /** Records that are gone from the view: an optimistic effect the server refused, undone. */
    removed: z.array(z.object({ kind: z.string(), id: z.string() })),
  }),
  'sync.status': SyncStatus,
  /** The desk's last outage and its catch-up changed (it went down, came back, catch-up began or ended). */
  'catchUp.changed': CatchUpStatus,
  /** Someone signed in or out: every window of the workstation follows. */
  'session.changed': Session,
  /** New AVL positions: only the units that reported, on the feed's cadence. */
  'units.moved': z.object({ fixes: z.array(UnitFixView) }),
  /** The workstation's file stopped or started taking writes, or the number of events waiting for it changed. */
  'store.health': StoreHealth,
  /** A training workstation's exercise was started, paused, sped up, or an inject happened. */
  'exercise.changed': ExerciseStatus,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventOf<E extends EventName> = z.output<Events[E]>;

export const channelNames: readonly ChannelName[] = CHANNEL_NAMES;
export const eventNames = Object.keys(events) as EventName[];

// The name list the preload uses and the table above must name the same channels; this fails to compile if not.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesAgree: Same<ChannelName, ChannelNameList> = true;
void namesAgree;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

export { isChannelName } from './channel-names';

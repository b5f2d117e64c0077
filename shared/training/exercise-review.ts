import { isAutomaticAuthor } from '../domain/automatic';
import type { Assignment } from '../domain/assignment';
import type { BackEntered } from '../domain/back-entry';
import { deployedAtOf } from '../domain/assignment';
import type { Contact } from '../domain/contact';
import { derivedId } from '../domain/derived-id';
import type { ForceConfig } from '../domain/force-config';
import { displayReference, type Incident } from '../domain/incident';
import { distanceMetres } from '../domain/location';
import { isRelayAuthorName } from '../domain/relay';
import { thriveQuestionsFor } from '../domain/thrive';
import { attendanceDueMs } from '../dispatch/attendance';
import { roomMeasures, type MeasureRecords } from '../measures/room-measures';
import type { MomentArgs } from '../commands/moment-recorded';
import type { IncidentLocation } from '../domain/location';
import type { CallInject, Scenario } from './scenario';
import { CALL_TAKING_SCORES, DISPATCH_SCORES, scoreCalls } from './review-scores';
import type { CallVerdict, ExerciseReview, ReviewEvent, ReviewInject, TraineeReview } from './review-view';

/**
 * One entry of the training server's record of what was done, as its audit log keeps it (server/audit): every
 * applied command's records created (`collection`) and fields changed (`alteration`, the value before and after as
 * JSON text), and the desk's moments (`moment`: units proposed on an incident, a call located or graded on the form
 * before saving; `after` is the moment, shared/commands/moment-recorded.ts), with who issued it and when on the exercise clock (`issuedAt`: the workstation's time, which in an
 * exercise is the exercise clock every desk follows).
 */
export interface ReviewHistoryEntry {
  issuedAt: string;
  operator: string;
  /** The issuing workstation's client id: a call's contact id derives from it and the call's id. */
  clientId: string;
  command: string;
  kind: string;
  recordKind: string;
  recordId: string;
  field: string | null;
  before: string | null;
  after: string | null;
}

export interface ReviewInput {
  scenario: Scenario;
  config: ForceConfig;
  /** The records as the server holds them now (contacts, incidents, assignments of the exercise). */
  records: MeasureRecords;
  /** The record of every change, oldest first. */
  history: readonly ReviewHistoryEntry[];
  /** The exercise time the review is computed at (ms). */
  nowMs: number;
}

/** The answer time a call is judged against: 999's 10 seconds, 60 for every other source. */
export const ANSWER_TARGET_SECONDS = { '999': 10, other: 60 } as const;
/** From answering a call to saving its incident (or attaching it to one). */
export const SAVE_TARGET_SECONDS = 180;

/**
 * The after-action review of an exercise, from the server's record: every event on one timeline with the scenario's
 * injects beside it, each scenario call judged against what it expected, the scores of each trainee (the call
 * handler who answered a call answers for its taking, the dispatcher who deployed its first unit for its dispatch)
 * and of the room, and the room's measures over the exercise. Pure: the same record gives the same review anywhere.
 *
 * A call is matched to the inject that rang it by its contact's id, which the trainer's workstation derives from
 * its own client id and the inject's id (main/core/telephony-bridge.ts). A call located and graded on the form is on
 * the timeline when the handler did it, as the desk recorded it (a `moment`); one the desk did not record (a location
 * typed and not found, a desk of an older version) at the time the incident was saved; later changes at theirs. The
 * units the desk proposed to a dispatcher are on it each time the proposal changed.
 */
export function exerciseReview(input: ReviewInput): ExerciseReview {
  const { scenario, config, records, history, nowMs } = input;
  const startMs = Date.parse(scenario.startsAt);
  const toMs = Math.max(startMs + 1000, nowMs);
  const calls = scenario.injects.filter((inject): inject is CallInject => inject.kind === 'call');
  const contactOfCall = matchCalls(calls, records.contacts, history);
  const callOfContact = new Map([...contactOfCall].map(([callId, contact]) => [contact.id, callId]));
  const incidents = new Map(records.incidents.map((incident) => [incident.id, incident]));
  const callOfIncident = new Map<string, string>();
  for (const contact of [...records.contacts].sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt))) {
    const callId = callOfContact.get(contact.id);
    if (callId && contact.incidentId && !callOfIncident.has(contact.incidentId)) callOfIncident.set(contact.incidentId, callId);
  }
  const record = new History(history);
  const verdicts = calls.flatMap((call) => {
    const contact = contactOfCall.get(call.id);
    return contact ? [judgeCall({ call, contact, contactOfCall, callOfIncident, incidents, records, record, scenario, config, nowMs })] : [];
  });
  const events = timeline({ records, record, incidents, callOfContact, callOfIncident, config });
  const injects: ReviewInject[] = scenario.injects.map((inject, index) => ({
    index,
    at: new Date(startMs + inject.at * 1000).toISOString(),
    kind: inject.kind,
    label: injectLabel(inject),
    callId: inject.kind === 'call' ? inject.id : null,
    rangAt: inject.kind === 'call' ? (contactOfCall.get(inject.id)?.receivedAt ?? null) : null,
  }));
  const injectEvents: ReviewEvent[] = injects.map((inject) => ({ at: inject.at, kind: 'inject', by: null, callId: inject.callId, incident: null, text: inject.label }));
  return {
    title: scenario.title,
    force: config.force.code,
    from: scenario.startsAt,
    to: new Date(toMs).toISOString(),
    injects,
    events: [...injectEvents, ...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.kind === 'inject' ? -1 : b.kind === 'inject' ? 1 : 0)),
    calls: verdicts,
    incidents: records.incidents.map((incident) => ({ reference: displayReference(incident), type: incident.type, grade: incident.grade, point: incident.location.point })),
    trainees: trainees(verdicts, events),
    room: scoreCalls(verdicts),
    measures: roomMeasures(config, records, { fromMs: startMs, toMs }),
  };
}

/** Each scenario call's contact: the one whose id the trainer's workstation derived from the call's id. */
function matchCalls(calls: readonly CallInject[], contacts: readonly Contact[], history: readonly ReviewHistoryEntry[]): Map<string, Contact> {
  const byId = new Map(contacts.map((contact) => [contact.id, contact]));
  const relayers = new Set(history.filter((entry) => entry.recordKind === 'contact' && entry.kind === 'collection').map((entry) => entry.clientId));
  const matched = new Map<string, Contact>();
  for (const call of calls) {
    for (const clientId of relayers) {
      const contact = byId.get(derivedId(clientId, call.id));
      if (contact) matched.set(call.id, contact);
    }
  }
  return matched;
}

/** The record's entries about one record, and what a field held at a given time. */
class History {
  private readonly byRecord = new Map<string, ReviewHistoryEntry[]>();

  constructor(entries: readonly ReviewHistoryEntry[]) {
    for (const entry of entries) {
      const key = `${entry.recordKind}:${entry.recordId}`;
      this.byRecord.set(key, [...(this.byRecord.get(key) ?? []), entry]);
    }
  }

  of(kind: string, id: string): readonly ReviewHistoryEntry[] {
    return this.byRecord.get(`${kind}:${id}`) ?? [];
  }

  /** The alterations of one field of a record, oldest first. */
  changes(kind: string, id: string, field: string): readonly ReviewHistoryEntry[] {
    return this.of(kind, id).filter((entry) => entry.kind === 'alteration' && entry.field === field);
  }

  /** The desk's moments recorded on a record, oldest first, as recorded (see MomentArgs). */
  moments(kind: string, id: string): { entry: ReviewHistoryEntry; moment: MomentArgs }[] {
    return this.of(kind, id)
      .filter((entry) => entry.kind === 'moment' && entry.after !== null)
      .map((entry) => ({ entry, moment: parseJson(entry.after) as MomentArgs }));
  }

  /** What `field` held just after `atMs`: the value before its first later change, else its value now. */
  valueAt<T>(kind: string, id: string, field: string, atMs: number, now: T): T {
    const later = this.changes(kind, id, field).find((entry) => Date.parse(entry.issuedAt) > atMs);
    return later ? (parseJson(later.before) as T) : now;
  }
}

function parseJson(text: string | null): unknown {
  return text === null ? undefined : JSON.parse(text);
}

const seconds = (fromIso: string | null, toIso: string | null): number | null =>
  fromIso && toIso ? Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000)) : null;

interface JudgeContext {
  call: CallInject;
  contact: Contact;
  contactOfCall: ReadonlyMap<string, Contact>;
  /** The first scenario call of each incident: it alone answers for the incident's dispatch. */
  callOfIncident: ReadonlyMap<string, string>;
  incidents: ReadonlyMap<string, Incident>;
  records: MeasureRecords;
  record: History;
  scenario: Scenario;
  config: ForceConfig;
  nowMs: number;
}

/** One scenario call against its `expected` (see CallVerdict). */
export function judgeCall(ctx: JudgeContext): CallVerdict {
  const { call, contact, incidents, records, record, config, nowMs } = ctx;
  const expected = call.expected;
  const answerTarget = call.source === '999' ? ANSWER_TARGET_SECONDS['999'] : ANSWER_TARGET_SECONDS.other;
  const answerSeconds = seconds(contact.receivedAt, contact.answeredAt);
  const abandoned = contact.state === 'abandoned';
  // Like the room's measure: a caller who hung up within the target counts on neither side.
  const rangFor = seconds(contact.receivedAt, contact.endedAt ?? new Date(nowMs).toISOString());
  const answerInTime = answerSeconds !== null ? answerSeconds <= answerTarget : rangFor !== null && rangFor > answerTarget ? false : null;
  const incident = contact.incidentId ? (incidents.get(contact.incidentId) ?? null) : null;
  // When it went on an incident, and who put it there: the incident's creation from it, or attaching it to one. A
  // call answered on paper went on its paper incident when the paper says that was opened (not when it was entered).
  const put = record.changes('contact', contact.id, 'incidentId').find((entry) => entry.after !== null && entry.after !== 'null');
  const onPaper = contact.backEntered !== undefined && contact.answeredAt !== null;
  const savedAt =
    onPaper && incident
      ? new Date(Math.max(Date.parse(incident.createdAt), Date.parse(contact.answeredAt!))).toISOString()
      : (put?.issuedAt ?? (incident && Date.parse(incident.createdAt) >= Date.parse(contact.receivedAt) ? incident.createdAt : null));
  const savedBy = put?.operator ?? (savedAt ? (incident?.createdBy ?? null) : null);
  const saveSeconds = seconds(contact.answeredAt, savedAt);
  const savedMs = savedAt ? Date.parse(savedAt) : nowMs;
  const type = incident ? record.valueAt('incident', incident.id, 'type', savedMs, incident.type) : null;
  const grade = incident ? record.valueAt('incident', incident.id, 'grade', savedMs, incident.grade) : null;
  // A repeat call's incident is dispatched once, and judged once: on its first call.
  const dispatched = incident !== null && ctx.callOfIncident.get(incident.id) === call.id ? incident : null;
  const deployed = dispatched ? firstDeployment(records.assignments, dispatched.id) : null;
  const deploySeconds = seconds(contact.receivedAt, deployed?.at ?? null);
  const deployTarget = grade ? config.measures.thresholds.callToDeploymentP90Minutes[grade]?.amber : undefined;
  const arrivedAt = dispatched?.attendedAt ?? null;
  const questions = incident ? thriveQuestionsFor(config, incident.type) : [];
  const answers = incident?.thrive?.answers ?? [];
  const answeredIds = new Set(answers.map((a) => a.questionId));
  const flags = expected.riskFlags.map((flag) => [flag, incident !== null && flagFound(flag, incident, ctx.scenario)] as const);
  const sent = dispatched ? unitTypesSent(config, records.assignments, dispatched.id) : [];
  const dueMs = dispatched ? attendanceDueMs(config, dispatched) : null;
  const firstMoment = (what: 'located' | 'graded') => record.moments('contact', contact.id).find(({ moment }) => moment.what === what)?.entry.issuedAt ?? null;
  const proposal = dispatched ? proposalBefore(record, dispatched.id, deployed?.at ?? null) : null;
  const firstSent = dispatched ? firstUnitDeployed(records.assignments, dispatched.id) : null;
  return {
    callId: call.id,
    source: call.source,
    expectedType: expected.type,
    expectedGrades: expected.grades,
    rangAt: contact.receivedAt,
    answeredAt: contact.answeredAt,
    answeredBy: contact.answeredBy,
    abandoned,
    answerSeconds,
    incident: incident ? displayReference(incident) : null,
    savedAt,
    savedBy,
    saveSeconds,
    type,
    grade,
    firstDeployedAt: deployed?.at ?? null,
    deployedBy: deployed?.by ?? null,
    deploySeconds,
    arrivedAt,
    arriveSeconds: seconds(contact.receivedAt, arrivedAt),
    answerInTime,
    savedInTime: savedInTime(expected.type, contact, saveSeconds, nowMs),
    deployedInTime:
      deployTarget === undefined || !dispatched ? null : deploySeconds !== null ? deploySeconds <= deployTarget * 60 : (seconds(contact.receivedAt, new Date(nowMs).toISOString()) ?? 0) > deployTarget * 60 ? false : null,
    // A call that should make no incident agrees when it made none; one that should, when it made one of that type.
    typeAgreed: typeAgreed(expected.type, contact, incident, type),
    gradeAgreed: grade === null || expected.type === null ? null : expected.grades.includes(grade),
    thrive: incident ? { answered: questions.filter((q) => answeredIds.has(q.id)).length, asked: questions.length } : null,
    riskFlags: { found: flags.filter(([, found]) => found).map(([flag]) => flag), missed: flags.filter(([, found]) => !found).map(([flag]) => flag) },
    duplicateSpotted: expected.duplicateOf === undefined || contact.answeredAt === null ? null : duplicateSpotted(expected.duplicateOf, contact, ctx),
    attendanceMet:
      dueMs === null || expected.type === null ? null : arrivedAt !== null ? Date.parse(arrivedAt) <= dueMs : nowMs > dueMs ? false : null,
    unitTypes: { sent, missing: dispatched ? missingTypes(expected.unitTypes, sent) : [] },
    locatedAt: firstMoment('located') ?? savedAt,
    gradedAt: firstMoment('graded') ?? savedAt,
    proposed: proposal,
    proposedFirstSent: proposal && proposal.length > 0 && firstSent ? proposal[0] === firstSent : null,
    backEntered: (incident?.backEntered ?? deployed?.backEntered ?? contact.backEntered) !== undefined,
    answeredOnPaper: onPaper,
  };
}

/** The units proposed for an incident last at or before `atIso` (the last proposal at all when null), or null. */
function proposalBefore(record: History, incidentId: string, atIso: string | null): string[] | null {
  const atMs = atIso ? Date.parse(atIso) : Infinity;
  const shown = record.moments('incident', incidentId).filter(({ entry, moment }) => moment.what === 'proposed' && Date.parse(entry.issuedAt) <= atMs);
  const last = shown.at(-1)?.moment;
  return last?.what === 'proposed' ? last.units : null;
}

/** The call sign of the incident's first unit deployed (a unit's id is its call sign), or null. */
function firstUnitDeployed(assignments: readonly Assignment[], incidentId: string): string | null {
  let first: { at: string; unit: string } | null = null;
  for (const assignment of assignments) {
    const at = assignment.incidentId === incidentId ? deployedAtOf(assignment) : null;
    if (at && (!first || Date.parse(at) < Date.parse(first.at))) first = { at, unit: assignment.unitId };
  }
  return first?.unit ?? null;
}

/**
 * Whether the incident was saved in time: within the target of answering; missed once the target has passed with
 * none saved. A call that should make no incident is not judged on it.
 */
function savedInTime(expectedType: string | null, contact: Contact, saveSeconds: number | null, nowMs: number): boolean | null {
  if (expectedType === null || contact.answeredAt === null) return null;
  if (saveSeconds !== null) return saveSeconds <= SAVE_TARGET_SECONDS;
  return nowMs - Date.parse(contact.answeredAt) > SAVE_TARGET_SECONDS * 1000 ? false : null;
}

/**
 * Whether the call became what it should: an incident of the expected type, or (expected none) no incident, once it
 * was dealt with (saved, attached or disposed of); not judged while it is still being taken.
 */
function typeAgreed(expectedType: string | null, contact: Contact, incident: Incident | null, type: string | null): boolean | null {
  if (contact.answeredAt === null) return null;
  if (incident) return expectedType !== null && type === expectedType;
  return contact.disposal ? expectedType === null : null;
}

/** A risk flag found: a THRIVE question answered yes, or a warning marker's place chosen as the incident's location. */
function flagFound(flag: string, incident: Incident, scenario: Scenario): boolean {
  if (flag.startsWith('marker:')) {
    const kind = flag.slice('marker:'.length);
    const point = incident.location.point;
    return point !== null && scenario.start.markers.some((m) => m.warnings.includes(kind as never) && distanceMetres(point, m.point) <= m.radiusM);
  }
  return incident.thrive?.answers.some((a) => a.questionId === flag && a.answer === 'yes') ?? false;
}

/** Whether a repeat call went on the incident it repeats: the earlier call's, or one already open when it rang. */
function duplicateSpotted(of: string, contact: Contact, ctx: JudgeContext): boolean {
  if (!contact.incidentId) return false;
  const earlier = ctx.contactOfCall.get(of);
  if (earlier) return earlier.incidentId === contact.incidentId;
  const incident = ctx.incidents.get(contact.incidentId);
  return incident !== undefined && Date.parse(incident.createdAt) < Date.parse(contact.receivedAt);
}

function firstDeployment(assignments: readonly Assignment[], incidentId: string): { at: string; by: string; backEntered?: BackEntered } | null {
  let first: { at: string; by: string; backEntered?: BackEntered } | null = null;
  for (const assignment of assignments) {
    if (assignment.incidentId !== incidentId) continue;
    const at = deployedAtOf(assignment);
    if (at && (!first || Date.parse(at) < Date.parse(first.at))) first = { at, by: assignment.assignedBy, ...(assignment.backEntered && { backEntered: assignment.backEntered }) };
  }
  return first;
}

/** The review's mark of a record kept on paper: who entered it and when (its own time is the paper's). */
function paperMark(mark: BackEntered | undefined): Pick<ReviewEvent, 'backEntered'> {
  return mark ? { backEntered: { by: mark.by, enteredAt: mark.enteredAt } } : {};
}

function unitTypesSent(config: ForceConfig, assignments: readonly Assignment[], incidentId: string): string[] {
  return assignments
    .filter((a) => a.incidentId === incidentId && deployedAtOf(a) !== null)
    .map((a) => config.units.find((unit) => unit.callSign === a.unitId)?.type ?? 'unknown')
    .sort();
}

/** The expected unit types (one entry per unit) not covered by those sent. */
export function missingTypes(expected: readonly string[], sent: readonly string[]): string[] {
  const left = [...sent];
  return expected.filter((type) => {
    const i = left.indexOf(type);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

interface TimelineContext {
  records: MeasureRecords;
  record: History;
  incidents: ReadonlyMap<string, Incident>;
  callOfContact: ReadonlyMap<string, string>;
  callOfIncident: ReadonlyMap<string, string>;
  config: ForceConfig;
}

/** Every event the record holds, in no particular order. */
function timeline(ctx: TimelineContext): ReviewEvent[] {
  const { records, record, incidents, callOfContact, callOfIncident } = ctx;
  const events: ReviewEvent[] = [];
  // The call each incident was made from (its first), whose form located and graded it.
  const contactOfIncident = new Map<string, string>();
  for (const contact of [...records.contacts].sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt))) {
    if (contact.incidentId && !contactOfIncident.has(contact.incidentId)) contactOfIncident.set(contact.incidentId, contact.id);
  }
  const refOf = (incidentId: string | null) => {
    const incident = incidentId ? incidents.get(incidentId) : undefined;
    return incident ? displayReference(incident) : null;
  };
  for (const contact of records.contacts) {
    const callId = callOfContact.get(contact.id) ?? null;
    const incident = refOf(contact.incidentId);
    const call = `${contact.source} call${callId ? ` ${callId}` : ''} from ${contact.callerNumber ?? 'a withheld number'}`;
    events.push({ at: contact.receivedAt, kind: 'rang', by: 'telephony', callId, incident: null, text: call });
    const onPaper = paperMark(contact.backEntered);
    if (contact.answeredAt) events.push({ at: contact.answeredAt, kind: 'answered', by: contact.answeredBy, callId, incident, text: `${call}, after ${seconds(contact.receivedAt, contact.answeredAt)} s${onPaper.backEntered ? ' (answered on the phone, kept on paper)' : ''}`, ...onPaper });
    if (contact.state === 'abandoned' && contact.endedAt) events.push({ at: contact.endedAt, kind: 'abandoned', by: 'telephony', callId, incident: null, text: `${call}, after ${seconds(contact.receivedAt, contact.endedAt)} s unanswered` });
    const handset = contact.handsetLocation;
    if (handset) events.push({ at: handset.at, kind: 'handset', by: 'telephony', callId, incident, text: `${handset.source} within ${Math.round(handset.accuracyM)} m` });
    let grade: string | null = null;
    for (const { entry, moment } of record.moments('contact', contact.id)) {
      if (moment.what === 'located') events.push({ at: entry.issuedAt, kind: 'located', by: entry.operator, callId, incident, text: placeText(moment.location) });
      if (moment.what === 'graded') events.push({ at: entry.issuedAt, kind: 'graded', by: entry.operator, callId, incident, text: grade ? `grade ${grade} to ${moment.grade}` : `grade ${moment.grade}` });
      if (moment.what === 'graded') grade = moment.grade;
    }
    for (const entry of record.changes('contact', contact.id, 'incidentId')) {
      if (entry.command === 'contact.attach') events.push({ at: entry.issuedAt, kind: 'attached', by: entry.operator, callId, incident, text: `${call} attached to ${incident ?? 'an incident'}` });
    }
    // A further call answered on paper and attached to an incident already there (not one its paper opened: that
    // one's time of call is never before the minute the call rang), at its paper time.
    const on = contact.incidentId ? incidents.get(contact.incidentId) : undefined;
    if (onPaper.backEntered && contact.answeredAt && on && (!on.backEntered || Date.parse(on.createdAt) < Math.floor(Date.parse(contact.receivedAt) / 60_000) * 60_000)) {
      events.push({ at: contact.answeredAt, kind: 'attached', by: contact.answeredBy, callId, incident, text: `${call} attached to ${incident ?? 'an incident'} (kept on paper)`, ...onPaper });
    }
  }
  for (const incident of records.incidents) {
    const callId = callOfIncident.get(incident.id) ?? null;
    const ref = displayReference(incident);
    const createdMs = Date.parse(incident.createdAt);
    const type = record.valueAt('incident', incident.id, 'type', createdMs, incident.type);
    const grade = record.valueAt('incident', incident.id, 'grade', createdMs, incident.grade);
    const location = record.valueAt('incident', incident.id, 'location', createdMs, incident.location);
    const at = (entry: ReviewHistoryEntry) => entry.issuedAt;
    const paper = paperMark(incident.backEntered);
    events.push({ at: incident.createdAt, kind: 'saved', by: incident.createdBy, callId, incident: ref, text: `${ref} saved as ${type}${paper.backEntered ? ' (kept on paper)' : ''}`, ...paper });
    // Located and graded when the handler did it on the form, where the desk recorded it with what was saved; else now.
    const chosen = (what: 'located' | 'graded') => {
      const contactId = contactOfIncident.get(incident.id);
      const before = contactId ? record.moments('contact', contactId).filter(({ entry, moment }) => moment.what === what && Date.parse(entry.issuedAt) <= createdMs) : [];
      return before.at(-1)?.moment ?? null;
    };
    const located = chosen('located');
    if (located?.what !== 'located' || located.location.text !== location.text) events.push({ at: incident.createdAt, kind: 'located', by: incident.createdBy, callId, incident: ref, text: placeText(location), ...paper });
    const graded = chosen('graded');
    if (graded?.what !== 'graded' || graded.grade !== grade) events.push({ at: incident.createdAt, kind: 'graded', by: incident.createdBy, callId, incident: ref, text: `grade ${grade}`, ...paper });
    for (const { entry, moment } of record.moments('incident', incident.id)) {
      if (moment.what !== 'proposed') continue;
      events.push({ at: entry.issuedAt, kind: 'proposed', by: entry.operator, callId, incident: ref, text: moment.units.length ? `${moment.units.join(', ')} proposed for ${ref}, best first` : `no suitable unit available for ${ref}` });
    }
    for (const entry of record.changes('incident', incident.id, 'grade')) {
      events.push({ at: at(entry), kind: 'graded', by: entry.operator, callId, incident: ref, text: `grade ${String(parseJson(entry.before))} to ${String(parseJson(entry.after))}` });
    }
    for (const entry of record.changes('incident', incident.id, 'location')) {
      const moved = parseJson(entry.after) as { text?: string; source?: string } | undefined;
      events.push({ at: at(entry), kind: 'located', by: entry.operator, callId, incident: ref, text: `${moved?.text ?? 'moved'} (${moved?.source ?? 'unknown'})` });
    }
    for (const entry of record.changes('incident', incident.id, 'thrive')) {
      const assessed = parseJson(entry.after) as { answers?: { answer: string }[] } | null | undefined;
      if (!assessed?.answers) continue;
      const yes = assessed.answers.filter((a) => a.answer === 'yes').length;
      events.push({ at: at(entry), kind: 'assessed', by: entry.operator, callId, incident: ref, text: `${assessed.answers.length} questions answered, ${yes} yes` });
    }
    for (const entry of record.changes('incident', incident.id, 'handoff')) {
      const before = parseJson(entry.before) as { takenAt?: string | null } | undefined;
      const after = parseJson(entry.after) as { takenAt?: string | null; takenBy?: string | null } | undefined;
      if (after?.takenAt && !before?.takenAt) events.push({ at: after.takenAt, kind: 'taken', by: after.takenBy ?? entry.operator, callId, incident: ref, text: `${ref} taken from the queue` });
    }
    for (const entry of record.changes('incident', incident.id, 'status')) {
      if (parseJson(entry.after) === 'closed') events.push({ at: at(entry), kind: 'closed', by: entry.operator, callId, incident: ref, text: `${ref} closed` });
    }
  }
  for (const assignment of records.assignments) {
    const callId = callOfIncident.get(assignment.incidentId) ?? null;
    const ref = refOf(assignment.incidentId);
    const deployedAt = deployedAtOf(assignment);
    const paper = paperMark(assignment.backEntered);
    const onPaper = paper.backEntered ? ' (kept on paper)' : '';
    if (deployedAt) events.push({ at: deployedAt, kind: 'deployed', by: assignment.assignedBy, callId, incident: ref, text: `${assignment.unitId} to ${ref ?? 'an incident'}${onPaper}`, ...paper });
    // A deployment recorded with its times (on paper, or in place at the start) arrived when it says, not by a status change.
    if (assignment.arrivedAt) events.push({ at: assignment.arrivedAt, kind: 'arrived', by: assignment.assignedBy, callId, incident: ref, text: `${assignment.unitId} at scene${onPaper}`, ...paper });
    for (const entry of record.changes('assignment', assignment.id, 'status')) {
      if (parseJson(entry.after) === 'at_scene') events.push({ at: entry.issuedAt, kind: 'arrived', by: entry.operator, callId, incident: ref, text: `${assignment.unitId} at scene` });
    }
  }
  return events;
}

/** A place as the timeline gives it: its words and where they came from. */
function placeText(location: Pick<IncidentLocation, 'text' | 'source'>): string {
  return `${location.text} (${location.source})`;
}

/** Each trainee's scores: every operator who answered a call or deployed a unit, or did anything else recorded. */
function trainees(verdicts: readonly CallVerdict[], events: readonly ReviewEvent[]): TraineeReview[] {
  const names = new Set<string>();
  for (const event of events) if (event.by && !isRelayAuthorName(event.by) && !isAutomaticAuthor(event.by)) names.add(event.by);
  return [...names].sort().map((operator) => {
    const answered = verdicts.filter((call) => call.answeredBy === operator);
    const deployed = verdicts.filter((call) => call.deployedBy === operator);
    return {
      operator,
      callsAnswered: answered.length,
      deployments: deployed.length,
      scores: [...scoreCalls(answered, CALL_TAKING_SCORES), ...scoreCalls(deployed, DISPATCH_SCORES)],
    };
  });
}

/** One line for an inject, as the review lists it beside the events. */
function injectLabel(inject: Scenario['injects'][number]): string {
  switch (inject.kind) {
    case 'call': {
      const expected = inject.expected.type ? `expected ${inject.expected.type} grade ${inject.expected.grades.join('/')}` : 'expected no incident';
      return `${inject.source} call ${inject.id} from ${inject.callerNumber ?? 'withheld'}${inject.silent ? ' (silent)' : ''} (${expected}${inject.expected.duplicateOf ? `, repeats ${inject.expected.duplicateOf}` : ''})`;
    }
    case 'vehicle':
      return `${inject.unit} ${inject.event === 'breaks_down' ? 'breaks down' : inject.event === 'delayed' ? `is delayed ${inject.minutes ?? 0} minutes` : 'rejects its next deployment'}`;
    case 'system':
      return inject.event === 'cad_down' ? `The whole system goes down for ${inject.forMinutes} minutes` : `${inject.workstation ?? 'A workstation'} loses the network for ${inject.forMinutes} minutes`;
    case 'note':
      return `Note: ${inject.text}`;
  }
}

import { z } from 'zod';
import { answeredHere, ContactSource, type Contact } from '../domain/contact';
import { Instant } from '../domain/time';
import { describeLocation } from '../domain/location';
import { MomentArgs } from '../commands/moment-recorded';

/**
 * What a trainee is doing now, as the trainer's desk shows it. Derived only from what reaches the training server
 * (shared/training/exercise-room.ts keeps it): the commands each workstation's operator has had applied (answering a
 * call, the desk moments of locating and grading it and of units proposed, saving an incident, deploying, writing a
 * log line), its sign-ins and sign-outs, and whether its live channel is open; and the exercise's records the
 * trainer's workstation holds (which call, which incident, whether still open).
 */
export const TraineeActivity = z.discriminatedUnion('kind', [
  /** Nobody has signed in at the workstation yet. */
  z.object({ kind: z.literal('not_signed_in') }),
  z.object({ kind: z.literal('signed_out'), at: Instant }),
  /** Its live channel is closed (never opened: since null): the trainee's desk is not in step with the exercise. */
  z.object({ kind: z.literal('link_lost'), since: Instant.nullable() }),
  /** Nothing under way; since their last act, if any. */
  z.object({ kind: z.literal('idle'), since: Instant.nullable() }),
  /** On a call they answered, nothing recorded yet. `call`: the caller's number, or the source's name. */
  z.object({ kind: z.literal('answering'), call: z.string(), source: ContactSource, since: Instant }),
  /** On a call they have located on the form (the place in words), not yet saved. */
  z.object({ kind: z.literal('recording_call'), call: z.string(), source: ContactSource, since: Instant, place: z.string() }),
  /** On a call whose grade they chose last on the form. */
  z.object({ kind: z.literal('grading'), call: z.string(), source: ContactSource, since: Instant, grade: z.string() }),
  /** Writing an open incident's log or changing it: its reference. */
  z.object({ kind: z.literal('recording_incident'), incident: z.string(), since: Instant }),
  /** Proposed units for an open incident or deploying to it: its reference, and the units they sent to it. */
  z.object({ kind: z.literal('dispatching'), incident: z.string(), since: Instant, units: z.array(z.string()) }),
]);
export type TraineeActivity = z.infer<typeof TraineeActivity>;

/** One thing a trainee did, as a command applied by the training server says it; `at` is its issue time (exercise clock). */
export type DeskAct =
  | { what: 'answered' | 'ended'; contactId: string; at: string }
  | { what: 'located'; contactId: string; place: string; at: string }
  | { what: 'graded'; contactId: string; grade: string; at: string }
  | { what: 'saved'; incidentId: string; at: string }
  | { what: 'proposed' | 'logged' | 'closed'; incidentId: string; at: string }
  | { what: 'deployed'; incidentId: string; unitId: string; at: string };

/** The acts a command names; anything else (a consultation, a sign-in, a relay's message) is none. */
export function actsOf(command: { name: string; args: unknown; issuedAt: string }): DeskAct[] {
  const args = (command.args ?? {}) as Record<string, unknown>;
  const at = command.issuedAt;
  const text = (key: string) => (typeof args[key] === 'string' ? (args[key] as string) : null);
  const contactId = text('contactId');
  const incidentId = text('incidentId');
  switch (command.name) {
    case 'contact.answer':
      return contactId ? [{ what: 'answered', contactId, at }] : [];
    case 'contact.end':
      return contactId ? [{ what: 'ended', contactId, at }] : [];
    case 'contact.attach':
      return contactId ? [{ what: 'ended', contactId, at }] : [];
    case 'incident.create':
      return [...(contactId ? [{ what: 'ended' as const, contactId, at }] : []), ...(incidentId ? [{ what: 'saved' as const, incidentId, at }] : [])];
    case 'incident.addLog':
    case 'contact.answerOnPaper':
    case 'incident.update':
    case 'incident.assessRisk':
    case 'incident.regrade':
    case 'incident.changeType':
    case 'marker.add':
      return incidentId ? [{ what: 'logged', incidentId, at }] : [];
    case 'incident.close':
      return incidentId ? [{ what: 'closed', incidentId, at }] : [];
    case 'unit.assign': {
      const unitId = text('unitId');
      return incidentId && unitId ? [{ what: 'deployed', incidentId, unitId, at }] : [];
    }
    case 'moment.recorded': {
      const moment = MomentArgs.safeParse(command.args);
      if (!moment.success) return [];
      const m = moment.data;
      if (m.what === 'proposed') return [{ what: 'proposed', incidentId: m.incidentId, at }];
      if (m.what === 'located') return [{ what: 'located', contactId: m.contactId, place: describeLocation(m.location), at }];
      return [{ what: 'graded', contactId: m.contactId, grade: m.grade, at }];
    }
    default:
      return [];
  }
}

/** The exercise's records, as the trainer's workstation holds them, that give the acts their names and states. */
export interface ActivityRecords {
  /** Calls ringing or being taken now. */
  liveContacts: readonly Pick<Contact, 'id' | 'state' | 'answeredBy' | 'source' | 'answeredAt' | 'callerNumber' | 'workstation' | 'answeredAtWorkstation'>[];
  /** An incident by id: its reference to show and whether it is still open; null when this desk does not hold it. */
  incident(id: string): { reference: string; open: boolean } | null;
}

export interface TraineeFacts {
  /** The trainee's workstation: what its operator does there is theirs, not what they do at another. */
  workstation: string;
  operator: string | null;
  /** When its operator signed out (null: signed in, or never). */
  signedOutAt: string | null;
  connected: boolean;
  /** When its last live channel closed (null: never opened). */
  lostAt: string | null;
  /** Its operator's acts since they signed in, oldest first. */
  acts: readonly DeskAct[];
}

/**
 * What one trainee is doing now. Order of precedence: nobody signed in (or signed out); the link lost; on a call
 * they answered (answering, located, graded: the last of these on that call); else their last act on an incident
 * still open (units proposed or deployed: dispatching; a log line or change: recording it); else idle.
 */
export function traineeActivity(facts: TraineeFacts, records: ActivityRecords): TraineeActivity {
  if (facts.operator === null) return facts.signedOutAt ? { kind: 'signed_out', at: facts.signedOutAt } : { kind: 'not_signed_in' };
  if (!facts.connected) return { kind: 'link_lost', since: facts.lostAt };
  // The call its operator answered at this workstation: a trainee signed in at two shows on it at the one that answered.
  const call = records.liveContacts.find((c) => c.state === 'answered' && answeredHere(c, facts.operator, facts.workstation) && c.answeredAt !== null);
  if (call) {
    const base = { call: call.callerNumber ?? `${call.source} call`, source: call.source, since: call.answeredAt! };
    const last = [...facts.acts].reverse().find((act) => 'contactId' in act && act.contactId === call.id && (act.what === 'located' || act.what === 'graded'));
    if (last?.what === 'graded') return { kind: 'grading', ...base, grade: last.grade };
    if (last?.what === 'located') return { kind: 'recording_call', ...base, place: last.place };
    return { kind: 'answering', ...base };
  }
  const last = facts.acts.at(-1);
  if (last && 'incidentId' in last && (last.what === 'proposed' || last.what === 'deployed' || last.what === 'logged')) {
    const incident = records.incident(last.incidentId);
    if (incident?.open) {
      if (last.what === 'logged') return { kind: 'recording_incident', incident: incident.reference, since: last.at };
      const units = facts.acts.flatMap((act) => (act.what === 'deployed' && act.incidentId === last.incidentId ? [act.unitId] : []));
      const since = facts.acts.find((act) => 'incidentId' in act && act.incidentId === last.incidentId && (act.what === 'proposed' || act.what === 'deployed'))!.at;
      return { kind: 'dispatching', incident: incident.reference, since, units: [...new Set(units)] };
    }
  }
  return { kind: 'idle', since: last?.at ?? null };
}

/** The activity in words, as the trainer's desk lists it; `time` gives an instant as the force's hh:mm. */
export function activityWords(activity: TraineeActivity, time: (iso: string) => string): string {
  switch (activity.kind) {
    case 'not_signed_in':
      return 'nobody signed in';
    case 'signed_out':
      return `signed out at ${time(activity.at)}`;
    case 'link_lost':
      return activity.since ? `link lost since ${time(activity.since)}` : 'not connected';
    case 'idle':
      return activity.since ? `idle since ${time(activity.since)}` : 'idle';
    case 'answering':
      return `answering call ${activity.call} (${activity.source}) since ${time(activity.since)}`;
    case 'recording_call':
      return `recording call ${activity.call} (${activity.source}): located at ${activity.place}`;
    case 'grading':
      return `grading call ${activity.call} (${activity.source}): grade ${activity.grade}`;
    case 'recording_incident':
      return `recording incident ${activity.incident} since ${time(activity.since)}`;
    case 'dispatching':
      return `dispatching incident ${activity.incident} since ${time(activity.since)}${activity.units.length ? `: ${activity.units.join(', ')} sent` : ''}`;
  }
}

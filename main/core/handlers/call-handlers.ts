import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../shared/contract/errors';
import { compareForQueue } from '../../../shared/domain/contact';
import { callBackTaskId } from '../../../shared/domain/call-backs';
import { normaliseNumber } from '../../../shared/domain/duplicates';
import { distanceMetres } from '../../../shared/domain/location';
import { markersAt } from '../../../shared/domain/marker';
import { found, type CoreContext, type HandlerGroup } from '../core-context';
import type { ConsultationLog } from '../consultations';
import type { DeskMoments } from '../desk-moments';

type CallChannels =
  | 'contacts.queue'
  | 'contacts.answer'
  | 'contacts.end'
  | 'contacts.attach'
  | 'contacts.progress'
  | 'contacts.record'
  | 'contacts.unrecorded'
  | 'contacts.disposed'
  | 'tasks.list'
  | 'tasks.claim'
  | 'tasks.attempt'
  | 'tasks.complete'
  | 'markers.list'
  | 'markers.add'
  | 'history.lookup'
  | 'drafts.get'
  | 'drafts.save'
  | 'drafts.clear';

/** How near (metres) an earlier incident must be to count as "at this location" in the history shown to a handler. */
const HISTORY_RADIUS_M = 75;

/**
 * Calls and what comes with them: the queue, answering, call-backs, warnings and history, and drafts of the form.
 * A history lookup that shows anything is a consultation of the caller's and of the place's history
 * (`consultations`); the queue, the call-backs, the markers and the room's lists of recent calls are lists the
 * room works from, not a look into anyone's record.
 */
export function callHandlers(ctx: CoreContext, telephony: { answered(contactId: string): void }, consultations: ConsultationLog, moments: DeskMoments): HandlerGroup<CallChannels> {
  const { store } = ctx;
  const contact = (id: string) => found(store.view.view('contact', id), `call ${id}`);
  const now = () => new Date(ctx.clock.now()).toISOString();
  /**
   * A form in progress is its operator's own (`draft:<operator>:<key>`): it comes back to them after a crash, never
   * to the next operator to sign in at this workstation.
   */
  const ownDraft = (key: string) => {
    const operator = ctx.session.signedIn?.operator.id;
    if (!operator) throw new ApiError('unauthenticated', 'nobody is signed in at this workstation');
    return `draft:${operator}:${key}`;
  };
  const taskOf = (contactId: string) => callBackTaskId(ctx.config.force.code, store.view.get('contact', contactId)?.callerNumber ?? null, contactId);
  const task = (id: string) => found(store.view.view('task', id), `call-back ${id}`);
  return {
    'contacts.queue': () => ({ contacts: store.view.liveContacts().sort(compareForQueue) }),
    'contacts.answer': ({ contactId }) => {
      // A call from a number owed a call-back closes the task as it is answered.
      ctx.issue('contact.answer', () => ({ contactId, callBackTaskId: taskOf(contactId) }));
      telephony.answered(contactId);
      return { contact: contact(contactId) };
    },
    'contacts.end': ({ contactId, outcome, disposal }) => {
      if (outcome === 'completed' && !disposal) throw new ApiError('bad_request', 'a call ended without an incident needs a disposal and a note of what was done');
      ctx.issue('contact.end', () => ({ contactId, outcome, taskId: taskOf(contactId), ...(outcome === 'completed' ? { disposal } : {}) }));
      return { contact: contact(contactId) };
    },
    'contacts.attach': ({ contactId, incidentId }) => {
      ctx.issue('contact.attach', () => ({ contactId, incidentId }));
      return { contact: contact(contactId) };
    },
    'contacts.progress': (moment) => {
      contact(moment.contactId); // a call this workstation holds, or not_found
      moments.record(moment);
      return {};
    },
    'contacts.record': ({ source, callerNumber }) => {
      if (source === '999' || source === '101') throw new ApiError('bad_request', 'telephone calls come from the telephony system, not by hand');
      const contactId = randomUUID();
      ctx.issueAll([
        { name: 'contact.receive', makeArgs: () => ({ contactId, source, callerNumber, receivedAt: now(), handsetLocation: null }) },
        { name: 'contact.answer', makeArgs: () => ({ contactId }) },
      ]);
      return { contact: contact(contactId) };
    },
    // The room's lists of calls: a call older than the caller-history age (or another force's) without its caller's
    // number and position, which only a lookup given a reason shows (shared/domain/list-rows.ts).
    'contacts.unrecorded': () => ({
      contacts: store.view.unrecordedContacts(new Date(ctx.clock.now() - ctx.config.historyDays * 86_400_000).toISOString()).map((c) => consultations.contactRow(c)),
    }),
    'contacts.disposed': ({ since }) => ({ contacts: store.view.disposedContacts(since).map((c) => consultations.contactRow(c)) }),
    'tasks.list': () => ({ tasks: store.view.openTasks() }),
    'tasks.claim': ({ taskId, taskVersion }) => {
      ctx.issue('task.claim', () => ({ taskId, taskVersion }));
      return { task: task(taskId) };
    },
    'tasks.attempt': ({ taskId, result }) => {
      ctx.issue('task.attempt', () => ({ taskId, attemptId: randomUUID(), result }));
      return { task: task(taskId) };
    },
    'tasks.complete': ({ taskId, outcome }) => {
      ctx.issue('task.complete', () => ({ taskId, outcome }));
      return { task: task(taskId) };
    },
    'markers.list': () => ({ markers: store.view.markers().filter((m) => m.active) }),
    'markers.add': (request) => {
      const markerId = randomUUID();
      ctx.issue('marker.add', () => ({ markerId, ...request }));
      return { marker: found(store.view.view('marker', markerId), 'marker just added') };
    },
    'history.lookup': ({ point, locationText, callerNumber, reason, answering }) => {
      const since = new Date(ctx.clock.now() - ctx.config.historyDays * 86_400_000).toISOString();
      const text = locationText?.trim().toLowerCase() || null;
      const atPlace = store.view
        .incidentsSince(since)
        .filter((i) => (point && i.location.point && distanceMetres(point, i.location.point) <= HISTORY_RADIUS_M) || (text && i.location.text.toLowerCase() === text))
        .slice(0, 20);
      const number = callerNumber ? normaliseNumber(callerNumber) : null;
      // The call being answered is the caller's present, not their history: were it counted, the audit log would
      // have every answered call as a look at its caller's history that showed the call itself.
      const calls = number ? store.view.contactsSince(since).filter((c) => c.id !== answering && c.callerNumber && normaliseNumber(c.callerNumber) === number).slice(0, 20) : [];
      const markers = point ? markersAt(point, store.view.markers()) : [];
      // The caller's older calls, and another force's calls or incidents (shared with this force), only with a reason
      // where the force asks for one; the place's warnings, its own incidents and newer calls always.
      const { shown: contacts, withheld } = shownWithReason(calls, (c) => consultations.reasonFor({ kind: 'historyCall', receivedAt: c.receivedAt, force: c.force }, reason));
      const { shown: incidents, withheld: incidentsWithheld } = shownWithReason(atPlace, (i) => consultations.reasonFor({ kind: 'historyIncident', force: i.force }, reason));
      const query = { point, locationText, callerNumber };
      if (number && contacts.length > 0) {
        consultations.record({ recordKind: 'caller', recordId: number, channel: 'history.lookup', query, revealed: contacts.map((c) => ({ kind: 'contact', id: c.id })), reason });
      }
      if (incidents.length > 0 || markers.length > 0) {
        const place = text ?? (point ? `${point.lat.toFixed(5)},${point.lon.toFixed(5)}` : '');
        const revealed = [...incidents.map((i) => ({ kind: 'incident', id: i.id })), ...markers.map((m) => ({ kind: 'marker', id: m.id }))];
        consultations.record({ recordKind: 'location', recordId: place, channel: 'history.lookup', query, revealed, reason });
      }
      // The place's incidents are lines of a list (reference, time, type, status): a closed one, or another force's,
      // without its caller, description or risk assessment, which its detail shows only with a reason.
      return { incidents: incidents.map((i) => consultations.incidentRow(i)), contacts, markers, olderCallsWithheld: withheld, incidentsWithheld };
    },
    'drafts.get': ({ key }) => {
      const draft = store.drafts.get(ownDraft(key));
      return { data: draft?.data ?? null, savedAt: draft?.savedAt ?? null };
    },
    'drafts.save': ({ key, data }) => {
      const savedAt = now();
      store.transaction(() => store.drafts.save(ownDraft(key), data, savedAt));
      return { savedAt };
    },
    'drafts.clear': ({ key }) => {
      store.transaction(() => store.drafts.clear(ownDraft(key)));
      return {};
    },
  };
}

/**
 * A history's records as they may be shown: those `why` finds no missing reason for, with how many were left out and
 * why (each distinct why, in words). Order kept.
 */
function shownWithReason<R>(records: R[], why: (record: R) => string | null): { shown: R[]; withheld: { count: number; why: string } | null } {
  const shown: R[] = [];
  const whys = new Set<string>();
  for (const record of records) {
    const needed = why(record);
    if (needed) whys.add(needed);
    else shown.push(record);
  }
  return { shown, withheld: whys.size ? { count: records.length - shown.length, why: [...whys].join('; ') } : null };
}

import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../shared/contract/errors';
import { proposeDuplicates } from '../../../shared/domain/duplicates';
import { readPaperTime } from '../../../shared/domain/back-entry';
import { wallClock } from '../../../shared/domain/wall-clock';
import { displayReference, reservationsOf, type Incident } from '../../../shared/domain/incident';
import { findIncidentType } from '../../../shared/domain/force-config';
import { found, type CoreContext, type HandlerGroup } from '../core-context';
import { mintProvisionalReference } from '../../sync/issue-command';
import type { ConsultationLog } from '../consultations';

type IncidentChannels =
  | 'incidents.list'
  | 'incidents.get'
  | 'incidents.find'
  | 'incidents.create'
  | 'incidents.addLog'
  | 'incidents.update'
  | 'incidents.close'
  | 'incidents.takeOwnership'
  | 'incidents.reopen'
  | 'incidents.changeType'
  | 'incidents.regrade'
  | 'incidents.decideDowngrade'
  | 'incidents.assessRisk'
  | 'incidents.link'
  | 'incidents.duplicates';

/** What a close decided on this copy of the incident names: its version, and the reservations it cancels. */
function asSeen(incident: Incident): { incidentVersion: number; reservationIds: string[] } {
  return { incidentVersion: incident.version, reservationIds: [...reservationsOf(incident)] };
}

/**
 * Incidents: reading them, making them, and everything done to them. Opening one's detail and searching past ones
 * are consultations (`consultations`); the list and the duplicate proposals are not: they show open incidents, as
 * the queue every operator scrolls does, and nothing of a record that the queue does not.
 */
export function incidentHandlers(ctx: CoreContext, consultations: ConsultationLog): HandlerGroup<IncidentChannels> {
  const { store } = ctx;
  const incident = (id: string) => found(store.view.incident(id), `incident ${id}`);
  return {
    // A list: a closed incident, or another force's, is its row (reference, type, place, status, times) without
    // what its detail needs a reason for (shared/domain/list-rows.ts).
    'incidents.list': ({ status }) => ({ incidents: store.view.incidents(status).map((i) => consultations.incidentRow(i)) }),
    'incidents.get': ({ id, reason }) => {
      const shown = incident(id);
      // Its owning force: another force's incident (one shared with this force) is shown only with a reason.
      consultations.requireReason({ kind: 'incident', status: shown.status, force: shown.force }, reason);
      const answer = { incident: shown, log: store.view.logOf(id), assignments: store.view.assignmentsOf(id) };
      consultations.record({ recordKind: 'incident', recordId: id, channel: 'incidents.get', query: { id }, revealed: [], reason });
      return answer;
    },
    'incidents.find': ({ reference, reason }) => {
      const query = reference.toUpperCase();
      // The results are a list: an incident whose detail needs a reason is found as its row, and opening it
      // (incidents.get) asks the reason; the search itself is still a consultation of what it found.
      const incidents = store.view.findIncidents(query, 20).map((i) => consultations.incidentRow(i));
      // A search that finds nothing shows nothing of anyone.
      if (incidents.length > 0) {
        consultations.record({ recordKind: 'search', recordId: query, channel: 'incidents.find', query: { reference: query }, revealed: incidents.map((i) => ({ kind: 'incident', id: i.id })), reason });
      }
      return { incidents };
    },
    'incidents.create': (request) => {
      const incidentId = randomUUID();
      // The incident, its first log line and its risk assessment are one action: saved together or not at all.
      ctx.issueAll([
        {
          name: 'incident.create',
          makeArgs: () => ({
            incidentId,
            provisionalReference: mintProvisionalReference(store, ctx.workstation),
            type: request.type,
            location: request.location,
            grade: request.grade,
            description: request.description,
            callerName: request.callerName,
            callerNumber: request.callerNumber,
            firstLog: request.firstLog ? { entryId: randomUUID(), text: request.firstLog } : null,
            contactId: request.contactId,
          }),
        },
        ...(request.thrive.length ? [{ name: 'incident.assessRisk', makeArgs: () => ({ incidentId, assessmentId: randomUUID(), answers: request.thrive }) }] : []),
        // Resolved without deployment: closed in the same breath, at the version the commands above left it.
        ...(request.resolveWith
          ? [{ name: 'incident.close', makeArgs: () => ({ incidentId, closeId: randomUUID(), closingCode: request.resolveWith, ...asSeen(incident(incidentId)) }) }]
          : []),
      ]);
      consultations.madeHere('incident', incidentId);
      return { incident: incident(incidentId) };
    },
    'incidents.addLog': ({ incidentId, text, paper }) => {
      incident(incidentId);
      const entryId = randomUUID();
      let backEntry: { at: string; outageFrom: string } | undefined;
      if (paper) {
        const read = readPaperTime(wallClock(ctx.config.force.timeZone), { fromMs: Date.parse(paper.outageFrom) }, paper.time, ctx.clock.now(), paper.date);
        if (!read.ok) throw new ApiError('bad_request', read.message);
        backEntry = { at: new Date(read.at).toISOString(), outageFrom: paper.outageFrom };
      }
      ctx.issue('incident.addLog', () => ({ incidentId, entryId, text, ...(backEntry && { paper: backEntry }) }));
      return { entry: found(store.view.logEntry(entryId), 'log entry just written') };
    },
    'incidents.update': ({ incidentId, fields }) => {
      incident(incidentId);
      ctx.issue('incident.update', () => ({ incidentId, changeId: randomUUID(), fields }));
      return { incident: incident(incidentId) };
    },
    'incidents.close': ({ incidentId, closingCode, incidentVersion }) => {
      // The reservations it cancels are those the operator could see: listed on the incident at the version they saw.
      const seen = incident(incidentId);
      const reservationIds = seen.version === incidentVersion ? asSeen(seen).reservationIds : [];
      ctx.issue('incident.close', () => ({ incidentId, closeId: randomUUID(), closingCode, incidentVersion, reservationIds }));
      return { incident: incident(incidentId) };
    },
    'incidents.reopen': ({ incidentId, reason, incidentVersion }) => {
      ctx.issue('incident.reopen', () => ({ incidentId, reopenId: randomUUID(), reason, incidentVersion }));
      return { incident: incident(incidentId) };
    },
    'incidents.changeType': ({ incidentId, type, reason }) => {
      // Typed again as what it already is: nothing would change, so nothing is issued and no re-assessment is asked.
      const current = incident(incidentId);
      if (current.type === type) {
        const name = findIncidentType(ctx.config, type)?.name ?? type;
        throw new ApiError('bad_request', `${displayReference(current)} is already ${name} (${type}): nothing changed`);
      }
      ctx.issue('incident.changeType', () => ({ incidentId, changeId: randomUUID(), type, reason }));
      return { incident: incident(incidentId) };
    },
    'incidents.takeOwnership': ({ incidentId, incidentVersion }) => {
      ctx.issue('incident.takeOwnership', () => ({ incidentId, takeId: randomUUID(), incidentVersion }));
      return { incident: incident(incidentId) };
    },
    'incidents.regrade': ({ incidentId, grade, reason }) => {
      ctx.issue('incident.regrade', () => ({ incidentId, changeId: randomUUID(), grade, reason }));
      return { incident: incident(incidentId) };
    },
    'incidents.decideDowngrade': ({ incidentId, approve, note }) => {
      ctx.issue('incident.decideDowngrade', () => ({ incidentId, decisionId: randomUUID(), approve, note }));
      return { incident: incident(incidentId) };
    },
    'incidents.assessRisk': ({ incidentId, answers }) => {
      ctx.issue('incident.assessRisk', () => ({ incidentId, assessmentId: randomUUID(), answers }));
      return { incident: incident(incidentId) };
    },
    'incidents.link': ({ incidentId, otherId, unlink }) => {
      if (incidentId === otherId) throw new ApiError('bad_request', 'an incident cannot be linked to itself');
      incident(otherId);
      ctx.issue(unlink ? 'incident.unlink' : 'incident.link', () => ({ incidentId, otherId, linkId: randomUUID() }));
      // Either may be closed, named by its reference and never opened: the answer shows no more than a list would.
      return { incident: consultations.incidentRow(incident(incidentId)) };
    },
    'incidents.duplicates': ({ point, type, callerNumber }) => {
      const now = new Date(ctx.clock.now()).toISOString();
      const open = store.view.incidents('open');
      const proposals = proposeDuplicates({ point, type, callerNumber, at: now }, open, ctx.config);
      return { proposals: proposals.slice(0, 5).map((p) => ({ incident: consultations.incidentRow(incident(p.incidentId)), score: p.score, reasons: p.reasons })) };
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { PaperTimeField } from '../../../shared/contract/catch-up';
import { ApiError } from '../../../shared/contract/errors';
import { readPaperTime } from '../../../shared/domain/back-entry';
import type { IncidentLocation } from '../../../shared/domain/location';
import { wallClock } from '../../../shared/domain/wall-clock';
import { outageCalls, paperAnswerRefusal, paperCallRefusal, type OutageSpan } from '../../../shared/domain/paper-calls';
import { mintProvisionalReference } from '../../sync/issue-command';
import type { CatchUp } from '../catch-up';
import { found, type CoreContext, type HandlerGroup } from '../core-context';

type CatchUpChannels = 'catchUp.status' | 'catchUp.start' | 'catchUp.finish' | 'catchUp.enterIncident' | 'catchUp.outageCalls' | 'catchUp.attachCall';

/**
 * Catch-up after an outage: the desk's memory of it (CatchUp), and the paper incident entered with its own times.
 * A paper incident, its log lines and its deployments are one action: saved together, in one transaction with their
 * outbox commands, or not at all. Every paper time is read in the force's time zone on the day the form says, and
 * refused with the field it came from if it is not a time of the outage (shared/domain/back-entry.ts). The call the
 * paper record came from, if the form names one, is answered on paper in the same transaction
 * (shared/domain/paper-calls.ts).
 */
export function catchUpHandlers(ctx: CoreContext, catchUp: CatchUp): HandlerGroup<CatchUpChannels> {
  const { store } = ctx;
  return {
    'catchUp.status': () => catchUp.status(),
    'catchUp.start': ({ from }) => {
      try {
        return catchUp.start(from);
      } catch (error) {
        if (error instanceof RangeError) throw new ApiError('bad_request', error.message);
        throw error;
      }
    },
    'catchUp.finish': () => catchUp.finish(),
    'catchUp.outageCalls': () => {
      const span = catchUp.outageSpan();
      return { calls: span ? outageCalls(store.view.liveContacts(), spanMs(span)) : [] };
    },
    'catchUp.attachCall': ({ incidentId, contactId, answeredAt }) => {
      const outageFrom = catchUp.outageFrom();
      const span = catchUp.outageSpan();
      if (!outageFrom || !span) throw new ApiError('bad_request', 'catch-up is not under way: start it to enter records kept on paper');
      const wall = wallClock(ctx.config.force.timeZone);
      const now = ctx.clock.now();
      const incident = store.view.get('incident', incidentId);
      if (!incident) throw new ApiError('not_found', 'no such incident on this desk');
      const read = readPaperTime(wall, { fromMs: Date.parse(outageFrom) }, answeredAt.time, now, answeredAt.date || undefined);
      if (!read.ok) throw new ApiError('bad_request', `Time further call answered: ${read.message}`);
      const contact = store.view.get('contact', contactId);
      if (!contact) throw new ApiError('bad_request', 'Further call on paper: this desk does not know that call');
      const words = (ms: number) => wall.dateTime(ms);
      const notOfOutage = paperCallRefusal(contact, spanMs(span), words);
      if (notOfOutage) throw new ApiError('bad_request', `Further call on paper: ${notOfOutage}`);
      const on = { openedMs: null, closedMs: incident.closedAt ? Date.parse(incident.closedAt) : null };
      const badTime = paperAnswerRefusal(contact, read.at, spanMs(span), on, now, words);
      if (badTime) throw new ApiError('bad_request', `Time further call answered: ${badTime}`);
      const at = new Date(read.at).toISOString();
      ctx.issue('contact.answerOnPaper', () => ({ contactId, incidentId, answeredAt: at, attached: true, paper: { outageFrom, backAt: span.backAt } }));
      return { incident: found(store.view.incident(incidentId), 'incident') };
    },
    'catchUp.enterIncident': (request) => {
      const outageFrom = catchUp.outageFrom();
      const span = catchUp.outageSpan();
      if (!outageFrom || !span) throw new ApiError('bad_request', 'catch-up is not under way: start it to enter records kept on paper');
      const wall = wallClock(ctx.config.force.timeZone);
      const now = ctx.clock.now();
      /** A paper time as an instant (ISO), or the reason it is not one, naming its field. */
      const read = (field: string, paper: PaperTimeField): string => {
        const result = readPaperTime(wall, { fromMs: Date.parse(outageFrom) }, paper.time, now, paper.date || undefined);
        if (!result.ok) throw new ApiError('bad_request', `${field}: ${result.message}`);
        return new Date(result.at).toISOString();
      };
      /**
       * A unit's row on the paper form has one date, the day of its first time: a later time on the row that reads
       * earlier than the one before it on that date (deployed 23:58, at scene 00:04) is the next day's, when that is a
       * time of the outage. Anything else is read as written (and times out of order are refused as such).
       */
      const readAfter = (field: string, paper: PaperTimeField, before: string): string => {
        const asWritten = readPaperTime(wall, { fromMs: Date.parse(outageFrom) }, paper.time, now, paper.date || undefined);
        if (asWritten.ok && asWritten.at >= Date.parse(before)) return new Date(asWritten.at).toISOString();
        const day = paper.date || wall.date(Date.parse(outageFrom));
        const noon = Date.parse(`${day}T12:00:00Z`);
        if (/^\d{4}-\d{2}-\d{2}$/.test(day) && Number.isFinite(noon)) {
          const nextDay = new Date(noon + 86_400_000).toISOString().slice(0, 10);
          const next = readPaperTime(wall, { fromMs: Date.parse(outageFrom) }, paper.time, now, nextDay);
          if (next.ok && next.at >= Date.parse(before) && next.at - Date.parse(before) < 86_400_000) return new Date(next.at).toISOString();
        }
        return read(field, paper);
      };
      const callAt = read('Time of call', request.callAt);
      const log = request.log.map((line, i) => ({ at: read(`Log line ${i + 1}`, line.at), text: line.text }));
      const deployments = request.deployments.map((deployment, i) => {
        const label = `Unit ${i + 1} (${deployment.unitId})`;
        const deployedAt = read(`${label}, deployed`, deployment.deployedAt);
        const arrivedAt = deployment.arrivedAt && readAfter(`${label}, at scene`, deployment.arrivedAt, deployedAt);
        const clearedAt = deployment.clearedAt && readAfter(`${label}, cleared`, deployment.clearedAt, arrivedAt ?? deployedAt);
        return { unitId: deployment.unitId, deployedAt, arrivedAt, clearedAt };
      });
      const call = request.call && answeredOnPaper(request.call.contactId, read('Time answered on paper', request.call.answeredAt), callAt);
      const incidentId = randomUUID();
      // Where the paper says, as typed: flagged unverified for the dispatcher to locate on the map.
      const location: IncidentLocation = { text: request.location, point: null, source: 'unverified', district: null, accuracyM: null };
      const paper = { outageFrom };
      ctx.issueAll([
        {
          name: 'incident.create',
          makeArgs: () => ({
            incidentId,
            provisionalReference: mintProvisionalReference(store, ctx.workstation),
            type: request.type,
            grade: request.grade,
            location,
            description: request.description,
            callerName: request.callerName,
            callerNumber: request.callerNumber,
            firstLog: null,
            paper: { at: callAt, outageFrom },
          }),
        },
        ...(call ? [{ name: 'contact.answerOnPaper', makeArgs: () => ({ contactId: call.contactId, incidentId, answeredAt: call.answeredAt, paper: { outageFrom, backAt: span.backAt } }) }] : []),
        ...log.map((line) => ({ name: 'incident.addLog', makeArgs: () => ({ incidentId, entryId: randomUUID(), text: line.text, paper: { at: line.at, outageFrom } }) })),
        ...deployments.map((deployment) => ({ name: 'assignment.record', makeArgs: () => ({ assignmentId: randomUUID(), incidentId, ...deployment, paper }) })),
      ]);
      return { incident: found(store.view.incident(incidentId), 'incident just entered') };

      /** The call named on the form, answered at `answeredAt` (a paper time read already): refused in words if it cannot be. */
      function answeredOnPaper(contactId: string, answeredAt: string, incidentAt: string) {
        const contact = store.view.get('contact', contactId);
        if (!contact) throw new ApiError('bad_request', 'Call on paper: this desk does not know that call');
        const words = (ms: number) => wall.dateTime(ms);
        const notOfOutage = paperCallRefusal(contact, spanMs(span!), words);
        if (notOfOutage) throw new ApiError('bad_request', `Call on paper: ${notOfOutage}`);
        const badTime = paperAnswerRefusal(contact, Date.parse(answeredAt), spanMs(span!), { openedMs: Date.parse(incidentAt), closedMs: null }, now, words);
        if (badTime) throw new ApiError('bad_request', `Time answered on paper: ${badTime}`);
        return { contactId, answeredAt };
      }
    },
  };
}

function spanMs(span: { from: string; backAt: string }): OutageSpan {
  return { fromMs: Date.parse(span.from), toMs: Date.parse(span.backAt) };
}

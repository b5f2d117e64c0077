import { randomUUID } from 'node:crypto';
import type { PaperTimeField } from '../../../shared/contract/catch-up';
import { ApiError } from '../../../shared/contract/errors';
import { readPaperTime } from '../../../shared/domain/back-entry';
import type { IncidentLocation } from '../../../shared/domain/location';
import { wallClock } from '../../../shared/domain/wall-clock';
import { mintProvisionalReference } from '../../sync/issue-command';
import type { CatchUp } from '../catch-up';
import { found, type CoreContext, type HandlerGroup } from '../core-context';

type CatchUpChannels = 'catchUp.status' | 'catchUp.start' | 'catchUp.finish' | 'catchUp.enterIncident';

/**
 * Catch-up after an outage: the desk's memory of it (CatchUp), and the paper incident entered with its own times.
 * A paper incident, its log lines and its deployments are one action: saved together, in one transaction with their
 * outbox commands, or not at all. Every paper time is read in the force's time zone on the day the form says, and
 * refused with the field it came from if it is not a time of the outage (shared/domain/back-entry.ts).
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
    'catchUp.enterIncident': (request) => {
      const outageFrom = catchUp.outageFrom();
      if (!outageFrom) throw new ApiError('bad_request', 'catch-up is not under way: start it to enter records kept on paper');
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
        ...log.map((line) => ({ name: 'incident.addLog', makeArgs: () => ({ incidentId, entryId: randomUUID(), text: line.text, paper: { at: line.at, outageFrom } }) })),
        ...deployments.map((deployment) => ({ name: 'assignment.record', makeArgs: () => ({ assignmentId: randomUUID(), incidentId, ...deployment, paper }) })),
      ]);
      return { incident: found(store.view.incident(incidentId), 'incident just entered') };
    },
  };
}

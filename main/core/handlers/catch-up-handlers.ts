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
      const callAt = read('Time of call', request.callAt);
      const log = request.log.map((line, i) => ({ at: read(`Log line ${i + 1}`, line.at), text: line.text }));
      const deployments = request.deployments.map((deployment, i) => {
        const label = `Unit ${i + 1} (${deployment.unitId})`;
        return {
          unitId: deployment.unitId,
          deployedAt: read(`${label}, deployed`, deployment.deployedAt),
          arrivedAt: deployment.arrivedAt && read(`${label}, at scene`, deployment.arrivedAt),
          clearedAt: deployment.clearedAt && read(`${label}, cleared`, deployment.clearedAt),
        };
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

import { randomUUID } from 'node:crypto';
import { found, type CoreContext, type HandlerGroup } from '../core-context';

type DispatchChannels = 'units.list' | 'units.assign' | 'assignments.setStatus';

/** Units and their deployments: each action carries the version the dispatcher saw. */
export function dispatchHandlers(ctx: CoreContext): HandlerGroup<DispatchChannels> {
  const { store } = ctx;
  const assignment = (id: string) => found(store.view.view('assignment', id), `assignment ${id}`);
  return {
    'units.list': () => ({ units: store.view.units() }),
    'units.assign': ({ unitId, incidentId, unitVersion }) => {
      const assignmentId = randomUUID();
      ctx.issue('unit.assign', () => ({ assignmentId, unitId, incidentId, unitVersion }));
      return { assignment: assignment(assignmentId) };
    },
    'assignments.setStatus': ({ assignmentId, status, assignmentVersion }) => {
      const current = assignment(assignmentId);
      ctx.issue('assignment.setStatus', () => ({ assignmentId, unitId: current.unitId, incidentId: current.incidentId, status, assignmentVersion }));
      return { assignment: assignment(assignmentId) };
    },
  };
}

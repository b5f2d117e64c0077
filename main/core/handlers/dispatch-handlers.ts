import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../shared/contract/errors';
import type { AssignmentView } from '../../../shared/contract/views';
import { recommendUnits } from '../../../shared/dispatch/recommend';
import { unitStatus } from '../../../shared/dispatch/unit-status';
import { tourEndsAtMs } from '../../../shared/dispatch/shifts';
import type { DispatchBridge } from '../dispatch-bridge';
import type { DeskMoments } from '../desk-moments';
import { found, type CoreContext, type HandlerGroup } from '../core-context';

type DispatchChannels =
  | 'units.list'
  | 'units.assign'
  | 'units.recommend'
  | 'units.deploy'
  | 'units.setDuty'
  | 'units.answerShiftEnd'
  | 'units.positions'
  | 'assignments.setStatus'
  | 'assignments.confirmByRadio'
  | 'assignments.answerLateRejection'
  | 'alarms.sound';

/** Units and their deployments: each action carries the version the dispatcher saw. */
export function dispatchHandlers(ctx: CoreContext, bridge: DispatchBridge, moments: DeskMoments): HandlerGroup<DispatchChannels> {
  const { store, config } = ctx;
  const assignment = (id: string) => found(store.view.view('assignment', id), `assignment ${id}`);
  const unitView = (id: string) => found(store.view.view('unit', id), `unit ${id}`);
  /** The alarms this workstation has sounded: once each, whichever of its windows asks first. */
  const sounded = new Set<string>();

  /** One action, one local transaction: every unit deployed, or (if the rules refuse one here) none. */
  const deploy = (incidentId: string, units: readonly { unitId: string; unitVersion: number }[], reserveFor: string | null): AssignmentView[] => {
    const ids = units.map(() => randomUUID());
    ctx.issueAll(units.map(({ unitId, unitVersion }, i) => ({ name: 'unit.assign', makeArgs: () => ({ assignmentId: ids[i], unitId, incidentId, unitVersion, reserveFor }) })));
    const made = ids.map(assignment);
    bridge.deployed(made);
    return made;
  };

  return {
    'units.list': () => ({ units: store.view.units(), assignments: store.view.activeAssignments() }),
    'units.assign': ({ unitId, incidentId, unitVersion }) => ({ assignment: deploy(incidentId, [{ unitId, unitVersion }], null)[0]! }),
    'units.deploy': ({ incidentId, units, reserveFor }) => {
      if (new Set(units.map((u) => u.unitId)).size !== units.length) throw new ApiError('bad_request', 'a unit is named twice');
      return { assignments: deploy(incidentId, units, reserveFor) };
    },
    'units.recommend': ({ incidentId }) => {
      const incident = found(store.view.get('incident', incidentId), `incident ${incidentId}`);
      // A lent unit is proposed only to the force it is lent to, for the incident it is lent for (shared/domain/loan.ts).
      const units = store.view.units().filter((unit) => (unit.loan ? unit.loan.to === config.force.code && unit.loan.incidentId === incidentId : unit.force === config.force.code));
      const candidates = units.map((unit) => ({
        unitId: unit.id,
        callSign: unit.callSign,
        type: unit.type,
        skills: unit.skills,
        status: unitStatus(unit, (id) => store.view.get('assignment', id), ctx.clock.now()),
        position: bridge.positionOf(unit.id),
        tourEndsAtMs: tourEndsAtMs(unit),
      }));
      const recommendation = recommendUnits(config, { type: incident.type, point: incident.location.point }, candidates, ctx.clock.now());
      const versionOf = new Map(units.map((u) => [u.id, u.version]));
      // Asked only to show it to a dispatcher: what was proposed, best first, is a moment for the review.
      moments.record({ what: 'proposed', incidentId, units: recommendation.proposals.map((p) => p.callSign) });
      return { incidentId, ...recommendation, proposals: recommendation.proposals.map((p) => ({ ...p, unitVersion: versionOf.get(p.unitId)! })) };
    },
    'units.setDuty': ({ unitId, duty, unitVersion, until }) => {
      ctx.issue('unit.setDuty', () => ({ unitId, duty, unitVersion, until }));
      return { unit: unitView(unitId) };
    },
    'units.answerShiftEnd': ({ unitId, unitVersion, extendUntil }) => {
      const incidentId = unitView(unitId).commitment?.incidentId ?? null;
      ctx.issue('unit.answerShiftEnd', () => ({ unitId, unitVersion, extendUntil, incidentId }));
      return { unit: unitView(unitId) };
    },
    'units.positions': () => ({ fixes: bridge.positions() }),
    'assignments.setStatus': ({ assignmentId, status, assignmentVersion }) => {
      const current = assignment(assignmentId);
      ctx.issue('assignment.setStatus', () => ({ assignmentId, unitId: current.unitId, incidentId: current.incidentId, status, assignmentVersion }));
      const moved = assignment(assignmentId);
      if (moved.status === 'assigned' && current.status === 'reserved') bridge.deployed([moved]);
      return { assignment: moved };
    },
    'assignments.confirmByRadio': ({ assignmentId }) => {
      const { unitId, incidentId } = assignment(assignmentId);
      ctx.issue('assignment.confirmByRadio', () => ({ assignmentId, unitId, incidentId }));
      return { assignment: assignment(assignmentId) };
    },
    'assignments.answerLateRejection': ({ assignmentId, standDown, assignmentVersion }) => {
      const { unitId, incidentId } = assignment(assignmentId);
      ctx.issue('assignment.answerLateRejection', () => ({ assignmentId, unitId, incidentId, standDown, assignmentVersion }));
      return { assignment: assignment(assignmentId) };
    },
    'alarms.sound': ({ key }) => {
      const play = !sounded.has(key);
      sounded.add(key);
      return { play };
    },
  };
}

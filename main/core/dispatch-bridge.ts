import type { AssignmentView } from '../../shared/contract/views';
import { homeOf } from '../../shared/domain/force-config';
import { displayReference } from '../../shared/domain/incident';
import { describeLocation, type GeoPoint } from '../../shared/domain/location';
import { canMoveAssignment, commitsUnit } from '../../shared/domain/assignment';
import { derivedId } from '../../shared/domain/derived-id';
import type { AvlAdapter, UnitFix } from '../adapters/avl/avl-adapter';
import type { TerminalAdapter, TerminalEvent } from '../adapters/terminal/terminal-adapter';
import type { CoreContext } from './core-context';
import type { HeldEvents } from './held-events';

/**
 * Between the dispatcher's actions and the vehicles: deployments made here go to the units' terminals, whose
 * receipts, status presses and bookings come back as commands this workstation relays in each terminal's name (not
 * the signed-in operator's: see CoreContext.relay), through held events of their own (in order, held only while the
 * file refuses writes); AVL positions are kept in memory only (the last per
 * unit) and passed to the windows, so a full disk cannot lose them. The simulated vehicles are told where they are
 * sent.
 */
export class DispatchBridge {
  private readonly fixes = new Map<string, UnitFix>();
  private stopArrivals: (() => void) | null = null;
  /** Deployments whose message has gone to the vehicle (by assignment id), with the unit sent. */
  private readonly sent = new Map<string, string>();
  /** Deployments sent and still standing here (not yet cleared): those a withdrawal must reach if they go. */
  private readonly standing = new Set<string>();

  /**
   * `everyDeployment`: this workstation drives the vehicles of deployments made anywhere (an exercise's trainer's
   * desk, whose simulated vehicles are the exercise's), not only of its own.
   */
  constructor(
    private readonly ctx: CoreContext,
    private readonly terminal: TerminalAdapter | null,
    private readonly avl: AvlAdapter | null,
    private readonly held: HeldEvents,
    private readonly options: { everyDeployment?: boolean } = {},
  ) {}

  start(): void {
    this.terminal?.start((event) => this.held.receive({ event, apply: () => this.fromTerminal(event) }));
    this.avl?.start((fixes) => this.moved(fixes));
    this.stopArrivals = this.avl?.onArrival?.((arrival) => !arrival.home && this.arrived(arrival.unitId)) ?? null;
    this.resumeJourneys();
  }

  /**
   * After a restart: the vehicles this workstation sent that were on their way when it stopped drive on, as real
   * vehicles would (they do not stop because a dispatcher's workstation did), and their crews book at scene on
   * arrival. Only deployments sent from here (the deployment's log line names this workstation), so two desks with
   * simulated vehicles never drive one unit twice. A simulated vehicle sets off again from its station: the
   * simulator kept no position across the restart.
   */
  private resumeJourneys(): void {
    if (!this.avl?.setDestination) return;
    for (const assignment of this.ctx.store.view.activeAssignments()) {
      if (assignment.status !== 'en_route') continue;
      if (this.ctx.store.view.get('logEntry', derivedId(assignment.id, 'assigned'))?.workstation !== this.ctx.workstation) continue;
      const point = this.ctx.store.view.get('incident', assignment.incidentId)?.location.point;
      if (!point) continue;
      this.terminal?.resumeEnRoute?.(assignment.unitId, assignment.id);
      this.avl.setDestination(assignment.unitId, point);
    }
  }

  stop(): void {
    this.stopArrivals?.();
    this.terminal?.stop();
    this.avl?.stop();
  }

  positions(): UnitFix[] {
    return [...this.fixes.values()];
  }

  /** Where a unit is: its last AVL fix, or else its home station, or null when neither is known. */
  positionOf(unitId: string): GeoPoint | null {
    const fix = this.fixes.get(unitId);
    if (fix) return fix.point;
    const unit = this.ctx.store.view.get('unit', unitId);
    return (unit && homeOf(this.ctx.config, unit)) ?? null;
  }

  /** Deployments just made at this workstation: each message goes to its vehicle, which is told where to go. */
  deployed(assignments: readonly AssignmentView[]): void {
    for (const assignment of assignments) {
      if (commitsUnit(assignment.status)) this.send(assignment);
    }
  }

  /** A deployment's message to its vehicle, once per deployment however often it is seen. */
  private send(assignment: AssignmentView): void {
    if (this.sent.has(assignment.id)) return;
    const incident = this.ctx.store.view.get('incident', assignment.incidentId);
    const unit = this.ctx.store.view.get('unit', assignment.unitId);
    if (!incident || !unit) return;
    this.sent.set(assignment.id, unit.id);
    this.standing.add(assignment.id);
    const grade = this.ctx.config.grades.find((g) => g.code === incident.grade)?.name ?? incident.grade;
    this.terminal?.send({
      assignmentId: assignment.id,
      unitId: unit.id,
      callSign: unit.callSign,
      summary: `${displayReference(incident)} grade ${incident.grade} ${grade}: ${incident.type} at ${describeLocation(incident.location)}`,
    });
    if (incident.location.point) this.avl?.setDestination?.(unit.id, incident.location.point);
  }

  /**
   * An assignment changed: a unit cleared from its job goes back to its station. On an exercise's trainer's desk,
   * which drives every vehicle of the exercise, a deployment made at any trainee's desk goes to its vehicle too.
   */
  assignmentsChanged(assignments: readonly AssignmentView[]): void {
    for (const assignment of assignments) {
      if (this.options.everyDeployment && assignment.status === 'assigned' && assignment.delivery?.state === 'sent') this.send(assignment);
      if (assignment.status !== 'cleared') continue;
      this.standing.delete(assignment.id);
      const unit = this.ctx.store.view.get('unit', assignment.unitId);
      if (unit && !unit.commitment) this.avl?.setDestination?.(unit.id, null);
    }
  }

  /**
   * Deployments gone from this workstation: one sent to its vehicle and not cleared went because the server never
   * committed it (made offline and refused on reconnecting: the unit was lent meanwhile, or the incident closed), so
   * the crew is told it is withdrawn, and the vehicle is no longer sent there. Its receipts already relayed are kept
   * by the server on the deployment's conflict (Conflict.followedBy); any later one is dropped (answeredFromTerminal).
   */
  assignmentsRemoved(ids: readonly string[]): void {
    for (const id of ids) {
      const unitId = this.sent.get(id);
      if (!unitId || !this.standing.delete(id)) continue;
      this.terminal?.withdraw?.({ assignmentId: id, unitId }, 'deployment withdrawn by the control room: it was not committed, see your dispatcher');
      const unit = this.ctx.store.view.get('unit', unitId);
      if (!unit?.commitment) this.avl?.setDestination?.(unitId, null);
    }
  }

  /** A vehicle reached where it was sent: its (simulated) crew books at scene. */
  arrived(unitId: string): void {
    this.terminal?.arrived?.(unitId);
  }

  private moved(fixes: UnitFix[]): void {
    for (const fix of fixes) this.fixes.set(fix.unitId, fix);
    if (this.ctx.session.signedIn && fixes.length > 0) this.ctx.emit('units.moved', { fixes });
  }

  /**
   * Records a terminal's message, through the held events (so in order, and once the file takes writes; not waiting
   * for a sign-in: a relay is not the operator's). A message the rules refuse (the unit stood down meanwhile, or a
   * terminal speaking of another unit's deployment) throws, and the held events log it and go on; a store fault
   * throws too, and the message is held until the store takes it.
   */
  private fromTerminal(event: TerminalEvent): void {
    if (event.type === 'duty') this.bookedFromTerminal(event.unitId, event.duty, event.at, event.until ?? null);
    else this.answeredFromTerminal(event);
  }

  /**
   * A receipt or a status press for a deployment, relayed as the unit's terminal's (never the signed-in operator's),
   * at the time the crew pressed. The arguments name the deployment's own unit: the rules refuse a terminal's
   * message about another unit's deployment.
   */
  private answeredFromTerminal(event: Exclude<TerminalEvent, { type: 'duty' }>): void {
    const assignment = this.ctx.store.view.get('assignment', event.assignmentId);
    // A deployment already cleared has nothing left for a crew to answer (a breakdown after the job was done).
    if (!assignment || assignment.status === 'cleared') return;
    const relay = { kind: 'terminal', unitId: event.unitId } as const;
    if (event.type === 'receipt') {
      this.ctx.relay(relay, 'assignment.receipt', () => ({ assignmentId: assignment.id, unitId: assignment.unitId, incidentId: assignment.incidentId, receipt: event.receipt, note: event.note }), event.at);
      // A rejection that stands the unit down clears the deployment: assignmentsChanged sends the vehicle home.
    } else if (canMoveAssignment(assignment.status, event.status)) {
      this.ctx.relay(relay, 'assignment.setStatus', () => ({ assignmentId: assignment.id, unitId: assignment.unitId, incidentId: assignment.incidentId, status: event.status, assignmentVersion: assignment.version }), event.at);
    }
  }

  /**
   * The crew booked on or off, or unavailable (a vehicle defect), through the terminal: the unit's duty, by its shift
   * as for a dispatcher's booking. A unit off duty is not made unavailable (it must book on first).
   */
  private bookedFromTerminal(unitId: string, duty: 'on_duty' | 'off_duty' | 'unavailable', at: string, until: string | null): void {
    const unit = this.ctx.store.view.get('unit', unitId);
    if (!unit || unit.duty === duty || (duty === 'on_duty' && unit.duty !== 'off_duty') || (duty === 'unavailable' && unit.duty === 'off_duty')) return;
    this.ctx.relay({ kind: 'terminal', unitId }, 'unit.setDuty', () => ({ unitId: unit.id, duty, unitVersion: unit.version, via: 'terminal', until }), at);
  }
}

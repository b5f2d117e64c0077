import { instantOf, type Clock } from '../../../shared/domain/time';
import { nextShiftStart, shiftSpansAround, type ShiftTimes } from '../../../shared/dispatch/shifts';
import type { Scheduler } from '../../../node-common/scheduler';
import type { Deployment, TerminalAdapter, TerminalEvent } from './terminal-adapter';

export interface SimulatedTerminalOptions {
  clock: Clock;
  scheduler: Scheduler;
  /** Seconds from sending to the terminal's receipt, and from the receipt to the crew accepting. */
  receivedAfterS?: number;
  acceptedAfterS?: number;
  /** Call signs whose crews reject every deployment (to rehearse a refusal). */
  rejectingCallSigns?: readonly string[];
  /**
   * The crews, with their shifts in the force's time zone: each books on through its terminal as its shift starts
   * (at once, for a shift under way when the simulator starts). None: crews never book on by themselves.
   */
  crews?: { unitId: string; shift: ShiftTimes | null }[];
  timeZone?: string;
}

/**
 * Vehicles' terminals, simulated: each crew books on as its shift starts; each deployment is received, then
 * accepted (the crew booking en route at once), or rejected by a crew set to refuse; the crew presses "at scene" when
 * its vehicle arrives. Crews do not book off: the console does that at the shift's end.
 */
export class SimulatedTerminal implements TerminalAdapter {
  private listener: ((event: TerminalEvent) => void) | null = null;
  private readonly timers = new Set<unknown>();
  /** The deployment each unit is on its way to, to book it at scene when it arrives. */
  private readonly enRoute = new Map<string, string>();
  /** The deployment each unit was last sent and has not yet cleared or rejected: what a breakdown interrupts. */
  private readonly current = new Map<string, string>();
  /** An exercise's crews told to refuse their next deployment, with their reason. */
  private readonly refusingNext = new Map<string, string>();
  /** An exercise's broken-down vehicles, with the reason: their crews refuse every deployment from then on. */
  private readonly brokenDown = new Map<string, string>();
  /** Deployments withdrawn since they were sent, with what the crew was told: nothing more is said of them. */
  private readonly withdrawn = new Map<string, string>();
  /** An exercise's delayed crews: minutes between the vehicle reaching the scene and the crew booking at scene. */
  private readonly delays = new Map<string, number>();

  constructor(private readonly options: SimulatedTerminalOptions) {}

  start(listener: (event: TerminalEvent) => void): void {
    this.listener = listener;
    const { crews = [], timeZone } = this.options;
    if (!timeZone) return;
    const now = this.options.clock.now();
    for (const crew of crews) {
      if (!crew.shift) continue;
      const shift = crew.shift;
      if (shiftSpansAround(timeZone, shift, now).some((span) => span.startMs <= now && now < span.endMs)) this.bookOn(crew.unitId);
      const atNextStart = () => {
        this.bookOn(crew.unitId);
        this.after((nextShiftStart(timeZone, shift, this.options.clock.now()) - this.options.clock.now()) / 1000, atNextStart);
      };
      this.after((nextShiftStart(timeZone, shift, now) - now) / 1000, atNextStart);
    }
  }

  private bookOn(unitId: string): void {
    this.emit({ type: 'duty', unitId, duty: 'on_duty', at: this.now() });
  }

  stop(): void {
    for (const timer of this.timers) this.options.scheduler.clearTimeout(timer);
    this.timers.clear();
    this.listener = null;
  }

  send(deployment: Deployment): void {
    const { receivedAfterS = 1, acceptedAfterS = 3 } = this.options;
    const { unitId } = deployment;
    const refusal = this.options.rejectingCallSigns?.includes(deployment.callSign)
      ? 'crew committed to a prisoner'
      : this.brokenDown.has(unitId)
        ? `vehicle broken down${reasonOf(this.brokenDown.get(unitId)!)}`
        : this.refusingNext.get(unitId);
    // A refusal of the next deployment is used up by this one.
    this.refusingNext.delete(unitId);
    this.current.set(unitId, deployment.assignmentId);
    this.after(receivedAfterS, () => this.emit({ type: 'receipt', unitId: deployment.unitId, assignmentId: deployment.assignmentId, receipt: 'received', note: '', at: this.now() }));
    this.after(receivedAfterS + acceptedAfterS, () => {
      if (this.withdrawn.has(deployment.assignmentId)) return;
      if (refusal !== undefined) {
        if (this.current.get(unitId) === deployment.assignmentId) this.current.delete(unitId);
        this.emit({ type: 'receipt', unitId: deployment.unitId, assignmentId: deployment.assignmentId, receipt: 'rejected', note: refusal, at: this.now() });
        return;
      }
      this.emit({ type: 'receipt', unitId: deployment.unitId, assignmentId: deployment.assignmentId, receipt: 'accepted', note: '', at: this.now() });
      this.emit({ type: 'status', unitId: deployment.unitId, assignmentId: deployment.assignmentId, status: 'en_route', at: this.now() });
      this.enRoute.set(deployment.unitId, deployment.assignmentId);
    });
  }

  /**
   * The deployment is withdrawn (never committed on the server): the crew stops answering it, does not book at scene
   * for it, and a receipt it had not yet sent is never sent.
   */
  withdraw(deployment: { assignmentId: string; unitId: string }, reason: string): void {
    const { assignmentId, unitId } = deployment;
    this.withdrawn.set(assignmentId, reason);
    if (this.enRoute.get(unitId) === assignmentId) this.enRoute.delete(unitId);
    if (this.current.get(unitId) === assignmentId) this.current.delete(unitId);
  }

  /** What the crew of a withdrawn deployment was told, or undefined for one not withdrawn (for the tests and the exercise review). */
  withdrawal(assignmentId: string): string | undefined {
    return this.withdrawn.get(assignmentId);
  }

  resumeEnRoute(unitId: string, assignmentId: string): void {
    this.enRoute.set(unitId, assignmentId);
  }

  arrived(unitId: string): void {
    const assignmentId = this.enRoute.get(unitId);
    if (!assignmentId) return;
    this.enRoute.delete(unitId);
    // A delayed crew (an exercise's inject) books at scene so many minutes after its vehicle got there.
    const delayMinutes = this.delays.get(unitId);
    this.delays.delete(unitId);
    const atScene = () => this.emit({ type: 'status', unitId, assignmentId, status: 'at_scene', at: this.now() });
    if (delayMinutes === undefined) atScene();
    else this.after(delayMinutes * 60, atScene);
  }

  /** An exercise's starting state: the crew books on through its terminal now, on until `until` (ISO). */
  bookOnUntil(unitId: string, until: string): void {
    this.emit({ type: 'duty', unitId, duty: 'on_duty', at: this.now(), until });
  }

  /** An exercise's inject: the crew refuses the next deployment it is sent, with its reason. */
  rejectNext(unitId: string, reason: string): void {
    this.refusingNext.set(unitId, reason);
  }

  /**
   * An exercise's inject: the vehicle breaks down where it is. A deployment it was on is rejected with the reason (a
   * question for the dispatcher once the crew had accepted it), the crew books the unit unavailable, and every later
   * deployment is refused.
   */
  breakDown(unitId: string, reason: string): void {
    const note = `vehicle broken down${reasonOf(reason)}`;
    this.brokenDown.set(unitId, reason);
    this.enRoute.delete(unitId);
    const assignmentId = this.current.get(unitId);
    this.current.delete(unitId);
    if (assignmentId) this.emit({ type: 'receipt', unitId, assignmentId, receipt: 'rejected', note, at: this.now() });
    this.emit({ type: 'duty', unitId, duty: 'unavailable', at: this.now() });
  }

  /** An exercise's inject: the crew reaches its current (or next) deployment's scene `minutes` late. */
  delay(unitId: string, minutes: number): void {
    this.delays.set(unitId, minutes);
  }

  private after(seconds: number, run: () => void): void {
    const timer = this.options.scheduler.setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, seconds * 1000);
    this.timers.add(timer);
  }

  private emit(event: TerminalEvent): void {
    // A withdrawn deployment's crew says nothing more of it (a message already on its way is the workstation's to drop).
    if (event.type !== 'duty' && this.withdrawn.has(event.assignmentId)) return;
    this.listener?.(event);
  }

  private now(): string {
    return instantOf(this.options.clock);
  }
}

/** ": reason", or nothing for no reason. */
function reasonOf(reason: string): string {
  return reason ? `: ${reason}` : '';
}

import type { ContactSource } from '../../../shared/domain/contact';
import type { ExerciseClock } from '../../../shared/domain/exercise-clock';
import type { ExerciseTimeline, TimelineEntry } from '../../../shared/training/exercise-view';
import type { CallInject, Inject, Scenario } from '../../../shared/training/scenario';
import type { Scheduler } from '../../../node-common/scheduler';
import type { TelephonyAdapter, TelephonyEvent } from '../telephony/telephony-adapter';
import type { ExercisePorts } from './exercise-ports';

/**
 * Plays a scenario's timeline on the exercise clock, on the trainer's workstation: its calls ring through the same
 * telephony interface a real switch has (so they are relayed to the training server as `telephony` and reach every
 * trainee's queue), and the trainer can make an inject happen now, jump to the next, or add a call by hand. As the
 * exercise starts, the scenario's units book on through their terminals (standing where it says); vehicle injects
 * go to the simulated vehicles (ExerciseVehicles) and system injects to the training server (ExerciseSystem); notes
 * are shown on the trainer's timeline when due.
 */
export class ExerciseRunner implements TelephonyAdapter {
  private listener: ((event: TelephonyEvent) => void) | null = null;
  /** Timers of injects not yet played, by their index in the timeline. */
  private readonly waiting = new Map<number, unknown>();
  /** When each played inject was played (ms, exercise time). */
  private readonly played = new Map<number, number>();
  /** Vehicle and system injects that came due with nothing here to play them: the trainer must. */
  private readonly unplayed = new Set<number>();
  private readonly answered = new Map<string, CallInject | null>();
  private readonly calls = new Map<string, CallInject | null>();
  private readonly callTimers: unknown[] = [];
  private manualCalls = 0;
  private readonly changeListeners = new Set<() => void>();
  private ports: ExercisePorts = {};
  private startTimer: unknown = null;
  /** When the starting state was put in place (ms, exercise time), and what of it could not be. */
  private started: { at: number; missing: string[] } | null = null;

  /** `startMs`: the scenario's starting instant, when its offsets count from. */
  constructor(
    private readonly scenario: Scenario,
    private readonly clock: ExerciseClock,
    private readonly scheduler: Scheduler & { fireDue?(): void },
  ) {}

  private get startMs(): number {
    return Date.parse(this.scenario.startsAt);
  }

  /** Where vehicle and system injects go: given once the workstation's simulators and server exist. */
  connect(ports: ExercisePorts): void {
    this.ports = ports;
  }

  start(listener: (event: TelephonyEvent) => void): void {
    this.listener = listener;
    // Due at the scenario's first instant, so it happens as the trainer presses Start (a clock standing still fires nothing).
    this.startTimer = this.scheduler.setTimeout(() => this.putStartingState(), this.startMs - this.clock.now());
    this.scenario.injects.forEach((inject, index) => {
      const delay = this.startMs + inject.at * 1000 - this.clock.now();
      this.waiting.set(
        index,
        this.scheduler.setTimeout(() => this.play(index), delay),
      );
    });
  }

  answer(callId: string): void {
    const inject = this.calls.get(callId);
    if (inject === undefined || this.answered.has(callId)) return;
    this.answered.set(callId, inject);
    if (inject?.hangsUpAfter !== undefined) this.after(inject.hangsUpAfter, () => this.emit({ type: 'ended', callId, at: this.now() }));
  }

  /** A trainee answered it at their workstation: as answered here (the caller no longer abandons, hangs up in time). */
  answeredElsewhere(callId: string): void {
    this.answer(callId);
  }

  stop(): void {
    for (const timer of [...this.waiting.values(), ...this.callTimers.splice(0), this.startTimer]) this.scheduler.clearTimeout(timer);
    this.waiting.clear();
    this.listener = null;
  }

  /** The trainer's "make this inject happen now": played at once, and not again when its time comes. */
  injectNow(index: number): void {
    if (!this.waiting.has(index)) throw new Error(index in this.scenario.injects ? `inject ${index + 1} has already happened` : `there is no inject ${index + 1}`);
    this.play(index);
  }

  /**
   * The trainer's "next inject": the exercise clock jumps to the first inject still waiting, which happens at once
   * (with any others due by then, when the exercise runs; a paused exercise moves no further).
   */
  jumpToNext(): void {
    const next = [...this.waiting.keys()].sort((a, b) => a - b)[0];
    // Refused, the clock not moved: the trainer's desk offers no "Next inject" then, but a press may cross the last one.
    if (next === undefined) throw new Error('there is no next inject: every inject of the scenario has happened');
    this.clock.jumpTo(this.startMs + this.scenario.injects[next]!.at * 1000);
    this.play(next);
    this.scheduler.fireDue?.();
  }

  /** A call the trainer adds by hand: it rings now, on every trainee's queue, with no expected outcome to score. */
  addCall(source: ContactSource, callerNumber: string | null): string {
    const callId = `trainer-${++this.manualCalls}`;
    this.calls.set(callId, null);
    this.emit({ type: 'ringing', callId, source, callerNumber, at: this.now() });
    this.changed();
    return callId;
  }

  /** The timeline as the trainer's desk shows it: every inject, when, whether it has happened, and the hidden notes. */
  timeline(): ExerciseTimeline {
    const entries = this.scenario.injects.map((inject, index): TimelineEntry => {
      const played = this.played.get(index);
      return { index, at: new Date(this.startMs + inject.at * 1000).toISOString(), kind: inject.kind, label: labelOf(inject) + (this.unplayed.has(index) ? ' (not played here: for the trainer to play)' : ''), done: played === undefined ? null : new Date(played).toISOString() };
    });
    const started = this.started && { at: new Date(this.started.at).toISOString(), missing: this.started.missing };
    const downUntil = this.ports.system?.systemDownUntil(this.clock.now()) ?? null;
    const systemDownUntil = downUntil === null ? null : new Date(downUntil).toISOString();
    return { title: this.scenario.title, summary: this.scenario.summary, notes: this.scenario.notes, startsAt: this.scenario.startsAt, endsAt: new Date(this.endMs).toISOString(), entries, started, systemDownUntil };
  }

  /** Called whenever an inject happens, so the trainer's desk can be told. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private get endMs(): number {
    return this.startMs + this.scenario.durationMinutes * 60_000;
  }

  /**
   * The scenario's starting state: each unit on duty at the start books on through its terminal until the exercise
   * ends (whatever its rota says: the scenario puts it on), standing at its home station or where the scenario says;
   * the training server opens the incidents already open and places the warning markers. What nothing here could put
   * in place is listed on the timeline for the trainer.
   */
  private putStartingState(): void {
    this.startTimer = null;
    const missing: string[] = [];
    const { vehicles, startingState } = this.ports;
    const until = new Date(this.endMs).toISOString();
    if (vehicles) for (const unit of this.scenario.start.units) vehicles.bookOn(unit.callSign, until, unit.at ?? null);
    else if (this.scenario.start.units.length > 0) missing.push(`units on duty (${this.scenario.start.units.map((unit) => unit.callSign).join(', ')}): no simulated vehicles on this workstation`);
    const { incidents, markers } = this.scenario.start;
    const records = [
      ...(incidents.length > 0 ? [`incidents open at the start, to be opened by hand: ${incidents.map((incident) => `${incident.type} grade ${incident.grade} at ${incident.address}`).join('; ')}`] : []),
      ...(markers.length > 0 ? [`warning markers, to be added by a supervisor: ${markers.map((marker) => `${marker.warnings.join('/')} at ${marker.address}`).join('; ')}`] : []),
    ];
    this.started = { at: this.clock.now(), missing };
    if (records.length > 0 && startingState) {
      // The server's answer comes later; until then the timeline says nothing is missing of them. A failure lists them.
      startingState.put().then(
        () => this.changed(),
        (error: unknown) => {
          missing.push(...records.map((line) => `${line} (the training server could not: ${(error as Error).message})`));
          this.changed();
        },
      );
    } else missing.push(...records);
    this.changed();
  }

  /** A vehicle or system inject, through the simulators and the server; false when there is nothing here to play it. */
  private playThrough(inject: Exclude<Inject, CallInject | { kind: 'note' }>): boolean {
    if (inject.kind === 'vehicle') {
      const { vehicles } = this.ports;
      if (!vehicles) return false;
      if (inject.event === 'breaks_down') vehicles.breakDown(inject.unit, inject.reason ?? '');
      else if (inject.event === 'delayed') vehicles.delay(inject.unit, inject.minutes ?? 0);
      else vehicles.rejectNext(inject.unit, inject.reason ?? 'crew refused the deployment');
      return true;
    }
    const { system } = this.ports;
    if (!system) return false;
    const until = this.clock.now() + inject.forMinutes * 60_000;
    if (inject.event === 'cad_down') system.takeSystemDown(until);
    else system.cutWorkstation(inject.workstation!, until);
    return true;
  }

  private play(index: number): void {
    const timer = this.waiting.get(index);
    if (timer === undefined) return;
    this.scheduler.clearTimeout(timer);
    this.waiting.delete(index);
    this.played.set(index, this.clock.now());
    const inject = this.scenario.injects[index]!;
    if (inject.kind === 'call') this.ring(inject);
    else if (inject.kind !== 'note' && !this.playThrough(inject)) this.unplayed.add(index);
    this.changed();
  }

  private ring(inject: CallInject): void {
    const callId = inject.id;
    this.calls.set(callId, inject);
    this.emit({ type: 'ringing', callId, source: inject.source, callerNumber: inject.callerNumber, at: this.now() });
    if (inject.handset) {
      const { point, accuracyM, source, after } = inject.handset;
      this.after(after, () => this.emit({ type: 'location', callId, handsetLocation: { point, accuracyM, source, at: this.now() } }));
    }
    if (inject.abandonAfter !== undefined) {
      this.after(inject.abandonAfter, () => {
        if (!this.answered.has(callId)) this.emit({ type: 'abandoned', callId, at: this.now() });
      });
    }
  }

  private after(seconds: number, fn: () => void): void {
    this.callTimers.push(this.scheduler.setTimeout(fn, seconds * 1000));
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private emit(event: TelephonyEvent): void {
    this.listener?.(event);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}

/** One line for the trainer's timeline. */
function labelOf(inject: Inject): string {
  switch (inject.kind) {
    case 'call': {
      const from = inject.callerNumber ?? 'withheld';
      const what = inject.silent ? 'silent call' : inject.caller ? `“${inject.caller.opening}”` : 'no words';
      const expected = inject.expected.type ? `expected ${inject.expected.type} grade ${inject.expected.grades.join('/')}` : 'expected no incident';
      return `${inject.source} call ${inject.id} from ${from}: ${what} (${expected})`;
    }
    case 'vehicle': {
      const event = inject.event === 'breaks_down' ? 'breaks down' : inject.event === 'delayed' ? `is delayed ${inject.minutes ?? 0} minutes` : 'rejects its next deployment';
      return `${inject.unit} ${event}${inject.reason ? `: ${inject.reason}` : ''}`;
    }
    case 'system':
      return inject.event === 'cad_down'
        ? `The whole system goes down for ${inject.forMinutes} minutes`
        : `${inject.workstation ?? 'A workstation'} loses the network for ${inject.forMinutes} minutes`;
    case 'note':
      return `Note: ${inject.text}`;
  }
}

import type { ContactSource } from '../../../shared/domain/contact';
import type { ExerciseClock } from '../../../shared/domain/exercise-clock';
import type { ExerciseTimeline, TimelineEntry } from '../../../shared/training/exercise-view';
import type { CallInject, Inject, Scenario } from '../../../shared/training/scenario';
import type { Scheduler } from '../../../node-common/scheduler';
import type { TelephonyAdapter, TelephonyEvent } from '../telephony/telephony-adapter';

/**
 * Plays a scenario's timeline on the exercise clock, on the trainer's workstation: its calls ring through the same
 * telephony interface a real switch has (so they are relayed to the training server as `telephony` and reach every
 * trainee's queue), and the trainer can make an inject happen now, jump to the next, or add a call by hand. Vehicle and
 * system injects, and notes, are shown on the trainer's timeline when due, for the trainer to play.
 */
export class ExerciseRunner implements TelephonyAdapter {
  private listener: ((event: TelephonyEvent) => void) | null = null;
  /** Timers of injects not yet played, by their index in the timeline. */
  private readonly waiting = new Map<number, unknown>();
  /** When each played inject was played (ms, exercise time). */
  private readonly played = new Map<number, number>();
  private readonly answered = new Map<string, CallInject | null>();
  private readonly calls = new Map<string, CallInject | null>();
  private readonly callTimers: unknown[] = [];
  private manualCalls = 0;
  private readonly changeListeners = new Set<() => void>();

  /** `startMs`: the scenario's starting instant, when its offsets count from. */
  constructor(
    private readonly scenario: Scenario,
    private readonly clock: ExerciseClock,
    private readonly scheduler: Scheduler & { fireDue?(): void },
  ) {}

  private get startMs(): number {
    return Date.parse(this.scenario.startsAt);
  }

  start(listener: (event: TelephonyEvent) => void): void {
    this.listener = listener;
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

  stop(): void {
    for (const timer of [...this.waiting.values(), ...this.callTimers.splice(0)]) this.scheduler.clearTimeout(timer);
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
    if (next === undefined) throw new Error('every inject has already happened');
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
      return { index, at: new Date(this.startMs + inject.at * 1000).toISOString(), kind: inject.kind, label: labelOf(inject), done: played === undefined ? null : new Date(played).toISOString() };
    });
    return { title: this.scenario.title, summary: this.scenario.summary, notes: this.scenario.notes, startsAt: this.scenario.startsAt, endsAt: new Date(this.startMs + this.scenario.durationMinutes * 60_000).toISOString(), entries };
  }

  /** Called whenever an inject happens, so the trainer's desk can be told. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private play(index: number): void {
    const timer = this.waiting.get(index);
    if (timer === undefined) return;
    this.scheduler.clearTimeout(timer);
    this.waiting.delete(index);
    this.played.set(index, this.clock.now());
    const inject = this.scenario.injects[index]!;
    if (inject.kind === 'call') this.ring(inject);
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
      return `${inject.unit} ${event}${inject.reason ? `: ${inject.reason}` : ''} (played by the trainer)`;
    }
    case 'system':
      return inject.event === 'cad_down'
        ? `The whole system goes down for ${inject.forMinutes} minutes (played by the trainer)`
        : `${inject.workstation ?? 'A workstation'} loses the network for ${inject.forMinutes} minutes (played by the trainer)`;
    case 'note':
      return `Note: ${inject.text}`;
  }
}

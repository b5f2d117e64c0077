import { readFileSync } from 'node:fs';
import { StartProblem } from '../../../node-common/start-problem';
import { z } from 'zod';
import { ContactSource } from '../../../shared/domain/contact';
import { GeoPoint } from '../../../shared/domain/location';
import type { Clock } from '../../../shared/domain/time';
import { describeIssues, describeStrayFields } from '../../../shared/validation';
import type { Scheduler } from '../../../node-common/scheduler';
import type { TelephonyAdapter, TelephonyEvent } from './telephony-adapter';

/** A script of calls for the simulator: the demo, the tests and training exercises all play one. */
export const CallScript = z.object({
  /** What the script is for, for whoever reads the file: the simulator does nothing with it. */
  note: z.string().max(2000).optional(),
  calls: z.array(
    z.object({
      id: z.string().min(1).max(64),
      /** Seconds after the script starts. */
      at: z.number().nonnegative(),
      source: ContactSource,
      callerNumber: z.string().max(40).nullable(),
      handset: z
        .object({
          point: GeoPoint,
          accuracyM: z.number().nonnegative(),
          source: z.enum(['AML', 'cell', 'caller', 'other']),
          /** Seconds after ringing that the position arrives. */
          after: z.number().nonnegative(),
        })
        .optional(),
      /** The caller hangs up if not answered within this many seconds. */
      abandonAfter: z.number().positive().optional(),
    }),
  ),
  /** Start the script again from the beginning when it ends (a demo that keeps ringing). */
  repeatEvery: z.number().positive().optional(),
});
export type CallScript = z.infer<typeof CallScript>;

/** Reads a call script. Throws a StartProblem (said in one line at start) for a file missing, unreadable or not valid. */
export function loadCallScript(file: string): CallScript {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StartProblem(`cannot read call script ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = CallScript.safeParse(raw);
  if (!parsed.success) throw new StartProblem(`call script ${file} is not valid: ${describeIssues(parsed.error)}`);
  // A misspelt field ("handest", "afer") would be read as absent: a call without its handset position, or at once.
  const stray = describeStrayFields(raw, parsed.data);
  if (stray) throw new StartProblem(`call script ${file} is not valid: ${stray}`);
  return parsed.data;
}

/**
 * Plays a call script through the same interface a real telephony adapter has, on an injectable clock, so the
 * demo, the tests and training exercises ring as a real room would.
 */
export class SimulatedTelephony implements TelephonyAdapter {
  private readonly timers: unknown[] = [];
  private readonly answered = new Set<string>();
  private listener: ((event: TelephonyEvent) => void) | null = null;
  private round = 0;

  constructor(
    private readonly script: CallScript,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
  ) {}

  start(listener: (event: TelephonyEvent) => void): void {
    this.listener = listener;
    this.play();
  }

  answer(callId: string): void {
    this.answered.add(callId);
  }

  answeredElsewhere(callId: string): void {
    this.answer(callId);
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) this.scheduler.clearTimeout(timer);
    this.listener = null;
  }

  private play(): void {
    const round = this.round++;
    // Each round's calls get their own ids, so a repeating demo never reuses one.
    const idOf = (id: string) => (round === 0 ? id : `${id}-${round}`);
    const now = () => new Date(this.clock.now()).toISOString();
    for (const call of this.script.calls) {
      const callId = idOf(call.id);
      this.after(call.at, () => {
        this.emit({ type: 'ringing', callId, source: call.source, callerNumber: call.callerNumber, at: now() });
        if (call.handset) {
          const { point, accuracyM, source, after } = call.handset;
          this.after(after, () => this.emit({ type: 'location', callId, handsetLocation: { point, accuracyM, source, at: now() } }));
        }
        if (call.abandonAfter !== undefined) {
          this.after(call.abandonAfter, () => {
            if (!this.answered.has(callId)) this.emit({ type: 'abandoned', callId, at: now() });
          });
        }
      });
    }
    if (this.script.repeatEvery) this.after(this.script.repeatEvery, () => this.play());
  }

  private after(seconds: number, fn: () => void): void {
    this.timers.push(this.scheduler.setTimeout(fn, seconds * 1000));
  }

  private emit(event: TelephonyEvent): void {
    this.listener?.(event);
  }
}

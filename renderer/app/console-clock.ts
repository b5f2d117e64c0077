import { exerciseTimeFrom, type ExerciseClockState } from '../../shared/domain/exercise-clock';

/**
 * The console core's time, as this window reckons it: its machine's clock plus the difference the core reported.
 * The core's clock is the one that counts (tests and exercises move it, `--clock-start`), and the window's machine
 * may be set differently: every duration on screen (waiting, attendance, a position's age) counts from here.
 * `readCoreClock` is called when the window loads and each time its link to the core comes back.
 *
 * In a training exercise the core's clock is the exercise's: it stands still while the trainer has paused it and runs
 * at 2, 4 or 8 times while sped up, so the window reckons from the exercise clock's state instead, taken afresh
 * with every change the core tells it of (`followExercise`).
 */
let offsetMs = 0;
let exercise: { state: ExerciseClockState; receivedAt: number } | null = null;

/** Milliseconds since the epoch by the core's clock. */
export function consoleNow(): number {
  return exercise ? exerciseTimeFrom(exercise.state, exercise.receivedAt, Date.now()) : Date.now() + offsetMs;
}

/** Asks the core for its time and keeps the difference, taking the answer as given halfway through the round trip. */
export async function readCoreClock(ask: () => Promise<{ now: string; exercise?: ExerciseClockState | undefined }>): Promise<void> {
  const sent = Date.now();
  const answer = await ask();
  const received = Date.now();
  offsetMs = Date.parse(answer.now) - (sent + received) / 2;
  exercise = answer.exercise ? { state: answer.exercise, receivedAt: (sent + received) / 2 } : null;
}

/** The exercise clock changed (started, paused, sped up, jumped): reckon from its new state from now on. */
export function followExercise(state: ExerciseClockState): void {
  exercise = { state, receivedAt: Date.now() };
}

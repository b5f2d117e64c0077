/**
 * The console core's time, as this window reckons it: its machine's clock plus the difference the core reported.
 * The core's clock is the one that counts (tests and exercises move it, `--clock-start`), and the window's machine
 * may be set differently: every duration on screen (waiting, attendance, a position's age) counts from here.
 * `readCoreClock` is called when the window loads and each time its link to the core comes back.
 */
let offsetMs = 0;

/** Milliseconds since the epoch by the core's clock. */
export function consoleNow(): number {
  return Date.now() + offsetMs;
}

/** Asks the core for its time and keeps the difference, taking the answer as given halfway through the round trip. */
export async function readCoreClock(ask: () => Promise<{ now: string }>): Promise<void> {
  const sent = Date.now();
  const { now } = await ask();
  const received = Date.now();
  offsetMs = Date.parse(now) - (sent + received) / 2;
}

/**
 * Delay before retry number `attempt` (1, 2, 3…): exponential with full jitter, so that a room full of
 * workstations coming back after an outage does not hit the server in step.
 */
export function backoffDelay(attempt: number, random: () => number, baseMs = 500, maxMs = 30_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The longest a workstation waits between two tries to open its live channel again (see liveReconnectDelay). */
export const LIVE_RECONNECT_MAX_MS = 3_000;

/**
 * Delay before try number `attempt` to open the live channel again: exponential from 250 ms up to
 * LIVE_RECONNECT_MAX_MS, with full jitter (anywhere from nothing to the ceiling). The live channel is how a workstation
 * learns the server is back, so its ceiling is short: a try at a server that is down costs a refused connection,
 * and a room comes back within a few seconds of its server. Full jitter spreads the room's returns evenly over that
 * ceiling, so the server takes them as a stream, not a herd; the requests that follow (each workstation's push and
 * pull) are spread with them.
 */
export function liveReconnectDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(LIVE_RECONNECT_MAX_MS, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

/**
 * Delay before trying again when the server said when (a 503's Retry-After, `retryAfterMs`): never sooner than it
 * asked, and spread over as long again (jitter), so the workstations it turned away in the same second come back
 * spread over the next interval, not all at the moment it named.
 */
export function retryAfterDelay(retryAfterMs: number, random: () => number): number {
  return Math.round(retryAfterMs + random() * retryAfterMs);
}

/** A Retry-After header as milliseconds (delay-seconds or an HTTP date; `now` in epoch ms), or null when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now: number): number | null {
  if (header === undefined) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

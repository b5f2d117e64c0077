/**
 * Delay before retry number `attempt` (1, 2, 3…): exponential with full jitter, so that a room full of
 * workstations coming back after an outage does not hit the server in step.
 */
export function backoffDelay(attempt: number, random: () => number, baseMs = 500, maxMs = 30_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * An error as a benchmark report gives it: its stack (or its words), and the cause beneath it, which the stack leaves
 * out (fetch's "fetch failed" says nothing without its cause: a refused or reset connection, a timeout).
 */
export function describedError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const said = error.stack ?? error.message;
  if (error.cause === undefined) return said;
  return `${said}\ncaused by: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : String(error.cause)}`;
}

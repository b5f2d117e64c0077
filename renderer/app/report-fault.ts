import type { CordonApi } from '../api/cordon-api';

/** What this window has reported already: a panel failing at every render says so once. */
const reported = new Set<string>();

/** An error as one line of words, short enough for the contract (a stack or a multi-line message is cut). */
export function faultWords(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // One line, and no full stop of its own: the notices put the message inside a sentence.
  return (text.replace(/\s+/g, ' ').replace(/[.\s]+$/, '').trim() || 'an unknown error').slice(0, 480);
}

/**
 * Tells the console core that a part of this window cannot work (`part`: "map", "call form"; `problem`: what went
 * wrong, in words), for its log, which keeps one line per fault for the whole workstation. Never throws: a core out
 * of reach is one more thing this window cannot help.
 */
export function reportFault(api: CordonApi | null, part: string, problem: string): void {
  const key = `${part}\n${problem}`;
  if (!api || reported.has(key)) return;
  reported.add(key);
  void api.call('desk.reportFault', { part, problem }).catch(() => reported.delete(key));
}

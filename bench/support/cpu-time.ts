import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) used so far by a process, read from /proc (Linux), or null where that cannot be
 * read. Benchmarks report how busy each process was, because on a two-core machine a saturated client process
 * shows up as latency that a real control room, one machine per workstation, would not have.
 */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime and stime
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** Measures how much of one core each process used between start() and the returned stop(). */
export function cpuShare(pids: Record<string, number>): () => Record<string, number | null> {
  const started = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOf(pid)]));
  return () => {
    const seconds = (performance.now() - started) / 1000;
    return Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => {
        const from = before[name];
        const to = cpuSecondsOf(pid);
        return [name, from == null || to == null ? null : round((to - from) / seconds, 2)];
      }),
    );
  };
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

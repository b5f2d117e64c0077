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

/**
 * How busy the whole machine was (all cores, 0–1) between this call and the returned stop(), from /proc/stat, or
 * null where that cannot be read. For work spread over processes one cannot name beforehand (a browser's).
 */
export function machineBusy(): () => number | null {
  const before = cpuTicks();
  return () => {
    const after = cpuTicks();
    if (!before || !after || after.total === before.total) return null;
    return round(1 - (after.idle - before.idle) / (after.total - before.total), 2);
  };
}

function cpuTicks(): { idle: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: idle and iowait are the time nobody ran.
    return { idle: fields[3]! + fields[4]!, total: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

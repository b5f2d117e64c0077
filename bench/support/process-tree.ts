import { readdirSync, readFileSync } from 'node:fs';
import { cpuSecondsOf, round } from './cpu-time';

/**
 * The processes started, directly or not, by `rootPid`, grouped by Chromium's process type (the --type= switch:
 * renderer, gpu-process, utility…; "browser" when absent), from /proc (Linux; empty elsewhere). A browser's work is
 * spread over such processes, and a benchmark should say which of them was busy.
 */
export function descendantsByType(rootPid: number): Map<string, number[]> {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return new Map();
  }
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at)) if (at === rootPid) return true;
    return false;
  };
  const groups = new Map<string, number[]>();
  for (const pid of parents.keys()) {
    if (!descends(pid)) continue;
    let type: string;
    try {
      // Chromium rewrites its children's command lines into one line of spaces: read it as text, not as argv.
      const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!/chrom/i.test(line.split(' ')[0] ?? '')) continue;
      type = /--type=(\S+)/.exec(line)?.[1] ?? 'browser';
    } catch {
      continue;
    }
    groups.set(type, [...(groups.get(type) ?? []), pid]);
  }
  return groups;
}

/** The share of one core each group of processes used between this call and the returned stop(). */
export function groupCpuShare(groups: Map<string, number[]>): () => Record<string, number> {
  const started = performance.now();
  const total = (pids: number[]) => pids.reduce((sum, pid) => sum + (cpuSecondsOf(pid) ?? 0), 0);
  const before = new Map([...groups].map(([type, pids]) => [type, total(pids)]));
  return () => {
    const seconds = (performance.now() - started) / 1000;
    return Object.fromEntries([...groups].map(([type, pids]) => [type, round((total(pids) - before.get(type)!) / seconds, 2)]));
  };
}

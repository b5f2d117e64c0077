import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pins a process and every thread it has to the given CPUs (`taskset -a -c -p`); threads and children it starts
 * later inherit the pinning. Returns what was done, in words, or why it could not be (no taskset, not allowed), so a
 * figure says whether it was measured pinned.
 */
export function pinToCpus(pid: number, cpus: string): string {
  try {
    execFileSync('taskset', ['-a', '-c', '-p', cpus, String(pid)], { stdio: 'ignore' });
    return `pinned to CPU ${cpus} (taskset)`;
  } catch (error) {
    return `not pinned: taskset failed (${(error as Error).message.split('\n')[0]})`;
  }
}

/** Resident memory of a process now, MiB, from /proc/PID/status (Linux), or null. */
export function residentMiB(pid: number): number | null {
  return statusMiB(pid, 'VmRSS');
}

/**
 * The most resident memory the process has had since it started, MiB (the kernel's high-water mark, VmHWM), or null:
 * a peak inside a step, which a reading at the step's end misses.
 */
export function peakResidentMiB(pid: number): number | null {
  return statusMiB(pid, 'VmHWM');
}

function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? null : Math.round(Number(kib) / 102.4) / 10;
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) of a process and all its children, living and exited (those it waited for: the
 * cutime/cstime of /proc/PID/stat), Linux only; null when unreadable. For a PostgreSQL cluster, whose backends come
 * and go as the server's pool opens and closes connections.
 */
export function treeCpuSeconds(rootPid: number): number | null {
  const stat = statFields(rootPid);
  if (!stat) return null;
  let ticks = Number(stat[11]) + Number(stat[12]) + Number(stat[13]) + Number(stat[14]);
  for (const pid of childrenOf(rootPid)) {
    const child = statFields(pid);
    if (child) ticks += Number(child[11]) + Number(child[12]) + Number(child[13]) + Number(child[14]);
  }
  return ticks / 100; // USER_HZ
}

/** The process listening with this command-line fragment (e.g. a postmaster's "-p 5433"), by scanning /proc. */
export function processWithArgument(fragment: string, program: RegExp): number | null {
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (program.test(argv[0] ?? '') && argv.join(' ').includes(fragment)) return Number(name);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** The direct children of a process. */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    if (statFields(Number(name))?.[1] === String(pid)) children.push(Number(name));
  }
  return children;
}

/** The fields of /proc/PID/stat after the command name (state is [0], ppid [1], utime [11]…), or null. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * Seconds the threads of a process have spent runnable but waiting for a CPU (the second field of each thread's
 * /proc/PID/task/TID/schedstat), Linux only; null when unreadable. Time a pinned process loses to other work on its
 * core: on a shared machine, latency the server did not cause.
 */
export function runQueueWaitSeconds(pid: number): number | null {
  try {
    let nanoseconds = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ');
      nanoseconds += Number(fields[1] ?? 0);
    }
    return nanoseconds / 1e9;
  } catch {
    return null;
  }
}

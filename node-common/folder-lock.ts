import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StartProblem } from './start-problem';

const LOCK_FILE = 'in-use.lock';

/**
 * Claims a workstation's data folder for this process, so that a second console started on it (a second `npm start`,
 * a desktop shortcut clicked twice) stops at once instead of running beside the first: two cores on one file would
 * both sync it, both ring the simulated calls and both claim the room's deadlines. The claim is a file holding this
 * process's id, made exclusively; one left by a process that has gone (killed, a power cut) is taken over.
 * Throws a StartProblem naming the process that holds the folder. Released by `release()` or when this process exits.
 */
export function holdFolder(dir: string): { release(): void } {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new StartProblem(`${dir} is in use by another Cordon console (process ${holder}): use that one, stop it first, or give this one another --data-dir`);
      }
      unlinkSync(file); // left by a process that has gone
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    try {
      if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
    } catch {
      // Already gone (the folder removed): nothing to release.
    }
  };
  process.once('exit', release);
  return { release };
}

/** Whether a process with this id exists (one of another account's answers EPERM: it exists). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

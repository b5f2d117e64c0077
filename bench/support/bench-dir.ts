import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface BenchDir {
  path: string;
  /** The file system the folder is on (ext4, tmpfs…), so a figure says what kind of disk it was measured on. */
  fileSystem: string;
  remove(): void;
}

/**
 * A fresh folder under the system's temporary folder. Figures that fsync must be taken on a real disk: if the
 * temporary folder is a tmpfs, set CORDON_BENCH_DIR to a folder on the disk under test.
 */
export function makeBenchDir(prefix: string): BenchDir {
  const base = process.env.CORDON_BENCH_DIR ?? tmpdir();
  const path = mkdtempSync(join(base, `cordon-bench-${prefix}-`));
  return {
    path,
    fileSystem: fileSystemOf(path),
    remove: () => {
      if (!process.env.CORDON_KEEP_BENCH_FILES) rmSync(path, { recursive: true, force: true });
    },
  };
}

/** The type of the mount holding path, from /proc/mounts (Linux); "unknown" elsewhere. */
export function fileSystemOf(path: string): string {
  let mounts: string;
  try {
    mounts = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return 'unknown';
  }
  const target = resolve(path);
  let best = { point: '', type: 'unknown' };
  for (const line of mounts.split('\n')) {
    const [, point, type] = line.split(' ');
    if (!point || !type) continue;
    const inside = target === point || target.startsWith(point.endsWith('/') ? point : `${point}/`);
    if (inside && point.length > best.point.length) best = { point, type };
  }
  return best.type;
}

/**
 * A folder for the simulated workstations' own SQLite files, apart from the server's: on /dev/shm (a tmpfs) where
 * there is one, or CORDON_BENCH_WORKSTATIONS_DIR. Each real workstation has its own disk; a dozen simulated ones
 * fsyncing on the server's disk would queue behind each other and the server in one journal, a delay no room has,
 * and the benchmark would time the harness's disk instead of the server's.
 */
export function makeWorkstationsDir(prefix: string): BenchDir {
  const shm = '/dev/shm';
  const base = process.env.CORDON_BENCH_WORKSTATIONS_DIR ?? (existsSync(shm) && fileSystemOf(shm) === 'tmpfs' ? shm : tmpdir());
  const path = mkdtempSync(join(base, `cordon-bench-${prefix}-workstations-`));
  return {
    path,
    fileSystem: fileSystemOf(path),
    remove: () => {
      if (!process.env.CORDON_KEEP_BENCH_FILES) rmSync(path, { recursive: true, force: true });
    },
  };
}

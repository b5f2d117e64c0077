import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';

type Db = Database.Database;

/**
 * The size a write-ahead log is cut back to once it has been checkpointed (`journal_size_limit`, which openSqlite
 * sets). SQLite reuses the log file rather than shrinking it, so without a limit one reader held open through a
 * busy hour leaves the file at its largest for good. Twice the automatic checkpoint's 1,000 pages (4 MiB), so
 * normal work never cuts it.
 */
export const WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024;

export interface WalCheckpoint {
  /** True when a reader (or another program's writer) kept the checkpoint from finishing. */
  busy: boolean;
  /** Frames in the log when the checkpoint ran, and how many of them are now in the database file. */
  logFrames: number;
  checkpointedFrames: number;
}

/** Timers, structurally the sync client's Scheduler, so tests can run the upkeep on their own clock. */
export interface UpkeepTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: UpkeepTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * One deliberate checkpoint that never waits: `wal_checkpoint(TRUNCATE)` with the busy timeout at zero. When no
 * reader holds an older snapshot, every frame goes into the database file and the log is cut to nothing; when one
 * does, as many frames as it allows are copied and the rest wait for the next try.
 */
export function checkpointWal(db: Db): WalCheckpoint {
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return { busy: row?.busy === 1, logFrames: row?.log ?? 0, checkpointedFrames: row?.checkpointed ?? 0 };
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

/** Bytes of a SQLite file's write-ahead log (0 when there is none). */
export function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

/**
 * Keeps a SQLite file's write-ahead log bounded when readers come and go. SQLite checkpoints on its own only when
 * a commit finds the log long, and a reader holding a snapshot (a backup, an inspection, a long query) stops that
 * checkpoint from restarting the log, which then grows with every write for as long as the reader stays. Once it
 * lets go, a workstation that has gone quiet writes nothing to trigger the next checkpoint, and the file keeps its
 * largest size. So every `everyMs` this looks at the log's size and, above the limit, checkpoints deliberately
 * (checkpointWal: at once if the readers allow, else as far as they do, and again next time).
 */
export class WalUpkeep {
  private timer: unknown = null;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly options: { everyMs?: number; limitBytes?: number; timers?: UpkeepTimers } = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    (this.options.timers ?? realTimers).clearTimeout(this.timer);
    this.timer = null;
  }

  /** Checkpoints now if the log is over the limit; returns the log's size in bytes afterwards. */
  check(): number {
    const before = walBytes(this.file);
    if (before <= (this.options.limitBytes ?? WAL_SIZE_LIMIT_BYTES) || !this.db.open || this.db.inTransaction) return before;
    try {
      checkpointWal(this.db);
    } catch {
      // A statement still stepping on this connection, or the disk refusing: the next round tries again.
    }
    return walBytes(this.file);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = (this.options.timers ?? realTimers).setTimeout(() => {
      this.check();
      this.schedule();
    }, this.options.everyMs ?? 10_000);
  }
}

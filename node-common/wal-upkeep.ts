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

/**
 * Files whose write-ahead log may still hold rows deleted so that nothing of them is left (an erasure, another
 * force's records a revoked share took away): their cut after deleting (cutAfterDeleting) was held off by a reader,
 * and is owed until a checkpoint cuts the whole log (WalUpkeep tries again each round, whatever the log's size).
 */
const owed = new WeakSet<Db>();

/**
 * After deleting rows that must leave no copy on disk (secure_delete overwrites them in the file, but the
 * write-ahead log still holds the pages as they were): checkpoints and cuts the log now (checkpointWal). When a reader
 * holds an older snapshot and the log cannot be cut whole, the cut is owed, and the file's WalUpkeep makes it at its
 * next round the reader allows (issue 12 m4: a caller's number stayed in a workstation's `-wal` until a checkpoint
 * that, the log being small, never came).
 */
export function cutAfterDeleting(db: Db): WalCheckpoint | null {
  let done: WalCheckpoint | null = null;
  try {
    done = checkpointWal(db);
  } catch {
    // A statement still stepping on this connection, or the disk refusing: owed, as for a reader.
  }
  if (done === null || !cutWhole(done)) owed.add(db);
  else owed.delete(db);
  return done;
}

/** Whether a checkpoint copied every frame and so cut the log to nothing. */
function cutWhole(done: WalCheckpoint): boolean {
  return !done.busy && done.checkpointedFrames >= done.logFrames;
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

  /**
   * Checkpoints now if the log is over the limit, or if a cut after deleting is owed (cutAfterDeleting); returns the
   * log's size in bytes afterwards.
   */
  check(): number {
    const before = walBytes(this.file);
    const cutOwed = owed.has(this.db);
    if ((!cutOwed && before <= (this.options.limitBytes ?? WAL_SIZE_LIMIT_BYTES)) || !this.db.open || this.db.inTransaction) return before;
    if (cutOwed) {
      cutAfterDeleting(this.db);
      return walBytes(this.file);
    }
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

import { privateFolder } from '../../node-common/private-folder';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { workstationMigrations } from './migrations/index';
import { Meta } from './meta';
import { CachedSignIns } from './cached-sign-ins';
import { Drafts } from './drafts';
import { ErasedContent } from './erased-content';
import { Outbox } from './outbox';
import { Refusals } from './refusals';
import { OfflineSignInFailures } from './sign-in-failures';
import { ServerRecords } from './server-records';
import { openSqlite, type Db, type OpenOptions } from '../../node-common/sqlite';
import { ViewRecords } from './view-records';

/**
 * A workstation's local SQLite file: the view the operator works on, the server's confirmed copy, the outbox and
 * a few counters. The file is the workstation's memory across crashes.
 */
export class WorkstationStore {
  readonly view: ViewRecords;
  readonly server: ServerRecords;
  readonly outbox: Outbox;
  readonly refusals: Refusals;
  readonly meta: Meta;
  readonly signIns: CachedSignIns;
  /** Wrong passwords counted while sign-ins were checked here, the server out of reach (the offline lockout). */
  readonly signInFailures: OfflineSignInFailures;
  readonly drafts: Drafts;
  /** What names a record erased, cleared when the erasure reaches this workstation. */
  readonly erasedContent: ErasedContent;
  /** This workstation's identity towards the server, minted once per data file. */
  readonly clientId: string;

  private constructor(
    readonly db: Db,
    /** The file's path, or null for an in-memory store. */
    readonly file: string | null,
  ) {
    this.view = new ViewRecords(db);
    this.server = new ServerRecords(db);
    this.outbox = new Outbox(db);
    this.refusals = new Refusals(db);
    this.meta = new Meta(db);
    this.signIns = new CachedSignIns(db);
    this.signInFailures = new OfflineSignInFailures(db);
    this.drafts = new Drafts(db);
    this.erasedContent = new ErasedContent(db);
    this.clientId = this.transaction(() => {
      const existing = this.meta.get('client_id');
      if (existing) return existing;
      const id = randomUUID();
      this.meta.set('client_id', id);
      return id;
    });
  }

  /** Opens the file (created if missing), or an in-memory copy of a serialized one (the fault simulation's crashes). */
  static open(file: string | Buffer, options: OpenOptions = {}): WorkstationStore {
    if (typeof file === 'string' && file !== ':memory:') privateFolder(dirname(file));
    const onDisk = typeof file === 'string' && file !== ':memory:';
    return new WorkstationStore(openSqlite(file, workstationMigrations, options), onDisk ? file : null);
  }

  /** Runs fn in one IMMEDIATE transaction: everything in it commits together or not at all. */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (error) {
      // Rolled back: counts kept alongside the tables may count what never happened.
      this.outbox.forgetCounts();
      throw error;
    }
  }

  /**
   * Writes one small row in its own transaction, to learn whether the file takes writes again after a full disk or
   * another program's lock; throws the store's error if it does not.
   */
  probeWrite(at: string): void {
    this.transaction(() => this.meta.set('last_write_probe', at));
  }

  get pullCursor(): number {
    return this.meta.getNumber('pull_cursor');
  }

  /**
   * Whether the last pull page or live batch applied reached the head the server read it at: the server's records
   * here are then all as of that read (the pages before it each held every record whose newest change was in their
   * range), so a command of this workstation's applied at or before the cursor has its effects here. False in the
   * middle of a catch-up in pages (a record changed again since may be pages on), and in a file from before this was
   * kept, until its next pull.
   */
  get pullWhole(): boolean {
    return this.meta.getNumber('pull_whole') === 1;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

// The little of PouchDB and express-pouchdb the catch-up benchmark uses. Declared here rather than through
// @types/pouchdb (written for PouchDB 6, and a dozen packages) because the benchmark is their only user. The
// packages themselves are the peer's own (bench/peers/pouchdb/), loaded at run time by pouchdb-peer.ts: only
// types are imported from these names.
declare module 'pouchdb' {
  export interface PouchDatabase {
    bulkDocs(docs: object[]): Promise<unknown[]>;
    info(): Promise<{ doc_count: number; update_seq: number | string }>;
    close(): Promise<void>;
  }
  export interface ReplicationResult {
    ok: boolean;
    docs_read: number;
    docs_written: number;
    doc_write_failures: number;
  }
  export interface PouchStatic {
    new (name: string, options?: { prefix?: string }): PouchDatabase;
    defaults(options: { prefix?: string }): PouchStatic;
    replicate(source: string | PouchDatabase, target: string | PouchDatabase, options?: { batch_size?: number; batches_limit?: number }): PromiseLike<ReplicationResult>;
  }
  const PouchDB: PouchStatic;
  export default PouchDB;
}

declare module 'express-pouchdb' {
  import type { Server } from 'node:http';
  import type PouchDB from 'pouchdb';
  interface ExpressPouchOptions {
    mode?: 'fullCouchDB' | 'minimumForPouchDB' | 'custom';
    inMemoryConfig?: boolean;
    logPath?: string;
    configPath?: string;
  }
  interface ExpressPouchApp {
    listen(port: number, host: string, callback: () => void): Server;
  }
  function expressPouchDB(pouch: typeof PouchDB, options?: ExpressPouchOptions): ExpressPouchApp;
  export default expressPouchDB;
}

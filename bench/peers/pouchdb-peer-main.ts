// The PouchDB side of the catch-up benchmark (dist/node/bench-pouchdb-peer.mjs): a CouchDB-compatible server
// (express-pouchdb over PouchDB's LevelDB adapter, on disk) holding the same documents as the Cordon server, in
// its own process as the Cordon server is. Prints {"url": …} once the documents are in and it is listening.
//   node dist/node/bench-pouchdb-peer.mjs DIR DOCS.json
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadExpressPouchDB, loadPouchDB } from './pouchdb-peer';

const [dir, docsFile] = process.argv.slice(2);
if (!dir || !docsFile) throw new Error('usage: bench-pouchdb-peer.mjs DIR DOCS.json');

// The benchmark has installed the peer's packages before starting this process.
const PouchDB = loadPouchDB();
const expressPouchDB = loadExpressPouchDB();
const prefix = join(dir, 'peer') + '/';
mkdirSync(prefix, { recursive: true });
const ServerPouch = PouchDB.defaults({ prefix });
const db = new ServerPouch('cordon');
const docs = JSON.parse(readFileSync(docsFile, 'utf8')) as object[];
for (let i = 0; i < docs.length; i += 1000) await db.bulkDocs(docs.slice(i, i + 1000));

const app = expressPouchDB(ServerPouch, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: join(dir, 'peer-log.txt') });
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/cordon`, docs: docs.length }));
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));

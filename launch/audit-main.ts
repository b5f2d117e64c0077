// `npm run audit -- verify`: checks the central server's audit log, entry by entry, against its hash chain.
import { existsSync } from 'node:fs';
import { parseCommandLine, UsageError } from '../node-common/args';
import { createLogger } from '../node-common/logger';
import { SERVER_DATABASE_OPTIONS, SERVER_DATABASE_USAGE, serverDatabaseOf } from '../node-common/server-database';
import { exitWithError, StartProblem } from '../node-common/start-problem';
import { ChainVerifier, describeVerdict, parseAnchor, type ChainAnchor, type ChainVerdict } from '../server/audit/verify-chain';
import { SealedValuesCheck } from '../server/audit/verify-keys';
import { RevealsIndexCheck } from '../server/audit/verify-reveals';
import type { ServerStorage } from '../server/storage/storage';
import { openStorage } from './run-central-server';

export const AUDIT_USAGE = `usage: npm run audit -- verify [--data FILE | --database-url URL] [--anchor SEQ:HASH …]
  verify                checks the whole audit log: each entry's hash, that each follows the one before it, and
                        that each sealed value opens with its record's key or the record's erasure is in the log;
                        names the first entry that does not fit and exits with 1, or prints one line when intact,
                        ending with the newest entry's anchor (SEQ:HASH): keep it somewhere else
  --anchor SEQ:HASH     an anchor a verify printed before, kept elsewhere: the log must still hold that entry with
                        that hash (a log rewritten with its hashes recomputed, or cut short, fits together without
                        one); may be given more than once
${SERVER_DATABASE_USAGE}`;

/** Entries read at a time: a year's log is checked without holding it in memory. */
const PAGE = 5000;

/**
 * Reads the whole chain from the storage, a page at a time, and judges it: the hash chain first, then the keys its
 * sealed values need (server/audit/verify-keys.ts), whose loss or replacement the hashes cannot show.
 */
export async function verifyStorage(storage: ServerStorage, anchors: readonly ChainAnchor[] = []): Promise<ChainVerdict> {
  const verifier = new ChainVerifier(anchors);
  const sealed = new SealedValuesCheck();
  const reveals = new RevealsIndexCheck();
  let after = 0;
  for (;;) {
    // As stored: the hashes are over the sealed values (server/audit/audit-seal.ts), readable or erased.
    const page = await storage.auditChain(after, PAGE);
    for (const entry of page) if (!verifier.add(entry)) return verifier.verdict();
    const keys = await storage.auditKeys(SealedValuesCheck.recordsToLookUp(page));
    sealed.addPage(page, keys);
    // The whole span of the page's sequence numbers, from just after the last page's: a row naming no entry is found too.
    if (page.length > 0) reveals.addPage(page, keys, await storage.auditRevealRows(after + 1, page.at(-1)!.seq));
    if (page.length < PAGE) break;
    after = page.at(-1)!.seq;
  }
  const verdict = verifier.verdict();
  if (verdict.intact) reveals.addRowsPastEnd(await storage.auditRevealRows(verdict.lastSeq + 1, Number.MAX_SAFE_INTEGER));
  const problem = sealed.problem() ?? reveals.problem();
  if (!verdict.intact || !problem) return verdict;
  return { intact: false, checked: verdict.entries, broken: problem, chainWhole: true };
}

/** Runs the command; resolves to the exit code (0 intact, 1 broken). */
export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === '--help' || verb === 'help') {
    console.log(AUDIT_USAGE);
    return 0;
  }
  if (verb !== 'verify') throw new UsageError(`${verb === undefined ? 'say what to do' : `no such audit command "${verb}"`}\n\n${AUDIT_USAGE}`);
  const values = parseCommandLine(rest, { ...SERVER_DATABASE_OPTIONS, anchor: { type: 'string', multiple: true }, help: { type: 'boolean' } }, AUDIT_USAGE);
  if (values.help) {
    console.log(AUDIT_USAGE);
    return 0;
  }
  const anchors = (values.anchor ?? []).map((text) => {
    try {
      return parseAnchor(text);
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\n\n${AUDIT_USAGE}`);
    }
  });
  const { dataFile, databaseUrl } = serverDatabaseOf(values, process.env, AUDIT_USAGE);
  // Opening a missing file would make an empty database, and an empty log is intact: say it is not there instead.
  if (!databaseUrl && !existsSync(dataFile)) throw new StartProblem(`no server database at ${dataFile}: give the server's --data FILE or --database-url URL`);
  let storage: ServerStorage;
  try {
    storage = await openStorage({ dataFile, ...(databaseUrl ? { databaseUrl } : {}), log: createLogger('cordon-audit', 'warn') });
  } catch (error) {
    throw new StartProblem(`cannot open the server database: ${(error as Error).message}`, { cause: error });
  }
  try {
    const verdict = await verifyStorage(storage, anchors);
    (verdict.intact ? console.log : console.error)(describeVerdict(verdict));
    return verdict.intact ? 0 : 1;
  } finally {
    await storage.close();
  }
}

if (process.argv[1] && /audit\.mjs$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => process.exit(code), exitWithError);
}

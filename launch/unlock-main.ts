// `npm run unlock`: the server's own command line lifts an account's lockout, in the server's database. The one way
// to unlock that nobody at a workstation or on the network can block: an attacker who locks out every force
// administrator by typing wrong passwords leaves nobody at a console to press Unlock.
import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseCommandLine, UsageError } from '../node-common/args';
import { createLogger } from '../node-common/logger';
import { exitWithError, StartProblem } from '../node-common/start-problem';
import { Operator } from '../shared/domain/operator';
import { accessAuditDraft } from '../server/audit/access-audit';
import { openStorage } from './run-central-server';

const USAGE = `usage: npm run unlock -- [--data FILE | --database-url URL] --operator NAME --reason TEXT
  --data FILE           the server's SQLite database (default ./cordon-server.sqlite), as given to npm run server
  --database-url URL    its PostgreSQL database instead (or CORDON_DATABASE_URL)
  --operator NAME       the account to unlock: its failed sign-ins are forgotten, and it may sign in at once
  --reason TEXT         why, kept in the audit log's unlock entry
For when no force administrator can sign in to unlock from the console (all of them locked out). If someone is
locking accounts on purpose, the audit log's sign-in-failure entries name the workstation they came from: revoke it
(npm run revoke -- --workstation NAME) before unlocking, or the lockout comes back.
The running server takes the unlock at once: it reads the failed sign-ins from the database at every sign-in.`;

/** Unlocks the account the options name and says so in one line; a name the server does not know is refused. */
export async function unlock(argv: string[], now: () => number = Date.now): Promise<string | 'help'> {
  const values = parseCommandLine(
    argv,
    { data: { type: 'string' }, 'database-url': { type: 'string' }, operator: { type: 'string' }, reason: { type: 'string' }, help: { type: 'boolean' } },
    USAGE,
  );
  if (values.help) return 'help';
  if (!values.operator) throw new UsageError(`name the account with --operator NAME\n\n${USAGE}`);
  if (!values.reason?.trim()) throw new UsageError(`say why with --reason TEXT\n\n${USAGE}`);
  if (values['database-url'] && values.data) throw new UsageError(`--data and --database-url name two databases: choose one\n\n${USAGE}`);
  const databaseUrl = values['database-url'] ?? (values.data ? undefined : process.env.CORDON_DATABASE_URL);
  const dataFile = resolve(values.data ?? 'cordon-server.sqlite');
  if (!databaseUrl && !existsSync(dataFile)) throw new StartProblem(`no server database at ${dataFile}: give the --data the server runs with`);
  const storage = await openStorage({ dataFile, ...(databaseUrl ? { databaseUrl } : {}), log: createLogger('cordon-unlock', 'warn') });
  try {
    const operator = values.operator;
    const account = Operator.safeParse(await storage.record({ kind: 'operator', id: operator }));
    if (!account.success) throw new StartProblem(`no operator named ${operator} is known to this server`);
    const failures = (await storage.signInFailures(operator)).length;
    await storage.clearSignInFailures(operator, [
      accessAuditDraft({
        kind: 'unlock',
        action: 'access.unlock',
        // No operator signs in to the server's machine: the account that ran the command, and where.
        by: `npm run unlock (${userInfo().username})`,
        subject: { kind: 'operator', id: operator },
        workstation: hostname(),
        clientId: '',
        force: account.data.force,
        at: new Date(now()).toISOString(),
        details: { failuresForgotten: failures, reason: values.reason.trim() },
      }),
    ]);
    return `unlocked ${operator}'s account (${failures} failed sign-in${failures === 1 ? '' : 's'} forgotten): they may sign in now`;
  } finally {
    await storage.close();
  }
}

if (process.argv[1] && /unlock\.mjs$/.test(process.argv[1])) {
  unlock(process.argv.slice(2)).then((said) => console.log(said === 'help' ? USAGE : said), exitWithError);
}

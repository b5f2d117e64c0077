// `npm run revoke`: an administrator revokes a workstation or an operator's sign-in tickets, in the server's database.
import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseCommandLine, UsageError } from '../node-common/args';
import { createLogger } from '../node-common/logger';
import { exitWithError, StartProblem } from '../node-common/start-problem';
import { Operator } from '../shared/domain/operator';
import type { ServerStorage } from '../server/storage/storage';
import { accessAuditDraft } from '../server/audit/access-audit';
import { openStorage } from './run-central-server';

const USAGE = `usage: npm run revoke -- [--data FILE | --database-url URL] (--workstation NAME | --operator NAME) --reason TEXT
  --data FILE           the server's SQLite database (default ./cordon-server.sqlite), as given to npm run server
  --database-url URL    its PostgreSQL database instead (or CORDON_DATABASE_URL)
  --workstation NAME    revoke that workstation: its device token is refused from its next request, and it may not
                        enrol again with any key (a rebuilt workstation, with a fresh data file, enrols as a new one)
  --operator NAME       revoke that operator's sign-in tickets: commands carrying one are held at their workstation
                        until the operator signs in again (to keep them out, a force administrator deactivates
                        the account at the console)
  --reason TEXT         why, kept with the revocation and told to the workstation refused
The running server takes the revocation at once: it reads the database on every request, and closes the revoked
workstation's live channel within five seconds.`;

/**
 * Revokes what the options name and says so in one line. Refuses, as a StartProblem, a name the server has never
 * seen, so that a typing slip is not taken for a revocation done.
 */
export async function revoke(argv: string[], now: () => number = Date.now): Promise<string | 'help'> {
  const values = parseCommandLine(
    argv,
    {
      data: { type: 'string' },
      'database-url': { type: 'string' },
      workstation: { type: 'string' },
      operator: { type: 'string' },
      reason: { type: 'string' },
      help: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) return 'help';
  if ((values.workstation === undefined) === (values.operator === undefined)) throw new UsageError(`name one workstation or one operator to revoke\n\n${USAGE}`);
  if (!values.reason?.trim()) throw new UsageError(`say why with --reason TEXT\n\n${USAGE}`);
  if (values['database-url'] && values.data) throw new UsageError(`--data and --database-url name two databases: choose one\n\n${USAGE}`);
  const databaseUrl = values['database-url'] ?? (values.data ? undefined : process.env.CORDON_DATABASE_URL);
  const dataFile = resolve(values.data ?? 'cordon-server.sqlite');
  if (!databaseUrl && !existsSync(dataFile)) throw new StartProblem(`no server database at ${dataFile}: give the --data the server runs with`);
  const storage = await openStorage({ dataFile, ...(databaseUrl ? { databaseUrl } : {}), log: createLogger('cordon-revoke', 'warn') });
  try {
    const revocation = { revokedAt: new Date(now()).toISOString(), reason: values.reason.trim() };
    if (values.workstation !== undefined) return await revokeWorkstation(storage, values.workstation, revocation);
    return await revokeTickets(storage, values.operator!, revocation);
  } finally {
    await storage.close();
  }
}

/**
 * The audit entry of a revocation: who ran the command (the account on the server's machine, as no operator signs
 * in to it) and where, what was revoked and why.
 */
function revocationAudit(subject: { kind: 'operator' | 'workstation'; id: string }, force: string | null, revocation: { revokedAt: string; reason: string }, details: Record<string, string>) {
  return accessAuditDraft({
    kind: 'revocation',
    action: 'access.revoke',
    by: `npm run revoke (${userInfo().username})`,
    subject,
    workstation: hostname(),
    clientId: '',
    // The revoked workstation's or operator's force: the entry goes in that force's log.
    force,
    at: revocation.revokedAt,
    details: { ...details, reason: revocation.reason },
  });
}

async function revokeWorkstation(storage: ServerStorage, workstation: string, revocation: { revokedAt: string; reason: string }): Promise<string> {
  const devices = await storage.devicesNamed(workstation);
  if (devices.length === 0) throw new StartProblem(`no workstation named ${workstation} has enrolled with this server`);
  for (const device of devices) {
    const audit = revocationAudit({ kind: 'workstation', id: workstation }, device.force, revocation, { revoked: 'device', clientId: device.clientId });
    await storage.revoke({ kind: 'device', subject: device.clientId, ...revocation }, [audit]);
  }
  const enrolments = devices.length === 1 ? '' : ` (all ${devices.length} of its enrolments)`;
  return `revoked workstation ${workstation}${enrolments}: refused from its next request, and it may not enrol again`;
}

async function revokeTickets(storage: ServerStorage, operator: string, revocation: { revokedAt: string; reason: string }): Promise<string> {
  const account = Operator.safeParse(await storage.record({ kind: 'operator', id: operator }));
  if (!account.success) throw new StartProblem(`no operator named ${operator} is known to this server`);
  await storage.revoke({ kind: 'tickets', subject: operator, ...revocation }, [revocationAudit({ kind: 'operator', id: operator }, account.data.force, revocation, { revoked: 'tickets' })]);
  return `revoked ${operator}'s sign-in tickets given up to ${revocation.revokedAt}: what they carry is held at the workstation until ${operator} signs in again`;
}

if (process.argv[1] && /revoke\.mjs$/.test(process.argv[1])) {
  revoke(process.argv.slice(2)).then((said) => console.log(said === 'help' ? USAGE : said), exitWithError);
}

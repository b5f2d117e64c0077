import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadOperators } from '../server/access/operators-file';
import type { ServerRules } from '../server/commands/plan-command';
import { parseCommandLine, parsePort, UsageError } from '../node-common/args';
import { SERVER_DATABASE_OPTIONS, SERVER_DATABASE_USAGE, serverDatabaseOf } from '../node-common/server-database';
import { startCentralServer, type CentralServer } from '../server/central-server';
import { demonstrationForces, loadForceConfig } from '../node-common/force-config-file';
import { createLogger } from '../node-common/logger';
import { PostgresStorage } from '../server/storage/postgres/postgres-storage';
import { redactDatabaseUrl } from '../server/storage/postgres/pg-config';
import { SqliteStorage } from '../server/storage/sqlite/sqlite-storage';
import type { ServerStorage } from '../server/storage/storage';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../shared/domain/time';
import type { ExerciseClock } from '../shared/domain/exercise-clock';
import type { Scenario } from '../shared/training/scenario';
import { checkServerListening, readPemFile } from '../node-common/link-security';
import { StartProblem } from '../node-common/start-problem';
import { loadForceAreas } from '../node-common/force-areas-file';
import { defaultAreaDir } from '../main/area/open-area';

const USAGE = `usage: npm run server -- [--port N] [--host ADDRESS] [--data FILE | --database-url URL] [--force-config FILE]…
                      [--operators FILE]… [--enrolment-key KEY]
                      [--tls-cert FILE --tls-key FILE | --insecure-http]
  --port N              port to listen on (default 4100; 0 picks a free one)
  --host ADDRESS        address to listen on (default 127.0.0.1); any other needs --tls-cert and --tls-key
${SERVER_DATABASE_USAGE}
  --force-config FILE   a force this server serves, by its configuration; repeat it for each force on the platform
                        (default: the two demonstration forces, DMO and NBR). Each force's workstations receive its
                        records only, and their commands are decided by its rules; its force.timeZone is the force's
                        time zone, for every time shown or typed and for incident reference days
  --operators FILE      operators, their roles and first passwords, of the force the file names ("force": "CODE"; a
                        file naming none is the only force's); repeat it for each force (default with the
                        demonstration forces: their demo accounts); a password there is set only for an operator
                        who has none
  --enrolment-key KEY   what workstations present to enrol (or CORDON_ENROLMENT_KEY; default: a key generated once
                        and kept in FILE.enrolment-key beside the SQLite file, or in the working folder with PostgreSQL)
  --tls-cert FILE       the server's certificate (PEM, with any intermediates), issued by the force's certificate
                        authority: HTTPS and WSS instead of HTTP and WS
  --tls-key FILE        its private key (PEM)
  --insecure-http       serve plain HTTP on an address other machines can reach (refused without this flag)
  --area DIR            the area whose force boundaries decide which incidents are shared with the neighbouring
                        force automatically (default: the generated exercise area)`;

export interface CentralServerSettings {
  port: number;
  host: string;
  dataFile: string;
  /** PostgreSQL instead of the SQLite file. */
  databaseUrl?: string;
  /** The forces served, by their configuration files; default: the demonstration forces (DMO and NBR). */
  forceConfigFiles?: string[];
  /** Each served force's operators; default: the demonstration forces' accounts when serving those, none otherwise. */
  operatorsFiles?: string[];
  enrolmentKey: string;
  /** Files of the server's certificate and key (PEM): HTTPS and WSS. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Plain HTTP on an address other than loopback, allowed only when this says so. */
  insecureHttp?: boolean;
  /** The area whose force boundaries incidents are shared across automatically; default: the generated exercise area. */
  areaDir?: string;
  /** The server's time; by default the machine's. The embedded server shares its workstation's (see --clock-start). */
  clock?: Clock;
  /** A training server (an exercise's, on the trainer's workstation): its clock is the exercise's, and it refuses live workstations. */
  training?: { clock: ExerciseClock; scenario?: Scenario };
  log: Logger;
}

export async function runCentralServer(settings: CentralServerSettings): Promise<CentralServer> {
  const tls = checkedTls(settings);
  const demonstration = !settings.forceConfigFiles?.length;
  const [config, ...alsoServes] = (demonstration ? demonstrationForces().map((force) => force.configFile) : settings.forceConfigFiles!).map((file) => loadForceConfig(file));
  const storage = await openStorage(settings);
  const clock = settings.training?.clock ?? settings.clock ?? systemClock;
  const forceAreas = loadForceAreas(settings.areaDir ?? defaultAreaDir());
  const rules: ServerRules = { config: config!, alsoServes, now: () => clock.now(), forceAreas, ...(settings.training ? { training: true } : {}) };
  const operatorsFiles = settings.operatorsFiles ?? (demonstration ? demonstrationForces().map((force) => force.operatorsFile) : []);
  for (const file of operatorsFiles) {
    const { leftAsAdministered, ...loaded } = await loadOperators(file, storage, rules);
    settings.log.info({ ...loaded, file }, 'operators loaded');
    // The file seeds accounts; one an administrator has changed since is theirs, and is said so here.
    for (const words of leftAsAdministered) settings.log.info({ file }, `operators file: ${words} (the file seeds new accounts only)`);
  }
  return startCentralServer({ storage, rules, log: settings.log, port: settings.port, host: settings.host, enrolmentKey: settings.enrolmentKey, ...(tls ? { tls } : {}), ...(settings.training ? { training: settings.training } : {}) });
}

/**
 * The certificate and key, read before anything opens (both or neither), and whether plain HTTP may be served where
 * the server listens: a StartProblem, in one line, otherwise.
 */
function checkedTls(settings: Pick<CentralServerSettings, 'host' | 'tlsCertFile' | 'tlsKeyFile' | 'insecureHttp'>): { cert: string; key: string } | undefined {
  const tls = tlsFiles(settings);
  checkServerListening(settings.host, tls !== undefined, settings.insecureHttp ?? false);
  return tls;
}

function tlsFiles(settings: Pick<CentralServerSettings, 'tlsCertFile' | 'tlsKeyFile'>): { cert: string; key: string } | undefined {
  if (!settings.tlsCertFile && !settings.tlsKeyFile) return undefined;
  if (!settings.tlsCertFile || !settings.tlsKeyFile) throw new StartProblem('--tls-cert and --tls-key go together: give both, the certificate and its private key');
  return { cert: readPemFile('--tls-cert', settings.tlsCertFile), key: readPemFile('--tls-key', settings.tlsKeyFile) };
}

/** The enrolment key given, or one generated on first start and kept beside the database (readable by its owner only). */
export function enrolmentKeyFor(keyFile: string, given: string | undefined): { key: string; file?: string } {
  if (given) return { key: given };
  const file = keyFile;
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), file };
  const key = randomBytes(24).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, file };
}

/** The storage the settings name: the SQLite file (made if missing) or PostgreSQL, migrated to this build. */
export async function openStorage(settings: Pick<CentralServerSettings, 'dataFile' | 'databaseUrl' | 'log'>): Promise<ServerStorage> {
  if (!settings.databaseUrl) return SqliteStorage.open(settings.dataFile);
  // Never the URL itself in a log: it may carry the password.
  settings.log.info({ database: redactDatabaseUrl(settings.databaseUrl) }, 'opening PostgreSQL storage');
  return PostgresStorage.open(settings.databaseUrl, { log: settings.log });
}

export async function main(argv: string[]): Promise<void> {
  const values = parseCommandLine(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      ...SERVER_DATABASE_OPTIONS,
      'force-config': { type: 'string', multiple: true },
      operators: { type: 'string', multiple: true },
      'enrolment-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'insecure-http': { type: 'boolean' },
      area: { type: 'string' },
      // Gone: the zone is the force's, in its configuration. Still recognised, to say so rather than "unknown option".
      'time-zone': { type: 'string' },
      help: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values['time-zone'] !== undefined) {
    throw new UsageError(`--time-zone is no longer an option: the force's time zone is force.timeZone in its configuration (--force-config FILE)\n${USAGE}`);
  }
  const { dataFile, databaseUrl } = serverDatabaseOf(values, process.env, USAGE);
  const link = {
    host: values.host ?? '127.0.0.1',
    ...(values['tls-cert'] ? { tlsCertFile: resolve(values['tls-cert']) } : {}),
    ...(values['tls-key'] ? { tlsKeyFile: resolve(values['tls-key']) } : {}),
    insecureHttp: values['insecure-http'] ?? false,
  };
  // Before anything is written (the enrolment key's file): a server that would not start must leave nothing behind.
  checkedTls(link);
  const log = createLogger('cordon-server');
  const enrolment = enrolmentKeyFor(databaseUrl ? resolve('cordon-server.enrolment-key') : `${dataFile}.enrolment-key`, values['enrolment-key'] ?? process.env.CORDON_ENROLMENT_KEY);
  if (enrolment.file) log.info({ file: enrolment.file }, 'workstations enrol with the key in this file');
  // The signals are ours before anything starts: one arriving just after the server says it is listening would
  // otherwise end it as the default does, unclosed. One while it starts exits at once, as Ctrl+C asks.
  let server: { close(): Promise<void> } | null = null;
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    if (!server) process.exit(0);
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  server = await runCentralServer({
    port: parsePort(values.port, 4100),
    ...link,
    dataFile,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(values['force-config'] ? { forceConfigFiles: values['force-config'].map((file) => resolve(file)) } : {}),
    ...(values.operators ? { operatorsFiles: values.operators.map((file) => resolve(file)) } : {}),
    enrolmentKey: enrolment.key,
    ...(values.area ? { areaDir: resolve(values.area) } : {}),
    log,
  });
}


import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { makeTempDir } from './temp-dir';

const run = promisify(execFile);

/**
 * A real PostgreSQL for the tests that need one: its own cluster in a temporary folder, listening on a free loopback
 * port with its socket in that folder, trust authentication. Debian's package installs the binaries; the cluster it
 * may start on 5432 is neither used nor disturbed.
 */
export interface TestPostgres {
  port: number;
  /** A fresh, empty database on this cluster: its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server: `fast` is a clean shutdown, `immediate` is as abrupt as a crash (recovery runs on restart). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again, on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  remove(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinaries();
  const dir = makeTempDir('cordon-pg-');
  const data = join(dir.path, 'data');
  const logFile = join(dir.path, 'postgres.log');
  // PostgreSQL refuses to run as root: as root (CI, this machine), the cluster belongs to Debian's postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir.path, uid, gid);
  }
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const exec = async (tool: string, args: string[]) => {
    const [file, argv] = command(tool, args);
    try {
      await run(file, argv, { cwd: dir.path });
    } catch (error) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(`${tool} ${args.join(' ')} failed: ${(error as Error).message}\n${log}`, { cause: error });
    }
  };

  const port = await freePort();
  // fsync off: these clusters hold test data only, and an immediate stop (a crash of PostgreSQL, not of the
  // machine) loses nothing a commit was acknowledged for, since synchronous_commit stays on.
  // CORDON_TEST_POSTGRES_STATEMENTS=<file>: the cluster counts its statements (pg_stat_statements), written to that
  // file as JSON when it is removed: what the database itself spent, per statement, under a test or a bench.
  const statementsFile = process.env.CORDON_TEST_POSTGRES_STATEMENTS;
  const counting = statementsFile ? ' -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all' : '';
  const options = `-p ${port} -k ${dir.path} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off${counting}`;
  const start = () => exec('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '30', '-o', options, 'start']);
  const stop = (mode: 'fast' | 'immediate' = 'fast') => exec('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);

  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '-N']);
  await start();
  // A test process that dies without its afterAll must not leave a server running.
  const stopOnExit = () => {
    const [file, argv] = command('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    try {
      execFileSync(file, argv, { cwd: dir.path, stdio: 'ignore' });
    } catch {
      // already stopped
    }
  };
  process.once('exit', stopOnExit);

  let databases = 0;
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  if (statementsFile) await admin((client) => client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
  return {
    port,
    async createDatabase() {
      databases += 1;
      const name = `cordon_test_${databases}`;
      // FILE_COPY: with fsync off its checkpoint is cheap, and it is five times quicker than copying through the WAL.
      await admin((client) => client.query(`CREATE DATABASE ${name} STRATEGY = FILE_COPY`));
      return url(name);
    },
    stop,
    start,
    async remove() {
      process.removeListener('exit', stopOnExit);
      if (statementsFile) {
        const { rows } = await admin((client) =>
          client.query(
            `SELECT d.datname AS database, s.calls, round(s.total_exec_time::numeric, 1) AS "totalMs", s.rows, s.query
             FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid ORDER BY s.total_exec_time DESC`,
          ),
        ).catch((error: unknown) => ({ rows: [{ error: String(error) }] }));
        writeFileSync(statementsFile, JSON.stringify(rows, null, 1));
      }
      await stop('immediate').catch(() => {});
      dir.remove();
    },
  };
}

/** Debian's binaries, newest major version first. Missing ones fail the test: a skipped storage is an untested one. */
function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const override = process.env.CORDON_POSTGRES_BIN;
  if (override) return override;
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `PostgreSQL is not installed: no initdb under ${root}/*/bin. Install Debian's postgresql package ` +
        `(apt-get install --no-install-recommends postgresql, as .ci/run does), or set CORDON_POSTGRES_BIN to a folder holding initdb and pg_ctl.`,
    );
  }
  return join(root, versions[0]!, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

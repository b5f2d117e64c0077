import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { demoOperatorsFile } from '../../server/access/operators-file';
import { defaultForceConfigFile } from '../../node-common/force-config-file';

const root = join(import.meta.dirname, '..', '..');

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit (SIGKILL if it has not exited in 10 s). */
  stop(): Promise<void>;
  /** kill -9: no cleanup, no flush, as a power cut or a crash would leave it. */
  kill9(): Promise<void>;
}

/** How a built script is started: by node itself, or through a wrapper (see onSmallDisk) that execs node in the end. */
type Launcher = (node: string, args: string[]) => [string, string[]];
const directly: Launcher = (node, args) => [node, args];

/** `env`: variables added to the process's environment; `launch`: how to start it (default: node directly). */
function run(script: string, args: string[], readyLine: RegExp, timeoutMs = 30_000, extra: { env?: Record<string, string>; launch?: Launcher } = {}): Promise<RunningProcess & { match: RegExpMatchArray }> {
  const [command, commandArgs] = (extra.launch ?? directly)(process.execPath, [join(root, script), ...args]);
  const child = spawn(command, commandArgs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CORDON_LOG_LEVEL: 'info', ...extra.env } });
  let out = '';
  let ending = false;
  let ready = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A process that dies when no test asked it to (a crash under test) says so, with its last words: otherwise the
  // test sees only a window that lost its core, or a server that stopped answering.
  child.once('exit', (code, signal) => {
    if (!ending && ready) process.stderr.write(`\n${script} ${args.join(' ')} exited unasked (${signal ?? code}); its last output:\n${out.slice(-4000)}\n`);
  });
  const handle: RunningProcess = {
    child,
    output: () => out,
    async stop() {
      ending = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // A process hung where it should not (a bug under test) must not outlive the test: SIGKILL after 10 s.
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
    async kill9() {
      ending = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind the failed test, holding its port and files.
      ending = true;
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(readyLine);
      if (match && !ready) {
        ready = true;
        clearTimeout(timer);
        resolve({ ...handle, match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${out}`));
    });
  });
}

/** The enrolment key the test servers are started with and test workstations present. */
export const TEST_ENROLMENT_KEY = 'test-enrolment-key';

/**
 * The forces a test server serves: by default the one-force world of the existing tests, the demonstration force
 * (DMO) with its accounts; `forceConfig`: another force's configuration instead, with `operators` as its accounts (by
 * default the demonstration force's still); `forces: 'demonstration'`: the server's own default, both demonstration
 * forces (DMO and NBR). An `--operators` among `args` replaces the demonstration accounts.
 */
function forceArgs(options: { args?: string[]; forceConfig?: string; operators?: string; forces?: 'demonstration' }): string[] {
  if (options.forces === 'demonstration') return [];
  const operators = options.args?.includes('--operators') ? [] : ['--operators', options.operators ?? demoOperatorsFile()];
  return ['--force-config', options.forceConfig ?? defaultForceConfigFile(), ...operators];
}

/** The central server as its own process, on a free loopback port (or the one given, to restart it in place); see forceArgs. */
export async function startServerProcess(
  dataFile: string,
  port = 0,
  options: { enrolmentKey?: string; args?: string[]; forceConfig?: string; operators?: string; forces?: 'demonstration' } = {},
): Promise<RunningProcess & { url: string; port: number }> {
  const args = ['--port', String(port), '--data', dataFile, '--enrolment-key', options.enrolmentKey ?? TEST_ENROLMENT_KEY, ...forceArgs(options), ...(options.args ?? [])];
  // http:// or https:// (given --tls-cert), on 127.0.0.1 or the --host given.
  const started = await run('dist/node/server.mjs', args, /"url":"(https?:\/\/[^"]+:(\d+))"/);
  return { ...started, url: started.match[1]!, port: Number(started.match[2]) };
}

/** The central server as its own process on a PostgreSQL database (several may share one); forces as startServerProcess's. */
export async function startServerProcessOnPostgres(databaseUrl: string, port = 0, options: { forces?: 'demonstration' } = {}): Promise<RunningProcess & { url: string; port: number }> {
  const args = ['--port', String(port), '--database-url', databaseUrl, '--enrolment-key', TEST_ENROLMENT_KEY, ...forceArgs(options)];
  const started = await run('dist/node/server.mjs', args, /"url":"(http:\/\/127\.0\.0\.1:(\d+))"/);
  return { ...started, url: started.match[1]!, port: Number(started.match[2]) };
}

/**
 * A launcher that gives the process a disk of its own, `bytes` big, mounted at `dir`: a tmpfs in a private mount
 * namespace (unshare(1); as root directly, otherwise in a user namespace where the user is root), so that the
 * test can fill it without filling the machine's. The process sees it at `dir`; the test, outside the namespace,
 * through /proc/PID/root (see smallDiskPath). The script is exec'd, so the process keeps the wrapper's pid.
 */
export function onSmallDisk(dir: string, bytes: number): Launcher {
  const namespaces = process.getuid?.() === 0 ? ['--mount'] : ['--user', '--map-root-user', '--mount'];
  return (node, args) => ['unshare', [...namespaces, '--propagation', 'private', 'sh', '-c', `mount -t tmpfs -o size=${bytes} tmpfs "$0" && exec "$@"`, dir, node, ...args]];
}

/** Where a test reaches the small disk of a process started onSmallDisk(dir, …): through the process's own root. */
export function smallDiskPath(running: RunningProcess, dir: string): string {
  return `/proc/${running.child.pid}/root${dir}`;
}

/** A workstation in the browser host as its own process, against a given server, no windows opened. */
export async function startConsoleProcess(options: {
  server: string;
  workstation: string;
  dataDir: string;
  operator?: string;
  /** A call script for the telephony simulator. */
  calls?: string;
  /** Simulated vehicle terminals and AVL for the units this workstation deploys. */
  vehicles?: boolean;
  /** How to start it (default: node directly). */
  launch?: Launcher;
  /** Another force's configuration (the server's must be the same). */
  forceConfig?: string;
  /** The workstation's clock starts at this instant (ISO-8601, `--clock-start`): a workstation whose clock is wrong. */
  clockStart?: string;
}): Promise<RunningProcess & { windowUrl: string; deskUrl: string; origin: string; key: string }> {
  const started = await run(
    'dist/node/console.mjs',
    [
      '--server',
      options.server,
      '--workstation',
      options.workstation,
      ...(options.operator ? ['--operator', options.operator] : []),
      ...(options.calls ? ['--calls', options.calls] : []),
      // Vehicles drive four times faster than real, so a test waits seconds, not minutes, for one to arrive.
      ...(options.vehicles ? ['--vehicles', 'simulated', '--vehicle-speed', '4'] : []),
      ...(options.forceConfig ? ['--force-config', options.forceConfig] : []),
      ...(options.clockStart ? ['--clock-start', options.clockStart] : []),
      '--enrolment-key',
      TEST_ENROLMENT_KEY,
      '--data-dir',
      options.dataDir,
      '--no-open',
      '--shell',
      'browser',
    ],
    /Cordon console: (http:\/\/\S+)/,
    undefined,
    options.launch ? { launch: options.launch } : {},
  );
  // The address printed is the desk's first window, which lands on the operator's own; tests mostly open a window
  // at a role, the incidents window's address (change role=incidents for another).
  const deskUrl = started.match[1]!;
  const url = new URL(deskUrl);
  return { ...started, windowUrl: atRole(deskUrl, 'incidents'), deskUrl, origin: url.origin, key: url.hash.replace('#key=', '') };
}

/**
 * A workstation on its own, with its embedded central server (one process, one clock), as `npm start` runs it: for
 * tests that move the clock (`clockStart`, an ISO instant) or put the machine in another time zone (`machineTimeZone`,
 * the process's TZ). No simulated vehicles; the calls given, if any.
 */
export async function startStandaloneConsole(options: {
  workstation: string;
  dataDir: string;
  operator?: string;
  calls?: string;
  clockStart?: string;
  machineTimeZone?: string;
}): Promise<RunningProcess & { windowUrl: string }> {
  const started = await run(
    'dist/node/console.mjs',
    [
      '--workstation',
      options.workstation,
      ...(options.operator ? ['--operator', options.operator] : []),
      '--calls',
      options.calls ?? 'none',
      '--vehicles',
      'none',
      ...(options.clockStart ? ['--clock-start', options.clockStart] : []),
      '--data-dir',
      options.dataDir,
      '--no-open',
      '--shell',
      'browser',
    ],
    /Cordon console: (http:\/\/\S+)/,
    30_000,
    options.machineTimeZone ? { env: { TZ: options.machineTimeZone } } : {},
  );
  return { ...started, windowUrl: atRole(started.match[1]!, 'incidents') };
}

/** A window's address at a role, from the desk's address the console printed. */
export function atRole(deskUrl: string, role: string): string {
  const url = new URL(deskUrl);
  url.searchParams.set('role', role);
  return url.toString();
}

/**
 * The trainer's workstation running a scenario (`--exercise FILE`), with its embedded training server: the address
 * trainees join, the exercise code it printed, and the desk's address.
 */
export async function startExerciseConsole(options: { scenario: string; workstation: string; dataDir: string; operator?: string }): Promise<RunningProcess & { serverUrl: string; code: string; deskUrl: string }> {
  const started = await run(
    'dist/node/console.mjs',
    ['--exercise', options.scenario, '--workstation', options.workstation, ...(options.operator ? ['--operator', options.operator] : []), '--data-dir', options.dataDir, '--no-open', '--shell', 'browser'],
    /--server (http:\/\/\S+) --exercise-code (\S+)\nCordon console: (http:\/\/\S+)/,
    30_000,
  );
  return { ...started, serverUrl: started.match[1]!, code: started.match[2]!, deskUrl: started.match[3]! };
}

/** A trainee's workstation joining an exercise with its code (`--server URL --exercise-code CODE`). */
export async function joinExerciseConsole(options: { server: string; code: string; workstation: string; dataDir: string; operator?: string }): Promise<RunningProcess & { deskUrl: string }> {
  const started = await run(
    'dist/node/console.mjs',
    ['--server', options.server, '--exercise-code', options.code, '--workstation', options.workstation, ...(options.operator ? ['--operator', options.operator] : []), '--data-dir', options.dataDir, '--no-open', '--shell', 'browser'],
    /Cordon console: (http:\/\/\S+)/,
    30_000,
  );
  return { ...started, deskUrl: started.match[1]! };
}

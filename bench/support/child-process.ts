import { spawn, type ChildProcess } from 'node:child_process';
import { BENCH_ENROLMENT_KEY } from './bench-access';
import { join } from 'node:path';
import { appRoot } from '../../node-common/app-paths';

export interface RunningChild {
  child: ChildProcess;
  pid: number;
  match: RegExpMatchArray;
  /** Log lines at warn level or above (pino's levels 40, 50, 60) seen so far: a benchmark must not hide failures. */
  problems(): string[];
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts one of the built scripts in dist/ as its own process and resolves once its output matches ready. The
 * output is read to the end (a full pipe would stall the child) and kept only for an error message. `nodeArgs` go
 * to Node before the script (--cpu-prof, which NODE_OPTIONS may not carry).
 */
export function startBuiltScript(script: string, args: string[], ready: RegExp, env: Record<string, string> = {}, timeoutMs = 30_000, nodeArgs: string[] = []): Promise<RunningChild> {
  const root = appRoot();
  const child = spawn(process.execPath, [...nodeArgs, join(root, script), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  // Should the benchmark end abruptly (process.exit after a failure), its servers must not outlive it.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.removeListener('exit', orphanGuard);
      resolve();
    }),
  );
  let head = '';
  let partial = '';
  const problems: string[] = [];
  const scan = (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (/"level":(40|50|60)\b/.test(line) && problems.length < 100) problems.push(line);
  };
  return new Promise((resolve, reject) => {
    let matched = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} was not ready in ${timeoutMs} ms:\n${head}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      scan(chunk.toString());
      if (matched) return;
      head = (head + chunk.toString()).slice(-20_000);
      const match = head.match(ready);
      if (!match) return;
      matched = true;
      clearTimeout(timer);
      resolve({
        child,
        pid: child.pid!,
        match,
        problems: () => [...problems],
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!matched) reject(new Error(`${script} exited with ${code} before it was ready:\n${head}`));
    });
  });
}

/**
 * `CORDON_BENCH_SERVER_PROFILE=<folder>`: the benchmark's server process writes a V8 CPU profile there when it stops
 * (node --cpu-prof), to see where its time goes under the load (open it in Chrome's DevTools).
 */
export function serverProfileArgs(): string[] {
  const folder = process.env.CORDON_BENCH_SERVER_PROFILE;
  return folder ? ['--cpu-prof', `--cpu-prof-dir=${folder}`] : [];
}

/**
 * The real central server (dist/node/server.mjs) on a free loopback port. Its own process, so that its event
 * loop is not shared with the simulated workstations that load it. Logs at info, as in production. `args` are
 * further options (--force-config, --operators).
 */
export async function startCentralServerProcess(dataFile: string, args: string[] = []): Promise<RunningChild & { url: string }> {
  const started = await startBuiltScript('dist/node/server.mjs', ['--port', '0', '--data', dataFile, '--enrolment-key', BENCH_ENROLMENT_KEY, ...args], /"url":"(http:\/\/127\.0\.0\.1:\d+)"/, {
    CORDON_LOG_LEVEL: 'info',
  }, 30_000, serverProfileArgs());
  return { ...started, url: started.match[1]! };
}

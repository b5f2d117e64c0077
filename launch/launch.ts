import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { appRoot } from '../node-common/app-paths';
import { CONSOLE_USAGE, parseConsoleOptions } from './console-options';
import { existsPath, prepareElectronRuntime, type RuntimeDeps } from './electron-runtime';
import { main as runBrowserHost } from './console-main';
import { exitWithError } from '../node-common/start-problem';

export { exitWithError };

/**
 * `npm start`: Electron when its binary is present (fetched first if missing and the network allows), otherwise
 * the browser host. Either way the same console core and the same renderer.
 */
export async function launch(argv: string[]): Promise<void> {
  const options = parseConsoleOptions(argv);
  if (options === 'help') {
    console.log(CONSOLE_USAGE);
    return;
  }
  if (options.shell !== 'browser') {
    const runtime = await prepareElectronRuntime(realDeps(), { force: options.shell === 'electron', log: (line) => console.log(line) });
    if (runtime.ok) return runElectron(runtime.binary, runtime.sqliteBinding, argv);
    if (options.shell === 'electron') throw new Error(`cannot start the Electron host: ${runtime.reason}`);
    console.log(`Electron is not available (${runtime.reason}); using the browser host.`);
  }
  await runBrowserHost(argv);
}

function runElectron(binary: string, sqliteBinding: string, argv: string[]): void {
  const child = spawn(binary, [join(appRoot(), 'dist', 'electron', 'main.cjs'), ...argv], {
    stdio: 'inherit',
    env: { ...process.env, CORDON_SQLITE_NATIVE_BINDING: sqliteBinding },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}

function realDeps(): RuntimeDeps {
  return {
    root: appRoot(),
    exists: existsPath,
    now: () => Date.now(),
    platform: process.platform,
    arch: process.arch,
    nodePath: process.execPath,
    run: (command, args, { cwd, timeoutMs }) =>
      new Promise((resolve) => {
        const child = spawn(command, args, { cwd, timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('error', (error) => resolve({ code: null, output: output + error.message }));
        child.on('close', (code) => resolve({ code, output }));
      }),
  };
}

if (process.argv[1] && /launch\.mjs$/.test(process.argv[1])) launch(process.argv.slice(2)).catch(exitWithError);

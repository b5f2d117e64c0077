import { privateFolder } from '../node-common/private-folder';
import { join } from 'node:path';
import { pino } from 'pino';
import { appRoot } from '../node-common/app-paths';
import { startWorkstation } from './start-workstation';
import { startBrowserHost } from '../main/hosts/browser/browser-host';
import { rememberAddress, rememberedAddress } from '../main/hosts/browser/host-address';
import { createAreaFiles } from '../main/area/area-files';
import { exitWithError } from '../node-common/start-problem';
import { logDestination } from '../node-common/log-destination';
import { CONSOLE_USAGE, parseConsoleOptions, type ConsoleOptions } from './console-options';
import { hasDisplay, openWindow } from './open-window';

/**
 * Runs one workstation in the browser host: the console core in this process, its windows in Chromium, talking
 * to the core over a loopback WebSocket.
 */
export async function runBrowserConsole(options: ConsoleOptions): Promise<() => Promise<void>> {
  privateFolder(options.dataDir);
  // Structured logs go to a file in the data folder; the terminal gets the few lines a person needs. A disk that
  // refuses the log's writes (full, failing) is reported, never fatal.
  const log = pino({ name: 'cordon-console', level: process.env.CORDON_LOG_LEVEL ?? 'info' }, logDestination(join(options.dataDir, 'console.log')));
  const workstation = await startWorkstation(options, 'browser', log);
  const area = createAreaFiles(options.areaDir);
  const host = await startBrowserHost({ core: workstation.core, rendererDir: join(appRoot(), 'dist', 'renderer'), port: options.port, previous: rememberedAddress(options.dataDir), log, area });
  rememberAddress(options.dataDir, { port: host.port, key: host.key });
  // The first window names no role: it becomes the signed-in operator's own (a call handler's is Call taking).
  const url = host.windowUrl(null);

  console.log(`Cordon workstation ${options.workstation}`);
  console.log(`  central server: ${workstation.serverUrl}${workstation.embeddedServer ? ' (embedded)' : ''}`);
  console.log(`  data:           ${options.dataDir}`);
  console.log(`  area:           ${workstation.area?.manifest.name ?? 'none'} (${options.areaDir})`);
  if (workstation.exerciseCode) {
    console.log(`TRAINING EXERCISE: ${workstation.exerciseTitle ?? ''} (not live; its own data in ${options.dataDir})`);
    console.log(`  exercise code:  ${workstation.exerciseCode}   trainees: npm start -- --server ${workstation.serverUrl} --exercise-code ${workstation.exerciseCode}`);
  } else if (options.exercise) {
    console.log(`TRAINING: joining the exercise at ${workstation.serverUrl} (not live; its own data in ${options.dataDir})`);
  }
  if (options.clockStart !== null) console.log(`  clock:          started at ${new Date(options.clockStart).toISOString()} (--clock-start: for tests and exercises)`);
  console.log(`Cordon console: ${url}`);
  if (options.open && hasDisplay()) openWindow(url, join(options.dataDir, 'browser-profile'));
  else console.log("  (open that address in Chromium; it carries this launch's key)");

  return async () => {
    await host.close();
    await area.close();
    await workstation.stop();
    log.flush();
  };
}

export async function main(argv: string[]): Promise<void> {
  const options = parseConsoleOptions(argv);
  if (options === 'help') {
    console.log(CONSOLE_USAGE);
    return;
  }
  // The signals are ours before anything starts: one arriving between the address printed and a handler installed
  // after it would end the process as the default does, without its exit handlers (the data folder's claim left).
  let stop: (() => Promise<void>) | null = null;
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // Still starting: nothing to stop in order yet, and exiting at once is what Ctrl+C on a slow start asks.
    if (!stop) process.exit(0);
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  stop = await runBrowserConsole(options);
}


if (process.argv[1] && /console\.mjs$/.test(process.argv[1])) main(process.argv.slice(2)).catch(exitWithError);

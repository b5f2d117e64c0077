// The console core in an Electron utility process, so that SQLite work never stalls the main process that
// drives the windows. It speaks to the main process by messages only.
import { join } from 'node:path';
import { pino } from 'pino';
import { logDestination } from '../node-common/log-destination';
import { startWorkstation, type RunningWorkstation, type WorkstationSettings } from './start-workstation';
import type { FromCore, ToCore } from '../main/hosts/electron/core-messages';

interface ParentPort {
  on(event: 'message', listener: (event: { data: ToCore<WorkstationSettings> }) => void): void;
  postMessage(message: FromCore): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('core-process must run as an Electron utility process');
const port: ParentPort = parentPort;

let running: RunningWorkstation | null = null;

port.on('message', ({ data }) => {
  switch (data.type) {
    case 'start':
      void start(data.settings);
      break;
    case 'request':
      if (!running) {
        port.postMessage({ type: 'reply', id: data.id, reply: { ok: false, error: { code: 'unavailable', message: 'the console core is still starting' } } });
        return;
      }
      void running.core.dispatch(data.channel, data.request, data.meta).then((reply) => port.postMessage({ type: 'reply', id: data.id, reply }));
      break;
    case 'stop':
      void running?.stop().then(() => process.exit(0));
      break;
  }
});

async function start(settings: WorkstationSettings): Promise<void> {
  try {
    const log = pino({ name: 'cordon-core' }, logDestination(join(settings.dataDir, 'console.log')));
    running = await startWorkstation(settings, 'electron', log);
    running.core.onEvent((event, payload) => port.postMessage({ type: 'event', event, payload }));
    port.postMessage({ type: 'ready', serverUrl: running.serverUrl });
  } catch (error) {
    port.postMessage({ type: 'fatal', message: (error as Error).message });
  }
}


import { join } from 'node:path';
import type { Logger } from 'pino';
import { systemClock } from '../../shared/domain/time';
import type { Session } from '../../shared/contract/views';
import { runCentralServer } from '../../server/main';
import { loadForceConfig } from '../../server/force-config-file';
import type { CentralServer } from '../../server/central-server';
import { createConsoleCore, type ConsoleCore } from './console-core';

export interface WorkstationSettings {
  serverUrl: string | null;
  workstation: string;
  operator: string;
  dataDir: string;
  forceConfigFile: string | undefined;
}

export interface RunningWorkstation {
  core: ConsoleCore;
  serverUrl: string;
  embeddedServer: CentralServer | null;
  stop(): Promise<void>;
}

/**
 * Starts a workstation's core, and an embedded central server beside it when none is given, so one command gives
 * a working console. Both hosts call this; only what they put in front of it differs.
 */
export async function startWorkstation(settings: WorkstationSettings, host: Session['host'], log: Logger): Promise<RunningWorkstation> {
  const config = loadForceConfig(settings.forceConfigFile);
  const embeddedServer = settings.serverUrl
    ? null
    : await runCentralServer({
        port: 0,
        host: '127.0.0.1',
        dataFile: join(settings.dataDir, 'central-server.sqlite'),
        ...(settings.forceConfigFile ? { forceConfigFile: settings.forceConfigFile } : {}),
        timeZone: 'Europe/London',
        log: log.child({ component: 'embedded-server' }),
      });
  const serverUrl = settings.serverUrl ?? embeddedServer!.url;
  const core = createConsoleCore({
    dataDir: settings.dataDir,
    workstation: settings.workstation,
    operator: settings.operator,
    serverUrl,
    config,
    host,
    clock: systemClock,
    log,
  });
  core.start();
  return {
    core,
    serverUrl,
    embeddedServer,
    async stop() {
      core.stop();
      await embeddedServer?.close();
    },
  };
}

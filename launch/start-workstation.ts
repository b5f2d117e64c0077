import { randomBytes } from 'node:crypto';
import { holdFolder } from '../node-common/folder-lock';
import { privateFolder } from '../node-common/private-folder';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { clockStartingAt, systemClock, type Clock } from '../shared/domain/time';
import type { Session } from '../shared/contract/views';
import { runCentralServer } from './run-central-server';
import { demonstrationForces, loadForceConfig } from '../node-common/force-config-file';
import type { CentralServer } from '../server/central-server';
import { createConsoleCore, type ConsoleCore } from '../main/core/console-core';
import { loadCallScript, SimulatedTelephony } from '../main/adapters/telephony/simulated-telephony';
import { realScheduler } from '../node-common/scheduler';
import { SimulatedTerminal } from '../main/adapters/terminal/simulated-terminal';
import { SimulatedAvl } from '../main/adapters/avl/simulated-avl';
import { loadRoadNetwork } from '../main/dispatch/road-network';
import { homeOf, type ForceConfig } from '../shared/domain/force-config';
import { openArea, type AreaService } from '../main/area/area-service';
import { BenchAvl } from '../main/adapters/avl/bench-avl';
import { checkServerUrl, readPemFile } from '../node-common/link-security';

export interface WorkstationSettings {
  serverUrl: string | null;
  /** The PEM file of the force's certificate authority, trusted for an https:// server instead of the system's store. */
  caFile?: string | null;
  /** Plain HTTP to a server that is not on this machine: refused at start unless this says so. */
  insecureHttp?: boolean;
  workstation: string;
  /** The name offered on the sign-in screen. */
  operator: string | null;
  dataDir: string;
  forceConfigFile: string | undefined;
  /** For enrolling with a given server (the embedded one makes its own). */
  enrolmentKey: string | null;
  /** The area folder to show (map tiles, gazetteer); none: the area channels answer "unavailable". */
  areaDir?: string;
  /** A call script for the telephony simulator; none: this position takes no simulated calls. */
  callsFile?: string | null;
  /** Simulated vehicles (terminals and AVL) for the units deployed here; none: no vehicles answer. */
  vehicles?: 'simulated' | 'none';
  /** How many times faster than real the simulated vehicles drive (demonstrations and tests). */
  vehicleSpeed?: number;
  /** Benchmarks only: every unit of the force reports a position each second. */
  benchAvl?: boolean;
  /** Tests and exercises only: the instant (ms) the clock starts at; it runs on at the machine's rate from there. */
  clockStart?: number | null;
}

export interface RunningWorkstation {
  core: ConsoleCore;
  serverUrl: string;
  embeddedServer: CentralServer | null;
  area: AreaService | null;
  stop(): Promise<void>;
}

/**
 * Starts a workstation's core, and an embedded central server beside it when none is given, so one command gives
 * a working console. Both hosts call this; only what they put in front of it differs.
 */
export async function startWorkstation(settings: WorkstationSettings, host: Session['host'], log: Logger): Promise<RunningWorkstation> {
  // One console per data folder: a second one started on it stops here, saying which process has it.
  privateFolder(settings.dataDir);
  const folder = holdFolder(settings.dataDir);
  try {
    return await startHeld(settings, host, log, folder);
  } catch (error) {
    folder.release();
    throw error;
  }
}

async function startHeld(settings: WorkstationSettings, host: Session['host'], log: Logger, folder: { release(): void }): Promise<RunningWorkstation> {
  const config = loadForceConfig(settings.forceConfigFile);
  // The link's security is checked before anything starts: a plain-HTTP server elsewhere, an unreadable CA file.
  if (settings.serverUrl) checkServerUrl(settings.serverUrl, settings.insecureHttp ?? false);
  const ca = settings.caFile ? readPemFile('--ca', settings.caFile) : undefined;
  // One clock for the core, its simulators and its embedded server, so a moved clock moves them all together.
  const clock = settings.clockStart != null ? clockStartingAt(settings.clockStart) : systemClock;
  // The embedded server and its one workstation share a key made for this launch.
  const enrolmentKey = settings.serverUrl ? settings.enrolmentKey : randomBytes(24).toString('base64url');
  // Checked before anything starts: a missing or broken area stops the start with a message saying why.
  const area = settings.areaDir ? openArea(settings.areaDir, (problem) => log.warn({ area: settings.areaDir }, problem)) : null;
  const calls = settings.callsFile ? loadCallScript(settings.callsFile) : null;
  const embeddedServer = settings.serverUrl
    ? null
    : await runCentralServer({
        port: 0,
        host: '127.0.0.1',
        dataFile: join(settings.dataDir, 'central-server.sqlite'),
        // The demonstration forces together (whichever of them this workstation is), or the one force given.
        ...(settings.forceConfigFile && !isDemonstrationForce(settings.forceConfigFile) ? { forceConfigFiles: [settings.forceConfigFile] } : {}),
        enrolmentKey: enrolmentKey!,
        clock,
        log: log.child({ component: 'embedded-server' }),
      });
  const serverUrl = settings.serverUrl ?? embeddedServer!.url;
  const core = createConsoleCore({
    dataDir: settings.dataDir,
    workstation: settings.workstation,
    suggestedOperator: settings.operator,
    enrolmentKey,
    serverUrl,
    ...(ca !== undefined ? { ca } : {}),
    config,
    host,
    clock,
    log,
    ...(area ? { area } : {}),
    ...(calls ? { telephony: new SimulatedTelephony(calls, clock, realScheduler) } : {}),
    ...(settings.vehicles === 'simulated' ? simulatedVehicles(config, clock, settings.areaDir, settings.vehicleSpeed ?? 1) : {}),
    ...(settings.benchAvl ? { avl: new BenchAvl(config, clock, realScheduler) } : {}),
  });
  core.start();
  return {
    core,
    serverUrl,
    embeddedServer,
    area,
    async stop() {
      core.stop();
      await embeddedServer?.close();
      folder.release();
    },
  };
}

function isDemonstrationForce(file: string): boolean {
  return demonstrationForces().some((force) => force.configFile === file);
}

/**
 * The demo's and tests' vehicles: terminals that answer deployments, and AVL that drives each unit from its home
 * station along the area's roads to where it is sent.
 */
function simulatedVehicles(config: ForceConfig, clock: Clock, areaDir: string | undefined, speedFactor: number): { terminal: SimulatedTerminal; avl?: SimulatedAvl } {
  const crews = config.units.map((unit) => ({ unitId: unit.callSign, shift: unit.shift }));
  const terminal = new SimulatedTerminal({ clock, scheduler: realScheduler, crews, timeZone: config.force.timeZone });
  if (!areaDir) return { terminal };
  const units = config.units.flatMap((unit) => {
    const home = homeOf(config, unit);
    return home ? [{ unitId: unit.callSign, home }] : [];
  });
  const avl = new SimulatedAvl({ network: loadRoadNetwork(areaDir), units, clock, scheduler: realScheduler, cadenceMs: 2000, speedFactor });
  return { terminal, avl };
}

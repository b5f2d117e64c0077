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
import type { Scheduler } from '../node-common/scheduler';
import { ExerciseScheduler } from '../node-common/exercise-scheduler';
import { ExerciseClock } from '../shared/domain/exercise-clock';
import type { Scenario } from '../shared/training/scenario';
import { loadScenario } from '../node-common/scenario-file';
import { ExerciseRunner } from '../main/adapters/exercise/exercise-runner';
import type { CoreExercise } from '../main/core/handlers/exercise-handlers';
import { StartProblem } from '../node-common/start-problem';
import { ExerciseOutages } from '../shared/training/exercise-outages';
import { ExerciseRoom } from '../shared/training/exercise-room';
import type { ExerciseVehicles } from '../main/adapters/exercise/exercise-ports';

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
  /**
   * A training exercise. `scenarioFile`: the trainer's workstation, which runs the scenario with an embedded training
   * server listening on `host` (default loopback) for trainees; `code`: a trainee's, joining the training server
   * `serverUrl` with the exercise code it printed. Either way the workstation is in training mode throughout.
   */
  exercise?: { scenarioFile: string; host?: string } | { code: string };
}

export interface RunningWorkstation {
  core: ConsoleCore;
  serverUrl: string;
  /** On the trainer's workstation: what trainees join with (the training server's enrolment key). */
  exerciseCode: string | null;
  /** On the trainer's workstation: the scenario's title. */
  exerciseTitle: string | null;
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
  const training = trainingOf(settings, config);
  // One clock for the core, its simulators and its embedded server, so a moved clock moves them all together: in an
  // exercise, the exercise clock, and timers on it.
  const clock: Clock = training?.exercise.clock ?? (settings.clockStart != null ? clockStartingAt(settings.clockStart) : systemClock);
  const scheduler: Scheduler = training?.scheduler ?? realScheduler;
  // The embedded server and its one workstation share a key made for this launch; an exercise's is its code, which
  // trainees type, so it is short and unambiguous. A trainee enrols with the code.
  const enrolmentKey = training
    ? 'code' in training
      ? training.code
      : exerciseCode()
    : settings.serverUrl
      ? settings.enrolmentKey
      : randomBytes(24).toString('base64url');
  // Checked before anything starts: a missing or broken area stops the start with a message saying why.
  const area = settings.areaDir ? openArea(settings.areaDir, (problem) => log.warn({ area: settings.areaDir }, problem)) : null;
  // An exercise plays its scenario's calls, never a call script's.
  const calls = settings.callsFile && !training ? loadCallScript(settings.callsFile) : null;
  const runner = training?.exercise.runner;
  // The trainer's desk plays the scenario's system injects on its own training server, never on its own link.
  const outages = runner ? new ExerciseOutages(settings.workstation) : null;
  // The trainees as its training server sees them join: the trainer's desk lists them.
  const room = runner ? new ExerciseRoom(settings.workstation) : null;
  if (room && training) training.exercise.room = room;
  const embeddedServer = settings.serverUrl
    ? null
    : await runCentralServer({
        port: 0,
        host: (settings.exercise && 'scenarioFile' in settings.exercise ? settings.exercise.host : undefined) ?? '127.0.0.1',
        ...(settings.insecureHttp ? { insecureHttp: true } : {}),
        dataFile: join(settings.dataDir, 'central-server.sqlite'),
        // The demonstration forces together (whichever of them this workstation is), or the one force given.
        ...(settings.forceConfigFile && !isDemonstrationForce(settings.forceConfigFile) ? { forceConfigFiles: [settings.forceConfigFile] } : {}),
        enrolmentKey: enrolmentKey!,
        ...(settings.areaDir ? { areaDir: settings.areaDir } : {}),
        clock,
        // The scenario too, for the after-action review the training server computes from its record.
        ...(training ? { training: { clock: training.exercise.clock, ...('scenario' in training ? { scenario: training.scenario } : {}), ...(outages ? { outages } : {}), ...(room ? { room } : {}) } } : {}),
        log: log.child({ component: 'embedded-server' }),
      });
  const serverUrl = settings.serverUrl ?? embeddedServer!.url;
  // An exercise's crews book on as its scenario says, not by the rota.
  const vehicles = settings.vehicles === 'simulated' ? simulatedVehicles(config, clock, scheduler, settings.areaDir, settings.vehicleSpeed ?? 1, runner !== undefined) : null;
  // The training server opens the scenario's incidents already open and places its markers as the exercise starts.
  const startingState = embeddedServer?.putStartingState ? { put: embeddedServer.putStartingState } : null;
  runner?.connect({ ...(vehicles ? { vehicles: exerciseVehicles(vehicles) } : {}), ...(outages ? { system: outages } : {}), ...(startingState ? { startingState } : {}) });
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
    ...(calls ? { telephony: new SimulatedTelephony(calls, clock, scheduler) } : {}),
    ...(runner ? { telephony: runner } : {}),
    ...(vehicles ?? {}),
    ...(settings.benchAvl ? { avl: new BenchAvl(config, clock, scheduler) } : {}),
    ...(training ? { exercise: training.exercise } : {}),
  });
  core.start();
  return {
    core,
    serverUrl,
    exerciseCode: training && 'scenario' in training ? enrolmentKey : null,
    exerciseTitle: training?.exercise.title ?? null,
    embeddedServer,
    area,
    async stop() {
      core.stop();
      training?.scheduler.stop();
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
function simulatedVehicles(config: ForceConfig, clock: Clock, scheduler: Scheduler, areaDir: string | undefined, speedFactor: number, exercise: boolean): { terminal: SimulatedTerminal; avl?: SimulatedAvl } {
  const crews = exercise ? [] : config.units.map((unit) => ({ unitId: unit.callSign, shift: unit.shift }));
  const terminal = new SimulatedTerminal({ clock, scheduler, crews, timeZone: config.force.timeZone });
  if (!areaDir) return { terminal };
  const units = config.units.flatMap((unit) => {
    const home = homeOf(config, unit);
    return home ? [{ unitId: unit.callSign, home }] : [];
  });
  const avl = new SimulatedAvl({ network: loadRoadNetwork(areaDir), units, clock, scheduler, cadenceMs: 2000, speedFactor });
  return { terminal, avl };
}

/** The exercise's injects, played on the simulated vehicles: terminals for the crews' words, AVL for where they stand. */
function exerciseVehicles({ terminal, avl }: { terminal: SimulatedTerminal; avl?: SimulatedAvl }): ExerciseVehicles {
  return {
    bookOn(unitId, until, at) {
      if (at) avl?.placeAt(unitId, at);
      terminal.bookOnUntil(unitId, until);
    },
    breakDown(unitId, reason) {
      avl?.breakDown(unitId);
      terminal.breakDown(unitId, reason);
    },
    delay: (unitId, minutes) => terminal.delay(unitId, minutes),
    rejectNext: (unitId, reason) => terminal.rejectNext(unitId, reason),
  };
}

/** Twelve letters and digits a trainee reads off the trainer's screen (no 0/O, 1/I/L), in threes: about 59 bits. */
function exerciseCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const letters = [...randomBytes(12)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return letters.match(/.{3}/g)!.join('-');
}

type Training = { exercise: CoreExercise; scheduler: ExerciseScheduler } & ({ scenario: Scenario } | { code: string });

/**
 * The exercise a workstation runs or joins, checked before anything starts (a broken scenario stops the start with
 * its file, line and path): its clock, stood at the scenario's start until the trainer starts it (or, for a trainee,
 * until the training server says where it stands), and timers on that clock for every simulator.
 */
function trainingOf(settings: WorkstationSettings, config: ForceConfig): Training | null {
  const exercise = settings.exercise;
  if (!exercise) return null;
  if ('scenarioFile' in exercise) {
    if (settings.serverUrl) throw new StartProblem('--exercise runs the exercise with its own training server: give no --server (trainees join it with --server and --exercise-code)');
    const scenario = loadScenario(exercise.scenarioFile, config);
    const clock = new ExerciseClock(Date.parse(scenario.startsAt));
    const scheduler = new ExerciseScheduler(clock);
    // A jump to the next inject fires what it passes at once, not a tick later.
    clock.onChange(() => scheduler.fireDue());
    return { scenario, scheduler, exercise: { desk: 'trainer', clock, runner: new ExerciseRunner(scenario, clock, scheduler), title: scenario.title } };
  }
  if (!settings.serverUrl) throw new StartProblem('--exercise-code joins an exercise run elsewhere: give its training server with --server');
  // Stood still at a placeholder until the training server's hello says where the exercise stands.
  const clock = new ExerciseClock(systemClock.now());
  const scheduler = new ExerciseScheduler(clock);
  clock.onChange(() => scheduler.fireDue());
  return { code: exercise.code, scheduler, exercise: { desk: 'trainee', clock, title: null } };
}

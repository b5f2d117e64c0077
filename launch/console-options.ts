import { hostname } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Name } from '../shared/domain/ids';
import { Instant } from '../shared/domain/time';
import { describeIssues } from '../shared/validation';
import { parseCommandLine, parsePort, UsageError } from '../node-common/args';
import { defaultDataDir } from './data-dir';
import { defaultAreaDir } from '../main/area/open-area';
import { demonstrationForces, type DemonstrationForce } from '../node-common/force-config-file';

export const CONSOLE_USAGE = `usage: npm start -- [options]
  --server URL          the central server (default: start an embedded one, so one command gives a working console);
                        https:// for any server not on this machine; several, comma-separated: instances of one
                        server on one database, the next used when one cannot be reached
  --ca FILE             the force's certificate authority (PEM): an https:// server's certificate must come from it
                        (instead of the system's store of public authorities)
  --insecure-http       allow an http:// server that is not on this machine (refused without this flag)
  --workstation NAME    this workstation's name (default: the machine's name)
  --operator NAME       the name offered on the sign-in screen
  --enrolment-key KEY   the key the central server's administrator gave for enrolling workstations (or
                        CORDON_ENROLMENT_KEY); not needed with the embedded server
  --data-dir DIR        where this workstation keeps its local database (default: the user's data folder)
  --port N              loopback port of the browser host (default 0: any free port)
  --no-open             do not open windows; print the address instead
  --shell SHELL         electron or browser (default: Electron when its binary is present, else the browser host)
  --force CODE          which demonstration force this workstation serves: DMO (the default) or NBR; the embedded
                        server serves both, each force's workstations seeing only its own records
  --force-config FILE   another force's configuration (instead of --force)
  --area DIR            the area to show: map and gazetteer (default: the generated exercise area)
  --calls FILE|demo|none  a call script for the telephony simulator; demo: the demonstration calls of the --force
                        (Saltmere's for DMO, Northbridge's for NBR). Default: demo when the console runs on its own,
                        with the embedded server and the exercise area; otherwise none
  --vehicles simulated|none   simulated vehicle terminals and AVL for the units this workstation deploys (default:
                        simulated when the console runs on its own, as for --calls; otherwise none)
  --vehicle-speed N     simulated vehicles drive N times faster than real (for demonstrations and tests; default 1)
  --clock-start INSTANT for tests and exercises only: the console's clock (and its embedded server's) starts at this
                        instant, with its offset (such as 2026-07-15T13:00:00Z), and runs on from there
  --exercise FILE       run a training exercise: the scenario FILE (docs/exercises.md) on its own training server,
                        embedded here (the trainer's workstation), with its own data under DIR/exercises/; prints
                        the exercise code trainees join with
  --exercise-host ADDR  where the exercise's training server listens for trainees (default 127.0.0.1: this machine
                        only; another address needs --insecure-http, as the exercise is on a closed network)
  --exercise-code CODE  join the exercise at --server as a trainee, with the code the trainer's workstation printed
  --bench-avl           for benchmarks only: every unit of the force reports a position each second, circling its
                        home station (npm run bench -- renderer)`;

export interface ConsoleOptions {
  serverUrl: string | null;
  /** The PEM file of the authority an https:// server's certificate must come from; null: the system's store. */
  caFile: string | null;
  /** Plain HTTP to a server that is not on this machine, allowed only when this says so. */
  insecureHttp: boolean;
  workstation: string;
  operator: string | null;
  enrolmentKey: string | null;
  dataDir: string;
  port: number;
  open: boolean;
  shell: 'electron' | 'browser' | 'auto';
  forceConfigFile: string | undefined;
  areaDir: string;
  /** The simulated calls to play, or null for none. */
  callsFile: string | null;
  /** Whether this workstation's deployments go to simulated vehicles (terminals and AVL). */
  vehicles: 'simulated' | 'none';
  /** How many times faster than real the simulated vehicles drive. */
  vehicleSpeed: number;
  /** Benchmarks only: every unit reports a position each second (main/adapters/avl/bench-avl.ts). */
  benchAvl: boolean;
  /** Tests and exercises only: the instant (ms) the console's clock starts at, instead of the machine's time. */
  clockStart: number | null;
  /** A training exercise to run (the trainer's) or join (a trainee's); see WorkstationSettings.exercise. */
  exercise?: { scenarioFile: string; host?: string } | { code: string };
}

export function parseConsoleOptions(argv: string[]): ConsoleOptions | 'help' {
  const values = parseCommandLine(
    argv,
    {
      server: { type: 'string' },
      ca: { type: 'string' },
      'insecure-http': { type: 'boolean' },
      workstation: { type: 'string' },
      operator: { type: 'string' },
      'enrolment-key': { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'no-open': { type: 'boolean' },
      shell: { type: 'string' },
      'force-config': { type: 'string' },
      force: { type: 'string' },
      area: { type: 'string' },
      calls: { type: 'string' },
      vehicles: { type: 'string' },
      'vehicle-speed': { type: 'string' },
      'bench-avl': { type: 'boolean' },
      'clock-start': { type: 'string' },
      exercise: { type: 'string' },
      'exercise-host': { type: 'string' },
      'exercise-code': { type: 'string' },
      help: { type: 'boolean' },
    },
    CONSOLE_USAGE,
  );
  if (values.help) return 'help';
  const workstation = checkName('--workstation', values.workstation ?? hostname().split('.')[0] ?? 'workstation');
  const operator = values.operator === undefined ? null : checkName('--operator', values.operator);
  if (values.force !== undefined && values['force-config'] !== undefined) throw new UsageError('--force names a demonstration force and --force-config gives a configuration: one or the other');
  const force = values.force === undefined ? null : demonstrationForce(values.force);
  const shell = values.shell ?? 'auto';
  if (shell !== 'electron' && shell !== 'browser' && shell !== 'auto') throw new UsageError(`--shell must be electron or browser, not "${shell}"`);
  let serverUrl: string | null = null;
  if (values.server !== undefined) {
    // Several addresses, comma-separated: instances of one server on one database, moved between when one fails.
    serverUrl = values.server
      .split(',')
      .map((each) => {
        try {
          const url = new URL(each.trim());
          if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
          return url.toString().replace(/\/$/, '');
        } catch {
          throw new UsageError(`--server must be an http:// or https:// address (or several, comma-separated), not "${each}"`);
        }
      })
      .join(',');
  }
  const vehicles = values.vehicles ?? (!values.server && !values.area ? 'simulated' : 'none');
  if (vehicles !== 'simulated' && vehicles !== 'none') throw new UsageError(`--vehicles must be simulated or none, not "${vehicles}"`);
  const vehicleSpeed = Number(values['vehicle-speed'] ?? '1');
  if (!(vehicleSpeed >= 0.1 && vehicleSpeed <= 100)) throw new UsageError(`--vehicle-speed must be a number from 0.1 to 100, not "${values['vehicle-speed']}"`);
  if (values.calls !== undefined && (values.exercise !== undefined || values['exercise-code'] !== undefined)) throw new UsageError("--calls cannot go with an exercise: its calls are its scenario's");
  const exercise = exerciseOf(values.exercise, values['exercise-host'], values['exercise-code'], values.server !== undefined, values['clock-start'] !== undefined);
  // A second demonstration force's workstation keeps its own folder, so both can run on one machine by default.
  const baseDataDir = resolve(values['data-dir'] ?? defaultDataDir(force && force.code !== demonstrationForces()[0]!.code ? `${workstation}-${force.code}` : workstation));
  return {
    clockStart: values['clock-start'] === undefined ? null : parseClockStart(values['clock-start']),
    ...(exercise ? { exercise } : {}),
    vehicles,
    vehicleSpeed,
    benchAvl: values['bench-avl'] ?? false,
    serverUrl,
    caFile: values.ca ? resolve(values.ca) : null,
    insecureHttp: values['insecure-http'] ?? false,
    workstation,
    operator,
    enrolmentKey: values['enrolment-key'] ?? process.env.CORDON_ENROLMENT_KEY ?? null,
    dataDir: exercise ? exerciseDataDir(baseDataDir, exercise, values.server ?? '') : baseDataDir,
    port: parsePort(values.port, 0),
    open: !values['no-open'],
    shell,
    forceConfigFile: values['force-config'] ? resolve(values['force-config']) : force?.configFile,
    areaDir: values.area ? resolve(values.area) : defaultAreaDir(),
    callsFile: callsFileOf(values.calls, force, !values.server && !values.area),
  };
}

/**
 * The call script to play: `none`, a file, or `demo`: the demonstration calls of the workstation's demonstration force
 * (the first's for a force given by --force-config), in its own part of the exercise area. Unsaid: demo when the
 * console runs on its own (`alone`), none against a server, whose force has its own telephony.
 */
function callsFileOf(calls: string | undefined, force: DemonstrationForce | null, alone: boolean): string | null {
  if (calls === 'none') return null;
  if (calls === 'demo' || (calls === undefined && alone)) return (force ?? demonstrationForces()[0]!).callsFile;
  return calls === undefined ? null : resolve(calls);
}

function demonstrationForce(code: string): DemonstrationForce {
  const force = demonstrationForces().find((candidate) => candidate.code === code.toUpperCase());
  if (!force) throw new UsageError(`--force must be one of the demonstration forces, ${demonstrationForces().map((f) => f.code).join(' or ')}, not "${code}" (another force: --force-config FILE)`);
  return force;
}

/** The exercise the options name, checked for the options that cannot go with it. */
function exerciseOf(file: string | undefined, host: string | undefined, code: string | undefined, server: boolean, clockStart: boolean): ConsoleOptions['exercise'] {
  if (file !== undefined && code !== undefined) throw new UsageError('--exercise runs an exercise and --exercise-code joins one: give one of them');
  if (host !== undefined && file === undefined) throw new UsageError('--exercise-host goes with --exercise');
  if ((file !== undefined || code !== undefined) && clockStart) throw new UsageError("--clock-start cannot go with an exercise: the exercise's clock starts at its scenario's startsAt");
  if (file !== undefined) {
    if (server) throw new UsageError('--exercise runs the exercise on its own training server: give no --server (trainees join it with --server and --exercise-code)');
    return { scenarioFile: resolve(file), ...(host !== undefined ? { host } : {}) };
  }
  if (code !== undefined) {
    if (!server) throw new UsageError('--exercise-code joins an exercise: give its training server with --server');
    if (!/^[A-Za-z0-9-]{4,64}$/.test(code)) throw new UsageError(`--exercise-code is letters and digits in threes, such as ABC-DEF-GHJ-KMN, not "${code}"`);
    return { code: code.toUpperCase() };
  }
  return undefined;
}

/**
 * An exercise's own folder, beside the live data and never in it: every run of a scenario starts with fresh files
 * (DIR/exercises/NAME-YYYYMMDD-HHMMSS), and a trainee's workstation keeps one per exercise it joins.
 */
function exerciseDataDir(base: string, exercise: NonNullable<ConsoleOptions['exercise']>, server: string): string {
  if ('scenarioFile' in exercise) {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    return join(base, 'exercises', `${basename(exercise.scenarioFile, extname(exercise.scenarioFile))}-${stamp}`);
  }
  return join(base, 'exercises', `joined-${createHash('sha256').update(`${server}\n${exercise.code}`).digest('hex').slice(0, 12)}`);
}

/** An instant with its offset: a bare "2026-07-15T13:00" would be read in the machine's zone, which is no one's. */
function parseClockStart(value: string): number {
  if (!Instant.or(z.iso.datetime({ offset: true })).safeParse(value).success) {
    throw new UsageError(`--clock-start must be an instant with its offset, such as 2026-07-15T13:00:00Z, not "${value}"`);
  }
  return Date.parse(value);
}

function checkName(option: string, value: string): string {
  const parsed = Name.safeParse(value);
  if (!parsed.success) throw new UsageError(`${option} "${value}": ${describeIssues(parsed.error)}`);
  return parsed.data;
}

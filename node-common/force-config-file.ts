import { readFileSync } from 'node:fs';
import { ForceConfig } from '../shared/domain/force-config';
import { describeIssues, describeStrayFields } from '../shared/validation';
import { assetPath } from './app-paths';
import { StartProblem } from './start-problem';

/** The configuration a fresh install's workstation runs with: the (first) demonstration force shipped in assets/. */
export function defaultForceConfigFile(): string {
  return assetPath('force', 'demo-force.json');
}

/** A demonstration force shipped in assets/: its code, configuration and operators files. */
export interface DemonstrationForce {
  code: string;
  configFile: string;
  operatorsFile: string;
  /** The calls its demonstration workstations play (`--calls demo`, and by default on their own), in its own area. */
  callsFile: string;
}

/**
 * The demonstration forces, which a server given no --force-config serves together on one platform: Demonstration
 * Constabulary (DMO, the first, which a workstation runs as by default) and its neighbour, Northbridge Police (NBR).
 */
export function demonstrationForces(): DemonstrationForce[] {
  return [
    { code: 'DMO', configFile: defaultForceConfigFile(), operatorsFile: assetPath('force', 'demo-operators.json'), callsFile: assetPath('calls', 'saltmere-demo.json') },
    { code: 'NBR', configFile: assetPath('force', 'neighbour-force.json'), operatorsFile: assetPath('force', 'neighbour-operators.json'), callsFile: assetPath('calls', 'northbridge-demo.json') },
  ];
}

/**
 * Reads and checks a force configuration file; a bad one stops start-up with the file and the reason. A field the
 * configuration does not have (a misspelt `defualtGrade`, `attendanceTargetMinute`) is refused too, by its path:
 * read as absent, it would have given a grade or a target its default without a word.
 */
export function loadForceConfig(file: string = defaultForceConfigFile()): ForceConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StartProblem(`cannot read force configuration ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = ForceConfig.safeParse(raw);
  if (!parsed.success) throw new StartProblem(`force configuration ${file} is not valid: ${describeIssues(parsed.error)}`);
  const stray = describeStrayFields(raw, parsed.data);
  if (stray) throw new StartProblem(`force configuration ${file} is not valid: ${stray}`);
  return parsed.data;
}

/** The second demonstration force's configuration (Northbridge Police, north of the border in the exercise area). */
export function neighbourForceConfigFile(): string {
  return assetPath('force', 'neighbour-force.json');
}

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Name } from '../../shared/domain/ids';
import { Role } from '../../shared/domain/operator';
import { describeIssues } from '../../shared/validation';
import { hashPassword } from '../../node-common/passwords';
import { assetPath } from '../../node-common/app-paths';
import { runSystemCommands } from '../commands/system-commands';
import { rulesOfForce, servedForces, type ServerRules } from '../commands/plan-command';
import { ForceCode } from '../../shared/domain/force';
import { StartProblem } from '../../node-common/start-problem';
import type { ServerStorage } from '../storage/storage';

const OperatorsFile = z.object({
  /** The force whose operators these are; may be left out when the server serves one force. */
  force: ForceCode.optional(),
  operators: z.array(
    z.object({
      name: Name,
      displayName: z.string().min(1).max(120),
      roles: z.array(Role).min(1),
      active: z.boolean().default(true),
      /** Their first password, set only while they have none (see below); without one they cannot sign in until given one. */
      password: z.string().min(4).max(200).optional(),
    }),
  ),
});

export function demoOperatorsFile(): string {
  return assetPath('force', 'demo-operators.json');
}

/** The accounts of the second demonstration force (Northbridge Police). */
export function neighbourOperatorsFile(): string {
  return assetPath('force', 'neighbour-operators.json');
}

/**
 * Brings the operators of a file into service: their names and roles as replicated records (through the server's
 * own commands, by the rules of the file's force, so each is an operator of that force), their passwords as hashes
 * the server alone keeps. The file names its force (`"force": "NBR"`); one that names none belongs to the server's
 * only force, and is refused by a server of several. A name already an operator of another force is refused too (the
 * server's own command is refused by the partition, in words), since a name signs in to one force.
 */
export async function loadOperators(file: string, storage: ServerStorage, platform: ServerRules): Promise<{ force: string; operators: number }> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read operators file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = OperatorsFile.safeParse(raw);
  if (!parsed.success) throw new Error(`operators file ${file} is not valid: ${describeIssues(parsed.error)}`);
  const { operators } = parsed.data;
  const served = servedForces(platform).map((config) => config.force.code);
  const force = parsed.data.force ?? (served.length === 1 ? served[0]! : null);
  if (force === null) throw new StartProblem(`operators file ${file} names no force, and this server serves ${served.join(', ')}: add "force": "CODE" to it`);
  const rules = rulesOfForce(platform, force);
  if (!rules) throw new StartProblem(`operators file ${file} is force ${force}'s, which this server does not serve (it serves ${served.join(', ')})`);
  await runSystemCommands(
    storage,
    rules,
    operators.map(({ name, displayName, roles, active }) => ({ name: 'operator.register', args: { name, displayName, roles, active } })),
  );
  // Provisioning: a password in the file is an operator's first, set only while they have none (of this force). After that their
  // password is theirs and their administrator's (set at the console, under the force's password rule), and a
  // restart never puts the file's back. The file's passwords are not held to that rule: a demonstration force's are
  // short on purpose, and a force that provisions from a file chooses its own first passwords.
  for (const { name, password } of operators) {
    if (!password) continue;
    // One set for this force stands; one set for another force (an administrator there claiming the name before
    // this file gave it an account) is not this operator's, and the file's takes its place.
    const stored = await storage.credential(name);
    if (stored && (stored.force === null || stored.force === force)) continue;
    await storage.setCredential(name, await hashPassword(password), [], force);
  }
  return { force, operators: operators.length };
}

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Name } from '../../shared/domain/ids';
import { Role } from '../../shared/domain/operator';
import { describeIssues } from '../../shared/validation';
import { hashPassword } from '../../node-common/passwords';
import { assetPath } from '../../node-common/app-paths';
import { runSystemCommands } from '../commands/system-commands';
import type { ServerRules } from '../commands/plan-command';
import type { ServerStorage } from '../storage/storage';

const OperatorsFile = z.object({
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
 * own commands), their passwords as hashes the server alone keeps.
 */
export async function loadOperators(file: string, storage: ServerStorage, rules: ServerRules): Promise<number> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read operators file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = OperatorsFile.safeParse(raw);
  if (!parsed.success) throw new Error(`operators file ${file} is not valid: ${describeIssues(parsed.error)}`);
  const { operators } = parsed.data;
  await runSystemCommands(
    storage,
    rules,
    operators.map(({ name, displayName, roles, active }) => ({ name: 'operator.register', args: { name, displayName, roles, active } })),
  );
  // Provisioning: a password in the file is an operator's first, set only while they have none. After that their
  // password is theirs and their administrator's (set at the console, under the force's password rule), and a
  // restart never puts the file's back. The file's passwords are not held to that rule: a demonstration force's are
  // short on purpose, and a force that provisions from a file chooses its own first passwords.
  for (const { name, password } of operators) {
    if (!password) continue;
    if (await storage.credential(name)) continue;
    await storage.setCredential(name, await hashPassword(password));
  }
  return operators.length;
}

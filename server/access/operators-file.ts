import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Name } from '../../shared/domain/ids';
import { Role } from '../../shared/domain/operator';
import { describeIssues } from '../../shared/validation';
import { hashPassword, verifyPassword } from '../../node-common/passwords';
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
      /** Optional: an operator without one keeps the password already set (or cannot sign in until given one). */
      password: z.string().min(4).max(200).optional(),
    }),
  ),
});

export function demoOperatorsFile(): string {
  return assetPath('force', 'demo-operators.json');
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
  for (const { name, password } of operators) {
    if (!password) continue;
    const current = await storage.credential(name);
    if (current && (await verifyPassword(password, current))) continue;
    await storage.setCredential(name, await hashPassword(password));
  }
  return operators.length;
}

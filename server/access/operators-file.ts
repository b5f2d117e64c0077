import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Name } from '../../shared/domain/ids';
import { Operator, Role } from '../../shared/domain/operator';
import { hashPassword } from '../../node-common/passwords';
import { assetPath } from '../../node-common/app-paths';
import { runSystemCommands } from '../commands/system-commands';
import { rulesOfForce, servedForces, type ServerRules } from '../commands/plan-command';
import { ForceCode } from '../../shared/domain/force';
import { StartProblem } from '../../node-common/start-problem';
import type { ServerStorage } from '../storage/storage';

const OperatorsFile = z.object({
  /** Words for the file's readers (what these accounts are for); the server reads nothing from them. */
  note: z.string().optional(),
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
    })
    // A misspelt field (`rols`, `pasword`) is refused, never left silently unread: an account seeded without the
    // roles or the password its file meant, with nothing said, is worse than a server that will not start.
    .strict(),
  ),
})
.strict();

export function demoOperatorsFile(): string {
  return assetPath('force', 'demo-operators.json');
}

/** The accounts of the second demonstration force (Northbridge Police). */
export function neighbourOperatorsFile(): string {
  return assetPath('force', 'neighbour-operators.json');
}

/** What a start made of an operators file: its force, how many operators it lists, and the accounts it left as administered, in words. */
export interface OperatorsLoaded {
  force: string;
  operators: number;
  /** Listed accounts the server already held differently from the file, each in words ("dan left as administered: deactivated; roles call_handler"). */
  leftAsAdministered: string[];
}

/**
 * Seeds a force's accounts from a file: an account it names that the server does not hold yet is created, with its
 * roles and first password, as a replicated record (through the server's own commands, by the rules of the file's
 * force, so each is an operator of that force), the password as a hash the server alone keeps. An account the
 * server already holds is its administrator's: the file never changes whether it is active, its roles or its
 * password (a restart must not undo a deactivation, nor give back a role taken away), only its display name,
 * which no console changes. Each listed account held otherwise than the file says is told back in words.
 *
 * The file names its force (`"force": "NBR"`); one that names none belongs to the server's only force, and is
 * refused by a server of several. A name already an operator of another force is refused too (the server's own
 * command is refused by the partition, in words), since a name signs in to one force.
 */
export async function loadOperators(file: string, storage: ServerStorage, platform: ServerRules): Promise<OperatorsLoaded> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read operators file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = OperatorsFile.safeParse(raw);
  if (!parsed.success) throw new Error(`operators file ${file} is not valid (nothing was changed): ${fileIssues(parsed.error, raw)}`);
  const { operators } = parsed.data;
  const served = servedForces(platform).map((config) => config.force.code);
  const force = parsed.data.force ?? (served.length === 1 ? served[0]! : null);
  if (force === null) throw new StartProblem(`operators file ${file} names no force, and this server serves ${served.join(', ')}: add "force": "CODE" to it`);
  const rules = rulesOfForce(platform, force);
  if (!rules) throw new StartProblem(`operators file ${file} is force ${force}'s, which this server does not serve (it serves ${served.join(', ')})`);
  const registrations: { name: string; args: unknown }[] = [];
  const leftAsAdministered: string[] = [];
  for (const { name, displayName, roles, active } of operators) {
    const held = Operator.safeParse(await storage.record({ kind: 'operator', id: name }));
    // Another force's account of that name is left to the partition, which refuses the registration in words.
    if (!held.success || held.data.force !== force) {
      registrations.push({ name: 'operator.register', args: { name, displayName, roles, active } });
      continue;
    }
    const account = held.data;
    if (account.active !== active || account.roles.join() !== roles.join()) leftAsAdministered.push(administeredWords(account));
    if (account.displayName !== displayName) {
      registrations.push({ name: 'operator.register', args: { name, displayName, roles: account.roles, active: account.active } });
    }
  }
  await runSystemCommands(storage, rules, registrations);
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
  return { force, operators: operators.length, leftAsAdministered };
}

/**
 * What is wrong with the file, each problem where it is: an operator's entry by its place in the list and its name
 * ("operators entry 3 (erin): unknown field 'rols'"), the rest by the field's path.
 */
function fileIssues(error: z.ZodError, raw: unknown): string {
  const entries = (raw as { operators?: unknown } | null)?.operators;
  return error.issues
    .map((issue) => {
      const [top, index, ...rest] = issue.path;
      const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => `'${key}'`).join(', ')} (the fields are ${FIELDS_OF[rest.length === 0 && top === 'operators' ? 'operator' : 'file']})` : issue.message;
      if (top !== 'operators' || typeof index !== 'number') return issue.path.length ? `${issue.path.map(String).join('.')}: ${message}` : message;
      const entry = Array.isArray(entries) ? (entries[index] as { name?: unknown } | undefined) : undefined;
      const named = typeof entry?.name === 'string' ? ` (${entry.name})` : '';
      return `operators entry ${index + 1}${named}${rest.length ? `, ${rest.map(String).join('.')}` : ''}: ${message}`;
    })
    .join('; ');
}

/** The fields a file and an operator's entry may have, for the refusal of one it does not know. */
const FIELDS_OF = { file: 'note, force, operators', operator: 'name, displayName, roles, active, password' } as const;

/** A held account as its administrator left it: "dan left as administered: deactivated; roles call_handler". */
function administeredWords(account: Operator): string {
  return `${account.id} left as administered: ${account.active ? 'active' : 'deactivated'}; roles ${account.roles.join(', ')}`;
}

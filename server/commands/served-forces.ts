import { servedForces, type ServerRules } from './plan-command';
import { commonPriorityIn } from '../../shared/domain/common-priority';
import { findIncidentType } from '../../shared/domain/force-config';
import type { CutNames } from '../../shared/domain/command-policy';

/**
 * The argument naming another force, by command: the force an incident is shared with or arranged to be, a unit is
 * asked of, an incident is offered to. Commands name forces by code, which the workstation takes from its own
 * configuration; only the server knows which forces it serves.
 */
const FORCE_ARGUMENTS: Readonly<Record<string, string>> = {
  'share.create': 'sharedWith',
  'arrangement.propose': 'sharedWith',
  'loan.request': 'lender',
  'transfer.offer': 'to',
};

/**
 * Why a command that names another force cannot be done on this server, or null: the force named is not one it
 * serves (a share, an arrangement, a request or an offer to it would go nowhere, and a disclosure to a recipient
 * that does not exist would be logged). `args` as sent, before the command's own checks.
 */
export function unservedForceProblem(command: string, args: unknown, rules: ServerRules): string | null {
  const field = FORCE_ARGUMENTS[command];
  const named = field && args !== null && typeof args === 'object' ? (args as Record<string, unknown>)[field] : undefined;
  if (typeof named !== 'string') return null;
  const served = servedForces(rules).map((config) => config.force.code);
  if (served.includes(named)) return null;
  return `force ${named} is not one this server serves (it serves ${served.join(' and ')}): nothing was done`;
}

const cutNames = new WeakMap<ServerRules, CutNames>();

/**
 * What a share's cut of an incident carries in place of its owner's grade and type code (shared/domain/share-cut.ts):
 * the common priority of the grade and the owning force's name for the type, from the configurations of the forces
 * this server serves (the holder's own knows only its own). Null for a force or code none of them knows. Worked out
 * once per rules.
 */
export function cutNamesOf(rules: ServerRules): CutNames {
  let names = cutNames.get(rules);
  if (!names) {
    const configs = servedForces(rules);
    names = {
      commonPriorityOf: (force, grade) => commonPriorityIn(configs, force, grade),
      typeNameOf: (force, type) => {
        const config = configs.find((c) => c.force.code === force);
        return (config && findIncidentType(config, type)?.name) ?? null;
      },
    };
    cutNames.set(rules, names);
  }
  return names;
}

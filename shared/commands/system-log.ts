import type { LogEntry } from '../domain/incident';
import type { ApplyContext } from './types';

/**
 * A line the system writes in an incident's log for an action, in the name of whoever took it, when they took it: an
 * operator, or a unit's terminal (then marked as relayed, through the workstation named). `owner`: the incident's
 * force, where the action is another force's (assisting through a share): the line is the owner's, marked whose it was.
 */
export function systemEntry(ctx: ApplyContext, id: string, incidentId: string, text: string, owner: string = ctx.config.force.code): LogEntry {
  const own = ctx.config.force.code;
  return {
    id,
    force: owner,
    incidentId,
    kind: 'system',
    text,
    author: ctx.actor.operator,
    workstation: ctx.actor.workstation,
    at: ctx.issuedAt,
    ...(ctx.relay ? { relay: ctx.relay } : {}),
    ...(owner !== own ? { byForce: own } : {}),
  };
}

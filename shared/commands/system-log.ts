import type { LogEntry } from '../domain/incident';
import type { ApplyContext } from './types';

/**
 * A line the system writes in an incident's log for an action, in the name of whoever took it, when they took it: an
 * operator, or a unit's terminal (then marked as relayed, through the workstation named).
 */
export function systemEntry(ctx: ApplyContext, id: string, incidentId: string, text: string): LogEntry {
  return { id, force: ctx.config.force.code, incidentId, kind: 'system', text, author: ctx.actor.operator, workstation: ctx.actor.workstation, at: ctx.issuedAt, ...(ctx.relay ? { relay: ctx.relay } : {}) };
}

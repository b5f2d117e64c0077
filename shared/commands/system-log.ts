import type { LogEntry } from '../domain/incident';
import type { ApplyContext } from './types';

/** A line the system writes in an incident's log for an action, in the name of whoever took it, when they took it. */
export function systemEntry(ctx: ApplyContext, id: string, incidentId: string, text: string): LogEntry {
  return { id, incidentId, kind: 'system', text, author: ctx.actor.operator, workstation: ctx.actor.workstation, at: ctx.issuedAt };
}

import type { LogEntry } from '../domain/incident';
import type { ApplyContext } from './types';
import { SYSTEM_AUTHOR } from '../domain/automatic';

/**
 * A system line that carries what another force assisting through a share is not given (the caller's number or name,
 * their account of what happened, THRIVE answers): its words, and the same line without them (`shared`), which is
 * what that force reads (shared/domain/share-cut.ts logEntryCut).
 */
export interface LineWithCallerData {
  text: string;
  shared: string;
}

/**
 * A line the system writes in an incident's log for an action, in the name of whoever took it, when they took it: an
 * operator, or a unit's terminal (then marked as relayed, through the workstation named), or the system for a command
 * the workstation made on its own (ctx.automatic: named `system`, with who was signed in). `owner`: the incident's
 * force, where the action is another force's (assisting through a share): the line is the owner's, marked whose it was.
 * `line`: the words, which another force assisting reads as they are; or, for a line that carries the caller's
 * details or THRIVE answers, the words and the words another force reads instead (LineWithCallerData).
 */
export function systemEntry(ctx: ApplyContext, id: string, incidentId: string, line: string | LineWithCallerData, owner: string = ctx.config.force.code): LogEntry {
  const own = ctx.config.force.code;
  return {
    id,
    force: owner,
    incidentId,
    kind: 'system',
    text: typeof line === 'string' ? line : line.text,
    ...(ctx.automatic ? { author: SYSTEM_AUTHOR, signedIn: ctx.actor.operator } : { author: ctx.actor.operator }),
    workstation: ctx.actor.workstation,
    at: ctx.issuedAt,
    ...(ctx.relay ? { relay: ctx.relay } : {}),
    ...(owner !== own ? { byForce: own } : {}),
    sharedText: typeof line === 'string' ? null : line.shared,
  };
}

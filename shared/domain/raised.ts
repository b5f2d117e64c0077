import { z } from 'zod';
import { Name, Uuid } from './ids';
import { Instant } from './time';

/**
 * An alarm or a prompt raised once for the whole room: which workstation raised it (claimed it), and when. A
 * deadline (a deployment with no receipt, a reservation's time, a shift's end) falls due on every workstation's
 * clock at once; each may claim it with a command, and the server keeps the first claim it applies, so the alarm
 * sounds at one desk and not at all of them.
 */
export const Raised = z.object({ at: Instant, workstation: Name, clientId: Uuid });
export type Raised = z.infer<typeof Raised>;

/** The claim a command makes in the name of the workstation that issued it, at the time it was issued. */
export function raisedBy(ctx: { issuedAt: string; actor: { workstation: string; clientId: string } }): Raised {
  return { at: ctx.issuedAt, workstation: ctx.actor.workstation, clientId: ctx.actor.clientId };
}

/**
 * Whether an alarm or prompt is this workstation's to show: it raised it, and the server has confirmed that its
 * claim was the one kept (the record carries no effect of this workstation's that the server has yet to confirm).
 * While the workstation cannot reach the server, its own claim shows at once: two desks cut off from each other may
 * both sound, which is better than neither.
 *
 * `pending`: the record carries an effect the server has not confirmed. `online`: the workstation is in step with
 * the server.
 */
export function raisedHere(raised: Raised | null | undefined, pending: boolean, here: { clientId: string; online: boolean }): boolean {
  if (!raised || raised.clientId !== here.clientId) return false;
  return !pending || !here.online;
}

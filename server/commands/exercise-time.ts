import type { CommandEnvelope } from '../../shared/sync/protocol';
import type { ServerRules } from './plan-command';

/**
 * A command as a server judges its time: never after the server's own now. A desk's clock can run ahead (set wrong,
 * or a trainee's desk that ran on through an exercise pause it could not hear, cut off or with the system down), and
 * its commands then say times nobody else has reached. Such a command is taken at the server's now, so no record
 * (an incident's call time and attendance clock, a log line, a deployment's clear, a loan's end, a share, what the
 * trainer's desk says a trainee is doing) stands in the future of every other desk, and no other force's record is
 * checked against a time still to come (issue 12: a fast desk's take-back ended a loan half an hour ahead while the
 * lender redeployed the unit). The desk's own time is kept beside it (`deskIssuedAt`) for a refusal's reason.
 *
 * A time behind the server's is kept: it is what a command queued offline honestly carries (the incident was created,
 * the unit booked at scene, when the desk says), and a server cannot tell it from a desk clock running slow; the
 * records such a time could put out of order are held to what they follow by the rules themselves (notBefore in
 * shared/commands/types.ts: a deployment not before its unit's loan began, a status not before the deployment's last).
 * The server's own (trusted) commands keep the time given (an exercise's starting state is dated by its script).
 *
 * Returns the envelope to plan with (the same one when nothing is judged); the command log keeps the one sent, which
 * a resend is compared with.
 */
export function onServerTime(envelope: CommandEnvelope, rules: Pick<ServerRules, 'now'>, trusted = false): { envelope: CommandEnvelope; deskIssuedAt?: string } {
  if (trusted) return { envelope };
  const now = rules.now();
  if (!(Date.parse(envelope.issuedAt) > now)) return { envelope };
  return { envelope: { ...envelope, issuedAt: new Date(now).toISOString() }, deskIssuedAt: envelope.issuedAt };
}

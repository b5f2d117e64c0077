import type { CommandEnvelope } from '../../shared/sync/protocol';
import type { ServerRules } from './plan-command';

/**
 * A command as a server judges its time. On a training server the exercise clock is the exercise's time, and a
 * trainee's desk only follows it: a desk that could not hear a pause (cut off, the system down) runs on ahead of it
 * until it hears the server again, and its commands say times the exercise has not reached. Such a command is taken
 * at the server's now, so no record (an incident's call time and attendance clock, a log line, a share, what the
 * trainer's desk says a trainee is doing) stands in the exercise's future; the desk's own time is kept beside it
 * (`deskIssuedAt`) for a refusal's reason. A live server, and the server's own (trusted) commands, keep the time given.
 *
 * Returns the envelope to plan with (the same one when nothing is judged); the command log keeps the one sent, which
 * a resend is compared with.
 */
export function onServerTime(envelope: CommandEnvelope, rules: Pick<ServerRules, 'training' | 'now'>, trusted = false): { envelope: CommandEnvelope; deskIssuedAt?: string } {
  if (!rules.training || trusted) return { envelope };
  const now = rules.now();
  if (!(Date.parse(envelope.issuedAt) > now)) return { envelope };
  return { envelope: { ...envelope, issuedAt: new Date(now).toISOString() }, deskIssuedAt: envelope.issuedAt };
}

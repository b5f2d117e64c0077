import { z } from 'zod';

/**
 * A command a workstation passes on for something that is not its operator: a unit's vehicle terminal (the crew's
 * receipts, status presses and booking on, off or unavailable for a vehicle defect), or the telephony switch (a call ringing at this position, its
 * handset's location, the caller hanging up before it was answered). The workstation relays it under its own
 * enrolment (its device token), not under a sign-in ticket, so whoever is signed in there (a call handler, a
 * dispatcher, nobody) is not credited with it: the record names the terminal or the switch as its author, and the
 * relaying workstation.
 */
export const Relay = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('terminal'),
    /** The unit whose terminal spoke (its id, which is its call sign). */
    unitId: z.string().min(1).max(16),
  }),
  z.object({ kind: z.literal('telephony') }),
]);
export type Relay = z.infer<typeof Relay>;

/**
 * The name a relayed command carries as its operator, in the log, the audit log and the records it writes
 * ("terminal DM-11"): stable for the unit, and what a reader of the audit log searches for.
 */
export function relayAuthor(relay: Relay): string {
  return relay.kind === 'terminal' ? `terminal ${relay.unitId}` : 'telephony';
}

/**
 * Whether a name is one a relay or the system writes as its author ("telephony", "terminal …", "system"): no operator
 * may hold it, or the log and the audit log could not tell a person's act from a terminal's, the switch's or the
 * system's own.
 */
export function isRelayAuthorName(name: string): boolean {
  return /^(telephony|system|terminal( .*)?)$/i.test(name.trim());
}

/**
 * Who a log line or record names as its author, with where it came from, in the words a reader expects. `signedIn`:
 * for a line the workstation wrote on its own (author `system`), who was signed in there, named as such and no more.
 */
export function describeAuthor(author: string, workstation: string, relayed: Relay | null | undefined, signedIn?: string): string {
  if (signedIn !== undefined) return `${author} (automatically at ${workstation}, while ${signedIn} was signed in)`;
  if (!relayed) return `${author} (${workstation})`;
  return relayed.kind === 'terminal' ? `${relayed.unitId} (terminal, via ${workstation})` : `telephony (via ${workstation})`;
}

type Check = (args: Record<string, unknown>) => string | null;

/**
 * What a unit's terminal may say, and nothing else: an explicit allowlist, each entry checking that the command is
 * about the relaying unit itself. A receipt or a status press for one of the unit's own deployments (the rules check
 * that the deployment is that unit's), the crew booking the unit on or off. The statuses and duties are those a
 * terminal sends (main/adapters/terminal/terminal-adapter.ts): widening them is a decision, made here.
 */
const TERMINAL_COMMANDS: Record<string, Check> = {
  'assignment.receipt': () => null,
  'assignment.setStatus': (args) => (args.status === 'en_route' || args.status === 'at_scene' ? null : `a terminal may book its unit en route or at scene, not ${String(args.status)}`),
  'unit.setDuty': (args) =>
    args.via !== 'terminal'
      ? 'a booking relayed from a terminal must say it came from the terminal'
      : args.duty === 'on_duty' || args.duty === 'off_duty' || args.duty === 'unavailable'
        ? null
        : `a terminal may book its unit on or off duty or unavailable, not ${String(args.duty)}`,
};

/**
 * What the telephony switch may report, and nothing else: a call ringing, its handset's location, the caller hanging
 * up before it was answered (main/adapters/telephony/telephony-adapter.ts). Answering, ending an answered call and
 * disposing of it are the call handler's, under her own sign-in.
 */
const TELEPHONY_COMMANDS: Record<string, Check> = {
  'contact.receive': () => null,
  'contact.locate': () => null,
  'contact.end': (args) => (args.outcome === 'abandoned' ? null : `the telephony switch may end a call only as abandoned, not ${String(args.outcome)}: that is the call handler's`),
};

/** The commands each kind of relay may become, by name. */
export const relayedCommandNames: Record<Relay['kind'], readonly string[]> = { terminal: Object.keys(TERMINAL_COMMANDS), telephony: Object.keys(TELEPHONY_COMMANDS) };

/** What a relay's source is called in a refusal's words. */
function source(relay: Relay): string {
  return relay.kind === 'terminal' ? `${relay.unitId}'s terminal` : 'the telephony switch';
}

/**
 * Why a relayed command may not be taken, in words; null when it may. `args` are the command's parsed arguments;
 * `offeredTo` says which workstation a call was offered to (undefined: no such call yet). The command must be on its
 * relay's allowlist, carry the relay's own name as its author, and redo nothing (handling a refusal is an operator's
 * decision); a terminal's must name the relaying unit, and the switch may report only on calls offered to the
 * workstation relaying it. Checked by the same rules on the workstation (which then records nothing) and on the
 * server (which refuses it, with this reason).
 */
export function relayRefusal(
  relay: Relay,
  command: { name: string; args: unknown; operator: string; workstation: string; redoes: boolean },
  offeredTo: (contactId: string) => string | undefined,
): string | null {
  const check = (relay.kind === 'terminal' ? TERMINAL_COMMANDS : TELEPHONY_COMMANDS)[command.name];
  const what = relay.kind === 'terminal' ? 'a receipt, a status press or a booking on or off' : 'a call ringing, its location or its abandonment';
  if (!check) return `a message relayed from ${source(relay)} cannot ${command.name}: only ${what}`;
  const args = (command.args ?? {}) as Record<string, unknown>;
  if (relay.kind === 'terminal' && args.unitId !== relay.unitId) return `a message relayed from ${relay.unitId}'s terminal may only be about ${relay.unitId}, not ${String(args.unitId)}`;
  if (command.operator !== relayAuthor(relay)) return `a message relayed from ${source(relay)} must be in its name (${relayAuthor(relay)}), not ${command.operator}'s`;
  if (command.redoes) return `a message relayed from ${source(relay)} cannot redo a refused command`;
  if (relay.kind === 'telephony' && command.name !== 'contact.receive') {
    const offered = offeredTo(String(args.contactId));
    if (offered !== undefined && offered !== command.workstation) return `the call was offered to ${offered}, not to ${command.workstation}: only its own position reports on it`;
  }
  return check(args);
}

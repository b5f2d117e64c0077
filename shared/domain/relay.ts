import { z } from 'zod';

/**
 * A command a workstation passes on for something that is not its operator: a unit's vehicle terminal (the crew's
 * receipts, status presses and booking on or off). The workstation relays it under its own enrolment (its device
 * token), not under a sign-in ticket, so whoever is signed in there (a call handler, a dispatcher, nobody) is neither
 * needed for it nor credited with it: the record names the terminal as its author, and the relaying workstation.
 */
export const Relay = z.object({
  kind: z.literal('terminal'),
  /** The unit whose terminal spoke (its id, which is its call sign). */
  unitId: z.string().min(1).max(16),
});
export type Relay = z.infer<typeof Relay>;

/**
 * The name a relayed command carries as its operator, in the log, the audit log and the records it writes
 * ("terminal DM-11"): stable for the unit, and what a reader of the audit log searches for.
 */
export function relayAuthor(relay: Relay): string {
  return `terminal ${relay.unitId}`;
}

/** Who a log line or record names as its author, with where it came from, in the words a reader expects. */
export function describeAuthor(author: string, workstation: string, relayed: Relay | null | undefined): string {
  return relayed ? `${relayed.unitId} (terminal, via ${workstation})` : `${author} (${workstation})`;
}

/**
 * What a unit's terminal may say, and nothing else: an explicit allowlist, each entry checking that the command is
 * about the relaying unit itself. A receipt or a status press for one of the unit's own deployments (the rules check
 * that the deployment is that unit's), the crew booking the unit on or off. The statuses and duties are those a
 * terminal sends (main/adapters/terminal/terminal-adapter.ts): widening them is a decision, made here.
 */
const TERMINAL_COMMANDS: Record<string, (args: Record<string, unknown>) => string | null> = {
  'assignment.receipt': () => null,
  'assignment.setStatus': (args) => (args.status === 'en_route' || args.status === 'at_scene' ? null : `a terminal may book its unit en route or at scene, not ${String(args.status)}`),
  'unit.setDuty': (args) =>
    args.via !== 'terminal'
      ? 'a booking relayed from a terminal must say it came from the terminal'
      : args.duty === 'on_duty' || args.duty === 'off_duty'
        ? null
        : `a terminal may book its unit on or off duty, not ${String(args.duty)}`,
};

/** The commands a terminal's message may become, by name. */
export const terminalCommandNames: readonly string[] = Object.keys(TERMINAL_COMMANDS);

/**
 * Why a relayed command may not be taken, in words; null when it may. `args` are the command's parsed arguments.
 * The command must be on the terminal allowlist, name the relaying unit, carry the terminal's own name as its
 * author, and redo nothing (handling a refusal is an operator's decision). Checked by the same rules on the
 * workstation (which then records nothing) and on the server (which refuses it, with this reason).
 */
export function relayRefusal(relay: Relay, command: { name: string; args: unknown; operator: string; redoes: boolean }): string | null {
  const check = TERMINAL_COMMANDS[command.name];
  if (!check) return `a message relayed from ${relay.unitId}'s terminal cannot ${command.name}: only a receipt, a status press or a booking on or off`;
  const args = (command.args ?? {}) as Record<string, unknown>;
  if (args.unitId !== relay.unitId) return `a message relayed from ${relay.unitId}'s terminal may only be about ${relay.unitId}, not ${String(args.unitId)}`;
  if (command.operator !== relayAuthor(relay)) return `a message relayed from ${relay.unitId}'s terminal must be in its name (${relayAuthor(relay)}), not ${command.operator}'s`;
  if (command.redoes) return 'a message relayed from a terminal cannot redo a refused command';
  return check(args);
}

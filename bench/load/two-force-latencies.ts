import type { Confirmation, Observations } from '../fleet/fleet-protocol';

/** One command the combined-peak suite timed: its confirmation, the force that issued it, and whether its incident is shared. */
export interface ForceConfirmation extends Confirmation {
  force: string;
  /** The incident is shared with the other force at a tier that carries its log: that force's workstations receive it too. */
  shared: boolean;
}

/** Confirmed-to-visible of one force's commands: at its own other workstations, and (shared incidents) at the other force's. */
export interface ForceLatencies {
  sameForce: number[];
  otherForce: number[];
  /** (command, workstation) pairs that should have received the command and had not when observation ended. */
  missing: number;
}

/**
 * Splits each command's confirmed-to-visible times (ms) by who saw it: a workstation of the issuing force, or of the
 * other force (only for commands on a shared incident). `observed[p]` is what fleet process `p` saw (each
 * workstation's first sight, on that process's clock), `forceOf[p]` its force and `offsets[p]` how far its clock is
 * ahead of ours; `issuerProcess(c)` is the process that confirmed `c`, whose offset its confirmation is moved by.
 * `workstations` counts each force's workstations, for what is missing. Keyed by the issuing force.
 */
export function twoForceLatencies(
  confirmations: readonly ForceConfirmation[],
  observed: readonly Observations[],
  forceOf: readonly string[],
  offsets: readonly number[],
  issuerProcess: (c: ForceConfirmation) => number,
  workstations: Readonly<Record<string, number>>,
): Record<string, ForceLatencies> {
  const out: Record<string, ForceLatencies> = {};
  for (const c of confirmations) {
    const mine = (out[c.force] ??= { sameForce: [], otherForce: [], missing: 0 });
    const confirmedAt = c.confirmedAt - offsets[issuerProcess(c)]!;
    let same = 0;
    let other = 0;
    observed.forEach((observations, p) => {
      for (const [, at] of observations[c.entryId] ?? []) {
        const latency = at - offsets[p]! - confirmedAt;
        if (forceOf[p] === c.force) {
          mine.sameForce.push(latency);
          same += 1;
        } else if (c.shared) {
          mine.otherForce.push(latency);
          other += 1;
        }
      }
    });
    const others = Object.entries(workstations).filter(([force]) => force !== c.force).reduce((sum, [, n]) => sum + n, 0);
    mine.missing += (workstations[c.force] ?? 0) - 1 - same + (c.shared ? others - other : 0);
  }
  return out;
}

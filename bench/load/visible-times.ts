/**
 * Command-confirmed-to-visible, from what the load clients recorded: when each command's push was acknowledged
 * (its seq: the server's head once it was applied), and when each workstation's pull cursor moved. A workstation has
 * a command once its cursor reaches the command's seq. Pure, so it is tested apart from any timing.
 */

export interface AcknowledgedCommand {
  /** The server's sequence once the command was applied (the outcome's `seq`). */
  seq: number;
  /** When the issuing workstation had the push's answer (ms, on the client process's clock). */
  acknowledgedAt: number;
  /** The issuing workstation (its index); it is not waited for. */
  issuer: number;
}

/** One workstation's cursor moves: [cursor after a pull page, ms when the page arrived], cursors ascending. */
export type CursorMoves = readonly (readonly [number, number])[];

export interface VisibleTimes {
  /** For each (command, other workstation) pair seen: ms from acknowledgement to that workstation's pull (0 if before). */
  pairs: number[];
  /**
   * For each command: ms until the last other workstation had it; Infinity for one some workstation never had, so
   * that a percentile over it is not flattered by leaving the slowest out.
   */
  everywhere: number[];
  /** (command, workstation) pairs never seen. */
  missing: number;
}

/**
 * Matches commands to cursor moves. `moves[w]` are workstation w's; each command is looked for at every workstation
 * but its issuer. A workstation that pulled the change before the issuer heard back counts as 0 ms.
 */
export function visibleTimes(commands: readonly AcknowledgedCommand[], moves: readonly CursorMoves[]): VisibleTimes {
  const bySeq = [...commands].sort((a, b) => a.seq - b.seq);
  const last = new Array<number>(bySeq.length).fill(0);
  const seenBy = new Array<number>(bySeq.length).fill(0);
  const pairs: number[] = [];
  moves.forEach((own, w) => {
    let m = 0;
    bySeq.forEach((command, c) => {
      if (command.issuer === w) return;
      while (m < own.length && own[m]![0] < command.seq) m += 1;
      const move = own[m];
      if (!move) return;
      const latency = Math.max(0, move[1] - command.acknowledgedAt);
      pairs.push(latency);
      last[c] = Math.max(last[c]!, latency);
      seenBy[c] = seenBy[c]! + 1;
    });
  });
  const everywhere: number[] = [];
  let missing = 0;
  bySeq.forEach((command, c) => {
    const expected = moves.length - (command.issuer >= 0 && command.issuer < moves.length ? 1 : 0);
    missing += expected - seenBy[c]!;
    everywhere.push(seenBy[c] === expected ? last[c]! : Number.POSITIVE_INFINITY);
  });
  return { pairs, everywhere, missing };
}

/**
 * The server-load benchmark's figures for what a command costs the server's core, and the step they are judged at.
 * Pure: the suite measures the steps and hands them here.
 */
import { judged, type BenchFigure } from '../bench-types';
import { round } from '../support/cpu-time';

/** What one measured step says of the server's CPU: the rate it ran at, and the CPU (server and database) a command took. */
export interface StepCost {
  /** Commands per second the step asked for. */
  ratePerSecond: number;
  /** Server CPU (its Node process and, on PostgreSQL, the database cluster's processes) per command, ms. */
  cpuMsPerCommand: number;
}

/**
 * The CPU figures of one room size: "server CPU per command" and "commands/s one core could carry at that cost", each
 * judged against one core carrying the bursts (`burstPerSecond` commands/s: a second of CPU shared by that many).
 *
 * Judged where the limit speaks of: at the burst, when one was run (400 workstations), else at the sustained step. A
 * command's cost falls as the rate rises, because part of what the server spends in a second does not grow with the
 * commands: the idle room's pings and pulls, and the batches to every live channel, which are paced to a share of
 * the core's time (server/live-hub.ts), so that at a low rate each carries a command or two and at the burst many.
 * Judged at a low sustained rate it overstates the cost at the burst: PostgreSQL at 400 workstations cost 8.4 ms a
 * command at 70.7/s (so "118/s a core could carry") in the same run that carried 168/s for a minute at 4.7 ms. The
 * cost at the sustained rate is still reported beside, unjudged, when the burst is what is judged.
 *
 * `where` names the storage and room ("PostgreSQL, 400 workstations, …"); `suite` is the benchmark's name.
 */
export function coreCostFigures(suite: string, where: string, sustained: StepCost, burst: StepCost | null, burstPerSecond: number): BenchFigure[] {
  const judgedAt = burst ?? sustained;
  const at = (step: StepCost) => `at ${step.ratePerSecond} commands/s`;
  const figures: BenchFigure[] = [
    judged({
      suite,
      // Less swayed by other work on the machine than the latency: what the CPU cost alone allows.
      name: `commands/s one server core could carry at the CPU cost measured ${at(judgedAt)} (${where})`,
      value: round(1000 / judgedAt.cpuMsPerCommand, 1),
      unit: 'commands/s',
      limit: { value: burstPerSecond, unit: 'commands/s', better: 'higher' },
    }),
    judged({
      suite,
      name: `server CPU per command ${at(judgedAt)} (${where})`,
      value: judgedAt.cpuMsPerCommand,
      unit: 'ms',
      limit: { value: round(1000 / burstPerSecond, 2), unit: 'ms', better: 'lower' },
    }),
  ];
  if (judgedAt !== sustained) {
    figures.push({
      suite,
      name: `server CPU per command ${at(sustained)}, the sustained rate (${where})`,
      value: sustained.cpuMsPerCommand,
      unit: 'ms',
      detail: { judgedAt: `${burstPerSecond} commands/s, the burst: at a lower rate a command carries more of what the server spends whatever the rate` },
    });
  }
  return figures;
}

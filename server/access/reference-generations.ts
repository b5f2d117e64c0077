import { provisionalPrefix } from '../../shared/domain/reference';

/**
 * The server's side of provisional references (shared/domain/reference.ts): each enrolment of a workstation name
 * gets the next generation of that name, so a workstation rebuilt with a fresh data file never mints a reference
 * its earlier self gave. Counted per prefix, in the counters table, in the enrolment's own transaction.
 */
export function generationCounter(workstation: string): string {
  return `reference-generation:${provisionalPrefix(workstation)}`;
}

/**
 * The counter's value before this enrolment when it has none yet: 1 if another data file was enrolled under the
 * same prefix before the server counted generations (it minted the first generation's plain references), else 0.
 */
export function generationsBeforeCounting(workstation: string, otherEnrolledWorkstations: readonly string[]): number {
  const prefix = provisionalPrefix(workstation);
  return otherEnrolledWorkstations.some((other) => provisionalPrefix(other) === prefix) ? 1 : 0;
}

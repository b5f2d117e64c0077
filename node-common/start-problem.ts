import { UsageError } from './args';

/**
 * A reason a program cannot start that the person starting it can put right (a force configuration that is not
 * valid, a missing area): said in one line, without a stack trace, which would bury it.
 */
export class StartProblem extends Error {
  override name = 'StartProblem';
}

/**
 * Ends a program that failed to start: a usage error or a StartProblem as its message alone (exit code 2 for usage,
 * 1 otherwise), anything else, a fault of ours, with its stack for the report.
 */
export function exitWithError(error: unknown): never {
  const plain = error instanceof UsageError || error instanceof StartProblem;
  console.error(plain ? (error as Error).message : `cordon: ${(error as Error).stack ?? String(error)}`);
  process.exit(error instanceof UsageError ? 2 : 1);
}

/**
 * The database behind the server cannot be reached, or could not finish the work for now (a broken connection, a
 * restart, contention that outlasted the retries). The server answers 503, so the workstation keeps the commands and
 * sends them again later. That is safe even when the connection broke during a commit: a command already applied is
 * answered from the command log, not applied twice.
 */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

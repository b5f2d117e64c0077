import { closeSync, mkdirSync, openSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DestinationStream } from 'pino';

/** Log bytes held in memory while the destination refuses them; lines beyond are dropped, and counted. */
const HELD_BYTES = 4 * 1024 * 1024;
/** How soon a refused write is tried again when no new line comes to try it. */
const RETRY_MS = 2000;

export interface LogDestinationOptions {
  /** Where trouble with the destination is reported, once per episode (default: stderr). */
  report?: (line: string) => void;
}

export interface LogDestination extends DestinationStream {
  /** Calls back once everything held is written, or at once if the destination is refusing writes. */
  flush(callback?: (error?: Error) => void): void;
  /** One last synchronous attempt to write what is held; never throws, never waits. */
  flushSync(): void;
  /** Flushes once (synchronously) and closes a file this destination opened. */
  end(): void;
}

/**
 * A pino destination (a file, or a file descriptor such as stdout) that never takes the process down. pino's own
 * (sonic-boom 4) emits an unhandled 'error' on the first write the disk refuses (ENOSPC on a full disk, EIO on a
 * failing one), and its exit hook then retries the refused write synchronously for ever: a full disk under the
 * log folder killed or hung the whole workstation. Here a refused write is reported once, lines are held (up to
 * 4 MiB, the rest dropped and counted) and written, in order, when the destination takes them again; the recovery
 * is reported too. Writes are asynchronous, one at a time, so lines keep their order.
 *
 * @param dest a file path (its folder is created; the file is appended to) or an open file descriptor (1: stdout)
 */
export function logDestination(dest: string | number, options: LogDestinationOptions = {}): LogDestination {
  const report = options.report ?? ((line: string) => void process.stderr.write(`${line}\n`, () => undefined));
  const name = typeof dest === 'number' ? `file descriptor ${dest}` : dest;
  let fd: number | null = typeof dest === 'number' ? dest : null;
  /** Lines waiting to be written, oldest first, and the chunk being written now (counted in heldBytes too). */
  let queue: Buffer[] = [];
  let inFlight: Buffer | null = null;
  let heldBytes = 0;
  let failing: string | null = null;
  let dropped = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let waiters: ((error?: Error) => void)[] = [];

  const fail = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    if (!failing) report(`cordon: the log ${name} cannot be written (${code}); holding up to ${HELD_BYTES / 1024 / 1024} MiB of log lines until it can`);
    failing = code;
    for (const waiter of waiters.splice(0)) waiter(error as Error);
    retry ??= setTimeout(() => {
      retry = null;
      pump();
    }, RETRY_MS).unref();
  };
  const recovered = () => {
    if (!failing) return;
    report(`cordon: the log ${name} is being written again after ${failing}${dropped ? `; ${dropped} log lines were dropped meanwhile` : ''}`);
    failing = null;
    dropped = 0;
  };
  const open = (): boolean => {
    if (fd !== null) return true;
    try {
      mkdirSync(dirname(dest as string), { recursive: true });
      fd = openSync(dest as string, 'a', 0o600); // what operators did: for this account alone
      return true;
    } catch (error) {
      fail(error);
      return false;
    }
  };
  const pump = () => {
    if (inFlight || queue.length === 0 || !open()) return;
    const chunk = queue.length === 1 ? queue[0]! : Buffer.concat(queue);
    queue = [];
    inFlight = chunk;
    write(fd!, chunk, 0, chunk.length, null, (error, written) => {
      inFlight = null;
      if (error) {
        queue.unshift(chunk);
        return fail(error);
      }
      recovered();
      heldBytes -= written;
      if (written < chunk.length) queue.unshift(chunk.subarray(written));
      if (queue.length > 0) return pump();
      for (const waiter of waiters.splice(0)) waiter();
    });
  };
  /** What is queued behind the write in flight (which the thread pool may or may not finish before the exit). */
  const flushSync = () => {
    if (queue.length === 0 || !open()) return;
    try {
      const chunk = Buffer.concat(queue);
      const written = writeSync(fd!, chunk);
      queue = written < chunk.length ? [chunk.subarray(written)] : [];
      heldBytes -= written;
    } catch {
      // The process is going, and the disk still refuses: what is held is lost with it, as reported above.
    }
  };
  process.once('exit', flushSync);

  return {
    write(line: string) {
      const bytes = Buffer.from(line);
      if (heldBytes + bytes.length > HELD_BYTES) {
        dropped += 1;
        return;
      }
      queue.push(bytes);
      heldBytes += bytes.length;
      pump();
    },
    flush(callback) {
      if (heldBytes === 0 || failing) return callback?.();
      if (callback) waiters.push(callback);
      pump();
    },
    flushSync,
    end() {
      flushSync();
      process.removeListener('exit', flushSync);
      if (retry) clearTimeout(retry);
      if (typeof dest === 'string' && fd !== null) closeSync(fd);
      fd = null;
      waiters = [];
    },
  };
}

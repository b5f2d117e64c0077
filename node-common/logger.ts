import { pino, type Logger } from 'pino';
import { logDestination } from '../node-common/log-destination';

/**
 * Structured JSON logs, one line per event, to stdout. A stdout that refuses writes (redirected to a full disk, a
 * closed pipe) is reported on stderr, never fatal: the server keeps serving.
 */
export function createLogger(name: string, level = process.env.CORDON_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, logDestination(1));
}

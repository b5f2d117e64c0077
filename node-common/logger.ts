import { pino, type Logger } from 'pino';

/** Structured JSON logs, one line per event, to stdout (or a given destination). */
export function createLogger(name: string, level = process.env.CORDON_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}

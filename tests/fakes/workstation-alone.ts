import { join } from 'node:path';
import { pino } from 'pino';
import { createConsoleCore, type ConsoleCore, type ConsoleCoreOptions } from '../../main/core/console-core';
import { demoConfig } from './fixtures';

/**
 * A workstation's console core on its own: its server out of reach (everything it does waits in its outbox), not
 * enrolled, its data in <dir>/ws, the demonstration force, errors logged. `options` gives its name, clock and
 * scheduler, and adds or replaces anything else (the telephony, the terminals). Not started: the test prepares its
 * store first (rememberSignIn, records as the server sent them), then calls start().
 */
export function workstationAlone(dir: string, options: Pick<ConsoleCoreOptions, 'workstation' | 'clock' | 'scheduler'> & Partial<ConsoleCoreOptions>): ConsoleCore {
  return createConsoleCore({
    dataDir: join(dir, 'ws'),
    enrolmentKey: null,
    serverUrl: 'http://127.0.0.1:9',
    config: demoConfig,
    host: 'browser',
    log: pino({ level: 'error' }),
    ...options,
  });
}

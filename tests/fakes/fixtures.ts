import { pino } from 'pino';
import { loadForceConfig } from '../../node-common/force-config-file';

export const silentLog = pino({ level: 'silent' });
export const demoConfig = loadForceConfig();

/** Waits until check() is true, polling; fails with the description after the timeout. */
export async function eventually(check: () => boolean | Promise<boolean>, description: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

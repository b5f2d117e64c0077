import { pino } from 'pino';
import { loadForceConfig } from '../../node-common/force-config-file';
import type { ConsoleCore } from '../../main/core/console-core';

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

/** Calls a channel of a console core as its windows would: the reply's value, or throws with the error's message. */
export async function call<T>(core: ConsoleCore, channel: string, request: unknown): Promise<T> {
  const reply = await core.dispatch(channel, request);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as T;
}

/** The message a channel of a console core refuses the request with; throws if the request was answered. */
export async function refusalOf(core: ConsoleCore, channel: string, request: unknown): Promise<string> {
  const reply = await core.dispatch(channel, request);
  if (reply.ok) throw new Error(`${channel} was not refused`);
  return reply.error.message;
}

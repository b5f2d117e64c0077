import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { appRoot } from '../../node-common/app-paths';
import { sharedNow, type FleetReplies, type FleetReply, type FleetRequest } from './fleet-protocol';

export interface FleetProcess {
  pid: number;
  call<R extends FleetRequest>(request: R): Promise<FleetReplies[R['type']]>;
  /**
   * How far this process's shared clock is ahead of ours, estimated from the quickest of a few round trips
   * (Cristian's method), with half that round trip as the uncertainty.
   */
  clockOffset(): Promise<{ offsetMs: number; uncertaintyMs: number }>;
  stop(): Promise<void>;
}

/** Starts dist/node/bench-fleet.mjs; its output goes to our stderr, so stdout stays the benchmark's JSON. */
export function startFleetProcess(): FleetProcess {
  const child: ChildProcess = fork(join(appRoot(), 'dist', 'node', 'bench-fleet.mjs'), [], { stdio: ['ignore', 2, 2, 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  child.on('message', (reply: FleetReply) => {
    const waiter = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(new Error(`fleet process: ${reply.error}`));
  });
  child.once('exit', (code) => {
    for (const waiter of waiting.values()) waiter.reject(new Error(`fleet process exited (${code})`));
    waiting.clear();
  });
  const call = <R extends FleetRequest>(request: R) =>
    new Promise<FleetReplies[R['type']]>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, request });
    });
  return {
    pid: child.pid!,
    call,
    async clockOffset() {
      let best = { offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY };
      for (let i = 0; i < 7; i += 1) {
        const sent = sharedNow();
        const theirs = await call({ type: 'clock' });
        const back = sharedNow();
        if ((back - sent) / 2 < best.uncertaintyMs) best = { offsetMs: theirs - (sent + back) / 2, uncertaintyMs: (back - sent) / 2 };
      }
      return best;
    },
    async stop() {
      if (child.connected) {
        await call({ type: 'stop' }).catch(() => {});
        child.disconnect();
      }
      await exited;
    },
  };
}

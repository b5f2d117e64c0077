import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { appRoot } from '../../node-common/app-paths';
import type { LoadReplies, LoadReply, LoadRequest } from './load-protocol';

export interface LoadClientsProcess {
  pid: number;
  call<R extends LoadRequest>(request: R): Promise<LoadReplies[R['type']]>;
  stop(): Promise<void>;
}

/** Starts dist/node/bench-load-clients.mjs; its output goes to our stderr, so stdout stays the benchmark's JSON. */
export function startLoadClients(): LoadClientsProcess {
  const child: ChildProcess = fork(join(appRoot(), 'dist', 'node', 'bench-load-clients.mjs'), [], { stdio: ['ignore', 2, 2, 'ipc'] });
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.removeListener('exit', orphanGuard);
      resolve();
    }),
  );
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  child.on('message', (reply: LoadReply) => {
    const waiter = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(new Error(`load clients: ${reply.error}`));
  });
  child.once('exit', (code) => {
    for (const waiter of waiting.values()) waiter.reject(new Error(`load clients process exited (${code})`));
    waiting.clear();
  });
  const call = <R extends LoadRequest>(request: R) =>
    new Promise<LoadReplies[R['type']]>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, request });
    });
  return {
    pid: child.pid!,
    call,
    async stop() {
      if (child.connected) {
        await call({ type: 'stop' }).catch(() => {});
        child.disconnect();
      }
      await exited;
    },
  };
}

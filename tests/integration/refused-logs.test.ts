import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROTOCOL_PATHS } from '../../shared/sync/protocol';
import { connectBridge } from '../fakes/bridge-client';
import { eventually } from '../fakes/fixtures';
import { startConsoleProcess, startServerProcess, TEST_ENROLMENT_KEY } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';

// Linux's /dev/full refuses every write with ENOSPC, as a full disk does: a log pointed at it is a log on a full disk.
const FULL = '/dev/full';
const root = join(import.meta.dirname, '..', '..');

let dir: ReturnType<typeof makeTempDir>;
const stops: (() => Promise<void>)[] = [];

beforeEach(() => {
  dir = makeTempDir();
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  dir.remove();
});

describe('a log destination on a full disk', () => {
  it("does not take the workstation down: its log file refused, it says so once on stderr and goes on serving its windows", async () => {
    const server = await startServerProcess(join(dir.path, 'central.sqlite'));
    stops.push(() => server.stop());
    const dataDir = join(dir.path, 'ws');
    mkdirSync(dataDir, { recursive: true });
    symlinkSync(FULL, join(dataDir, 'console.log'));
    const desk = await startConsoleProcess({ server: server.url, workstation: 'WS-LOG', operator: 'alice', dataDir });
    stops.push(() => desk.stop());

    await eventually(() => /the log .*console\.log cannot be written \(ENOSPC\)/.test(desk.output()), 'the workstation reports its log refused', 10_000);
    const bridge = await connectBridge(desk.origin, desk.key);
    const session = await bridge.value<{ operator: { id: string } | null }>('session.signIn', { operator: 'alice', password: 'demo' });
    expect(session.operator?.id).toBe('alice'); // and the sign-in was logged, to the refusing file, again
    expect(await bridge.value('session.get', {})).toMatchObject({ operator: { id: 'alice' } });
    bridge.close();
    expect(desk.child.exitCode).toBeNull();
  });

  it("does not take the central server down: its stdout refused, it says so on stderr and goes on answering", async () => {
    const port = await freePort();
    const stdout = openSync(FULL, 'w');
    const child = spawn(process.execPath, [join(root, 'dist/node/server.mjs'), '--port', String(port), '--data', join(dir.path, 'central.sqlite'), '--enrolment-key', TEST_ENROLMENT_KEY], {
      cwd: root,
      stdio: ['ignore', stdout, 'pipe'],
      env: { ...process.env, CORDON_LOG_LEVEL: 'info' },
    });
    closeSync(stdout);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    stops.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    await eventually(() => /the log file descriptor 1 cannot be written \(ENOSPC\)/.test(stderr), 'the server reports its stdout refused', 10_000);
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}${PROTOCOL_PATHS.health}`).catch(() => null))?.ok === true, 'the server answers', 10_000);
    expect(child.exitCode).toBeNull();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStandaloneConsole, type RunningProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';

const root = join(import.meta.dirname, '..', '..');
const running: RunningProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

/** A second console on the same folder, as a second `npm start` would be: it should stop at once, saying why. */
function secondConsole(dataDir: string) {
  return spawnSync(process.execPath, [join(root, 'dist', 'node', 'console.mjs'), '--data-dir', dataDir, '--workstation', 'WS-2', '--calls', 'none', '--vehicles', 'none', '--no-open', '--shell', 'browser'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('one console per data folder', () => {
  it('a second console started on a folder in use stops in one line naming the first; once the first is gone, killed or stopped, the folder is free', async () => {
    const dir = makeTempDir();
    try {
      const dataDir = join(dir.path, 'ws');
      const first = await startStandaloneConsole({ workstation: 'WS-1', dataDir });
      running.push(first);
      const second = secondConsole(dataDir);
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`^${dataDir} is in use by another Cordon console \\(process \\d+\\): use that one, stop it first, or give this one another --data-dir\\n$`));

      // Killed outright, the first leaves its claim behind; the next console takes it over.
      await first.kill9();
      expect(existsSync(join(dataDir, 'in-use.lock'))).toBe(true);
      const after = await startStandaloneConsole({ workstation: 'WS-1', dataDir });
      running.push(after);
      // Stopped properly, it gives the folder back.
      await after.stop();
      expect(existsSync(join(dataDir, 'in-use.lock'))).toBe(false);
    } finally {
      dir.remove();
    }
  }, 60_000);

  it('a console stopped while it starts (Ctrl+C, or a service manager) gives the folder back: the signal is handled from the first moment', async () => {
    const dir = makeTempDir();
    try {
      const dataDir = join(dir.path, 'ws');
      const lock = join(dataDir, 'in-use.lock');
      const child = spawn(process.execPath, [join(root, 'dist', 'node', 'console.mjs'), '--data-dir', dataDir, '--workstation', 'WS-3', '--calls', 'none', '--vehicles', 'none', '--no-open', '--shell', 'browser'], { cwd: root, stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // As soon as it has claimed the folder, long before it has started its window's host.
      const until = Date.now() + 30_000;
      while (!existsSync(lock) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 2));
      expect(existsSync(lock)).toBe(true);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(lock)).toBe(false);
    } finally {
      dir.remove();
    }
  }, 60_000);
});

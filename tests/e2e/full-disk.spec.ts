import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { onSmallDisk, smallDiskPath, startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { connectBridge } from '../fakes/bridge-client';
import { signIn } from './helpers';

// A 101 call as soon as the workstation starts (the sign that the desk works), and a 999 call 25 seconds in,
// by when the test has filled the disk.
const calls = {
  calls: [
    { id: 'before', at: 1, source: '101', callerNumber: '07700 900100' },
    { id: 'while-full', at: 25, source: '999', callerNumber: '07700 900999' },
  ],
};

/** Writes a file until the disk refuses, in big pieces and then in pages, so that not one page is left free. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [1024 * 1024, 4096]) {
      const piece = Buffer.alloc(size, 0x55);
      for (;;) {
        try {
          if (writeSync(fd, piece) < size) break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** A window with an old launch's key tries to connect, and is refused (a warning in the log), within 5 s. */
async function knockWithStaleKey(origin: string): Promise<void> {
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const refused = connectBridge(origin, 'a-stale-key').then(
    (bridge) => bridge.close(),
    () => undefined,
  );
  const unanswered = new Promise<never>((_, reject) => {
    deadline = setTimeout(() => reject(new Error('the workstation stopped answering')), 5000);
  });
  try {
    await Promise.race([refused, unanswered]);
  } finally {
    clearTimeout(deadline);
  }
}

test('the disk under a workstation fills: it stays up, refuses an incident saying why, holds a 999 call, and puts it through once there is room', async ({ newContext }) => {
  test.setTimeout(120_000);
  const dir = makeTempDir();
  const script = join(dir.path, 'calls.json');
  writeFileSync(script, JSON.stringify(calls));
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  // The workstation's data folder (its SQLite file and its log) on a 24 MiB disk of its own.
  const disk = join(dir.path, 'disk');
  mkdirSync(disk);
  const desk = await startConsoleProcess({ server: server.url, workstation: 'CALLS-9', operator: 'dan', dataDir: join(disk, 'ws'), calls: script, launch: onSmallDisk(disk, 24 * 1024 * 1024) });
  try {
    const context = await newContext();
    const incidents = await context.newPage();
    await incidents.goto(desk.windowUrl);
    await signIn(incidents, 'dan');
    const calltaking = await context.newPage();
    await calltaking.goto(desk.windowUrl.replace('role=incidents', 'role=calltaking'));
    const queue = calltaking.getByRole('listbox', { name: 'Calls' });
    await expect(queue.getByRole('option', { name: /07700 900100/ })).toBeVisible({ timeout: 15_000 });
    await expect(queue.getByRole('option', { name: /07700 900999/ })).toHaveCount(0);

    // The disk fills (another program's files, say).
    const ballast = join(smallDiskPath(desk, disk), 'ballast');
    fillDisk(ballast);
    // Its log file too: windows with a stale key knock (each refusal a warning line) until the log needs a new page.
    for (let i = 0; i < 40; i += 1) await knockWithStaleKey(desk.origin);
    await expect.poll(() => desk.output()).toMatch(/the log .*console\.log cannot be written \(ENOSPC\)/);

    // An incident typed now is refused, in words.
    const dialog = incidents.getByRole('dialog', { name: 'New incident' });
    const typeIncident = async () => {
      await incidents.bringToFront();
      await incidents.keyboard.press('F2');
      await expect(dialog.getByLabel('Incident type')).toBeFocused();
      await incidents.keyboard.type('Burglary');
      await incidents.keyboard.press('Tab');
      await incidents.keyboard.type('7 Full Disk Lane');
      await incidents.keyboard.press('Enter');
    };
    await typeIncident();
    await expect(dialog.getByRole('alert')).toHaveText('Not saved: the local disk is full');
    await dialog.getByRole('button', { name: 'Cancel' }).press('Enter');
    await expect(dialog).toBeHidden();

    // Every window says so, and the 999 call that rings meanwhile is held, not lost.
    for (const page of [incidents, calltaking]) {
      await expect(page.getByRole('alert', { name: 'Workstation storage' })).toContainText('Local disk full:');
    }
    await expect(calltaking.getByRole('alert', { name: 'Workstation storage' })).toContainText('Local disk full: 1 event waiting', { timeout: 40_000 });
    await expect(queue.getByRole('option', { name: /07700 900999/ })).toHaveCount(0);
    expect(desk.child.exitCode).toBeNull();

    // Space is freed: the alarm clears itself everywhere, the call is in the queue, and the incident saves once.
    rmSync(ballast);
    for (const page of [incidents, calltaking]) await expect(page.getByRole('alert', { name: 'Workstation storage' })).toBeHidden({ timeout: 10_000 });
    await expect(queue.getByRole('option', { name: /999.*07700 900999|07700 900999.*999/ })).toBeVisible();
    await expect(incidents.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /7 Full Disk Lane/ })).toHaveCount(0);
    await typeIncident();
    await expect(dialog).toBeHidden();
    await expect(incidents.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /7 Full Disk Lane/ })).toHaveCount(1);
    await expect.poll(() => desk.output()).toMatch(/the log .*console\.log is being written again/);
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});

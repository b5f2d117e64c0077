import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { peakResidentMiB, residentMiB } from '../../bench/load/pinned-processes';

// The server-load benchmark's memory figure: a reading at a step's end misses a peak inside it; the kernel's
// high-water mark does not.
describe('a process’s resident memory, now and at its peak', () => {
  it('keeps the peak after the memory that made it is let go', async () => {
    // 96 MiB filled (every page resident), then freed and collected; the process then waits to be read.
    const script = 'let b = Buffer.alloc(96 << 20, 1); b = null; gc(); setTimeout(() => { console.log("freed"); setTimeout(() => {}, 30000); }, 200);';
    const child = spawn(process.execPath, ['--expose-gc', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(child.stdout!, 'data');
      const now = residentMiB(child.pid!)!;
      const peak = peakResidentMiB(child.pid!)!;
      expect(peak - now).toBeGreaterThan(80);
    } finally {
      child.kill();
    }
  });

  it('is null for a process that is not there', () => {
    expect(residentMiB(2 ** 22 + 7)).toBeNull();
    expect(peakResidentMiB(2 ** 22 + 7)).toBeNull();
  });
});

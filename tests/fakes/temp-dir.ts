import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder per test, removed afterwards unless CORDON_KEEP_TEST_FILES is set (to inspect a failure). */
export function makeTempDir(prefix = 'cordon-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    remove: () => {
      if (!process.env.CORDON_KEEP_TEST_FILES) rmSync(path, { recursive: true, force: true });
    },
  };
}

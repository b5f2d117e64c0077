import { execFileSync } from 'node:child_process';

/** The browser host serves the built renderer: build whatever is out of date first. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
}

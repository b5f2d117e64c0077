import { execFileSync } from 'node:child_process';

/** Integration tests run the built server and console bundles; make sure they match the sources. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--node-only', '--if-stale'], { stdio: 'inherit' });
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder holding Cordon's package.json, assets/ and dist/. Found by walking up from this module, so it is
 * the same whether the code runs from source (tests), from the bundles in dist/, or inside a packaged app.
 */
export function appRoot(): string {
  if (cached) return cached;
  if (process.env.CORDON_APP_ROOT) return (cached = process.env.CORDON_APP_ROOT);
  let dir = dirname(typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'cordon') {
      return (cached = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Cordon application folder (set CORDON_APP_ROOT)');
    dir = parent;
  }
}

export function assetPath(...parts: string[]): string {
  return join(appRoot(), 'assets', ...parts);
}

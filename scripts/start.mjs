#!/usr/bin/env node
// `npm start -- [options]`: builds whatever is out of date, then starts the console (see launch/launch.ts).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
const { launch, exitWithError } = await import(pathToFileURL(join(root, 'dist', 'node', 'launch.mjs')).href);
launch(process.argv.slice(2)).catch(exitWithError);

// Lint with zero warnings. Beyond the recommended rules, the layering of design.md is enforced here by one table:
// local/code-layering (lint/code-layering.js) reports every import that is not an arrow of LAYERS below.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import local from './lint/code-layering.js';

/**
 * Which folder may import which. Each layer: its folders (a trailing / for a folder, else one file; the longest
 * match wins), where its code runs (pure: windows and Node alike, so no Node, DOM or runtime-specific package;
 * browser; node; electron: the Electron main and preload processes; any), and the layers it may import besides
 * itself ('*': all of them). An arrow not listed fails lint; so does a file in no layer.
 */
const LAYERS = {
  // The domain rules, the contract and the sync protocol: pure, used by every side.
  shared: { folders: ['shared/'], runsIn: 'pure', mayImport: [] },
  // Node code the workstation and the central server both use: SQLite, migrations, arguments, passwords, static
  // files, logging, the app folder, the force configuration file, timers.
  'node-common': { folders: ['node-common/'], runsIn: 'node', mayImport: ['shared'] },
  // The workstation (main/), from the bottom up.
  store: { folders: ['main/store/'], runsIn: 'node', mayImport: ['shared', 'node-common'] },
  sync: { folders: ['main/sync/'], runsIn: 'node', mayImport: ['shared', 'node-common', 'store'] },
  area: { folders: ['main/area/'], runsIn: 'node', mayImport: ['shared', 'node-common'] },
  dispatch: { folders: ['main/dispatch/'], runsIn: 'node', mayImport: ['shared', 'node-common', 'area'] },
  adapters: { folders: ['main/adapters/'], runsIn: 'node', mayImport: ['shared', 'node-common', 'dispatch'] },
  core: { folders: ['main/core/'], runsIn: 'node', mayImport: ['shared', 'node-common', 'store', 'sync', 'area', 'adapters'] },
  // What both hosts use, then each host: they serve the renderer and relay the contract to the core.
  hosts: { folders: ['main/hosts/'], runsIn: 'node', mayImport: ['shared', 'node-common'] },
  'browser-host': { folders: ['main/hosts/browser/'], runsIn: 'node', mayImport: ['shared', 'node-common', 'hosts', 'core', 'area'] },
  'electron-host': { folders: ['main/hosts/electron/'], runsIn: 'electron', mayImport: ['shared', 'node-common', 'hosts', 'area'] },
  // The central server knows nothing of the workstation.
  server: { folders: ['server/'], runsIn: 'node', mayImport: ['shared', 'node-common'] },
  // Composition roots: each process's entry and its start-up wiring (which host, which server, embedded or not).
  launch: {
    folders: ['launch/'],
    runsIn: 'node',
    mayImport: ['shared', 'node-common', 'store', 'sync', 'area', 'dispatch', 'adapters', 'core', 'hosts', 'browser-host', 'electron-host', 'server'],
  },
  // The windows reach the core only through the contract in shared/.
  renderer: { folders: ['renderer/'], runsIn: 'browser', mayImport: ['shared'] },
  // Benchmarks and tests may import anything they measure or test.
  bench: { folders: ['bench/'], runsIn: 'any', mayImport: '*' },
  tests: { folders: ['tests/'], runsIn: 'any', mayImport: '*' },
  // The build and start scripts run the built bundles, never the sources.
  scripts: { folders: ['scripts/'], runsIn: 'node', mayImport: [] },
  config: { folders: ['eslint.config.js', 'lint/', 'vite.config.ts', 'vitest.config.ts', 'playwright.config.ts'], runsIn: 'any', mayImport: [] },
};

const root = import.meta.dirname;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { local },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'local/code-layering': ['error', { root, layers: LAYERS }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Wall-clock time is the force's (design.md §11): every time people read or type goes through
    // shared/domain/wall-clock.ts, in the force's zone, never the machine's or the browser's, and never an instant's
    // UTC digits sliced out of its string.
    files: ['shared/**/*.ts', 'main/**/*.ts', 'server/**/*.ts', 'renderer/**/*.{ts,tsx}', 'bench/**/*.ts'],
    ignores: ['shared/domain/wall-clock.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['getHours', 'setHours', 'getMinutes', 'setMinutes', 'getSeconds', 'getDate', 'setDate', 'getDay', 'getMonth', 'setMonth', 'getFullYear', 'setFullYear', 'getTimezoneOffset', 'toLocaleTimeString', 'toLocaleDateString', 'toTimeString', 'toDateString'].map(
          (property) => ({ property, message: `${property} works in the machine's time zone: use the force's wall clock (shared/domain/wall-clock.ts)` }),
        ),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.object.name='Intl'][callee.property.name='DateTimeFormat']", message: "times are formatted in one place, in the force's zone: shared/domain/wall-clock.ts" },
        { selector: "CallExpression[callee.property.name='slice'][callee.object.property.name=/(At|For)$/]", message: "an instant's string is UTC: show it through the force's wall clock (shared/domain/wall-clock.ts)" },
      ],
    },
  },
);

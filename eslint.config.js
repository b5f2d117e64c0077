// Lint with zero warnings. Beyond the recommended rules, the layering of design.md is enforced here: shared/ is
// pure, the renderer reaches the core only through the contract, and only the Electron host imports electron.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'util', 'stream', 'worker_threads'];
const restrict = (groups, message) => ({ group: groups, message });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { patterns: [restrict(['electron'], 'only main/hosts/electron may import electron')] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            restrict(nodeBuiltins, 'shared/ is pure: no Node modules'),
            restrict(['react', 'react-dom', 'zustand', 'electron', 'better-sqlite3', 'ws', 'pino', 'pg'], 'shared/ is pure: no runtime-specific libraries'),
            restrict(['**/main/**', '**/server/**', '**/renderer/**'], 'shared/ depends on nothing outside itself'),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            restrict(nodeBuiltins, 'the renderer is a web page: no Node modules'),
            restrict(['**/main/**', '**/server/**'], 'the renderer reaches the core only through the contract in shared/'),
            restrict(['electron', 'better-sqlite3', 'ws', 'pino', 'pg'], 'the renderer is a web page'),
          ],
        },
      ],
    },
  },
  {
    files: ['main/hosts/electron/**/*.ts', 'tests/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
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

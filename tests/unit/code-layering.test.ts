import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import local from '../../lint/code-layering.js';

const root = join(import.meta.dirname, '..', '..');

// The project's own configuration and layer table, run on a source text placed (virtually) at a path in the tree:
// nothing is written, and the rest of the tree is not linted.
const project = new ESLint({ cwd: root });

async function layeringErrors(eslint: ESLint, path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/code-layering').map((m) => m.message);
}

describe('the layer table (eslint.config.js), on the real tree', () => {
  it("refuses the workstation's core importing or starting the central server", async () => {
    const errors = await layeringErrors(project, 'main/core/wiring.ts', "import { runCentralServer } from '../../launch/run-central-server';\nimport type { CentralServer } from '../../server/central-server';\nexport const run: (() => Promise<CentralServer>) | typeof runCentralServer = runCentralServer;\n");
    expect(errors).toEqual([expect.stringMatching(/^core may not import launch \(launch\/run-central-server\)/), expect.stringMatching(/^core may not import server \(server\/central-server\)/)]);
  });

  it("refuses the server importing the workstation's store, CLI or anything under main/", async () => {
    expect(await layeringErrors(project, 'server/storage/sqlite/x.ts', "export { openView } from '../../../main/store/workstation-store';\n")).toEqual([
      expect.stringMatching(/^server may not import store/),
    ]);
    expect(await layeringErrors(project, 'server/x.ts', "export { launch } from '../launch/launch';\n")).toEqual([expect.stringMatching(/^server may not import launch/)]);
  });

  it('refuses the area service importing the browser host', async () => {
    expect(await layeringErrors(project, 'main/area/x.ts', "export * from '../hosts/browser/browser-host';\n")).toEqual([expect.stringMatching(/^area may not import browser-host/)]);
  });

  it('accepts the arrows the table draws: the workstation and the server both on node-common, the launcher on both', async () => {
    expect(await layeringErrors(project, 'main/store/x.ts', "export { openSqlite } from '../../node-common/sqlite';\n")).toEqual([]);
    expect(await layeringErrors(project, 'server/storage/sqlite/x.ts', "export { openSqlite } from '../../../node-common/sqlite';\n")).toEqual([]);
    expect(
      await layeringErrors(project, 'launch/x.ts', "export { startCentralServer } from '../server/central-server';\nexport { createConsoleCore } from '../main/core/console-core';\n"),
    ).toEqual([]);
    expect(await layeringErrors(project, 'main/hosts/browser/x.ts', "export type { ConsoleCore } from '../../core/console-core';\n")).toEqual([]);
  });

  it("keeps shared/ pure and the renderer behind the contract, type imports and dynamic imports included", async () => {
    expect(await layeringErrors(project, 'shared/domain/x.ts', "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n")).toEqual([
      expect.stringMatching(/^shared is pure .* may not import Node modules \("node:fs"\)/),
    ]);
    expect(await layeringErrors(project, 'renderer/app/x.ts', "export const core = () => import('../../main/core/console-core');\n")).toEqual([
      expect.stringMatching(/^renderer may not import core/),
    ]);
    expect(await layeringErrors(project, 'renderer/app/x.ts', "export type { Session } from '../../shared/contract/views';\n")).toEqual([]);
  });

  it('lets only the Electron host import electron', async () => {
    const code = "import { app } from 'electron';\nexport const quit = () => app.quit();\n";
    expect(await layeringErrors(project, 'main/hosts/electron/x.ts', code)).toEqual([]);
    expect(await layeringErrors(project, 'launch/x.ts', code)).toEqual([expect.stringMatching(/^launch runs in Node, so it may not import electron/)]);
  });

  it('refuses a file in a folder the table does not name', async () => {
    expect(await layeringErrors(project, 'tools/x.ts', 'export const x = 1;\n')).toEqual([expect.stringMatching(/^tools\/x\.ts is in no layer/)]);
  });
});

describe('the code-layering rule, on a small table of its own', () => {
  const withTable = (layers: Record<string, unknown>) =>
    new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { local }, rules: { 'local/code-layering': ['error', { root, layers }] } }],
    });
  const table = withTable({
    base: { folders: ['a/'], runsIn: 'pure', mayImport: [] },
    inner: { folders: ['a/inner/'], runsIn: 'node', mayImport: ['base'] },
    top: { folders: ['b/', 'c/entry.ts'], runsIn: 'any', mayImport: '*' },
  });

  it('gives a file to the longest folder that holds it, and a one-file layer its file only', async () => {
    expect(await layeringErrors(table, 'a/inner/x.ts', "import '../y';\nimport 'node:fs';\n")).toEqual([]);
    expect(await layeringErrors(table, 'a/x.ts', "import './inner/y';\n")).toEqual([expect.stringMatching(/^base may not import inner/)]);
    expect(await layeringErrors(table, 'a/x.ts', "import '../c/entry';\n")).toEqual([expect.stringMatching(/^base may not import top/)]);
    expect(await layeringErrors(table, 'a/x.ts', "import '../c/other';\n")).toEqual([expect.stringMatching(/^c\/other is in no layer/)]);
    expect(await layeringErrors(table, 'c/entry.ts', "import '../a/inner/y';\nimport '../b/z';\n")).toEqual([]);
  });

  it('refuses a table whose arrow names no layer', async () => {
    const broken = withTable({ base: { folders: ['a/'], runsIn: 'pure', mayImport: ['bsae'] } });
    await expect(broken.lintText('export {};\n', { filePath: join(root, 'a/x.ts') })).rejects.toThrow(/may import "bsae", which is not in the table/);
  });
});

// ESLint rule `local/code-layering`: every import must point along an arrow of the layer table (eslint.config.js).
// The table names each layer's folders, where its code runs (which decides the packages it may use) and the
// layers it may import; an import of our own code in no arrow, or of a package its runtime lacks, is reported.
// The shape follows VS Code's `code-layering` rule; the table, not this file, is what people edit.
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Packages that only exist in one runtime, by group. A layer's `runsIn` forbids the groups its runtime lacks:
 * pure code (shared/) runs in the windows and in Node alike, so it may use none of them.
 */
const GROUPS = {
  node: ['node:*', ...builtinModules],
  'node-libraries': ['better-sqlite3', 'ws', 'pino', 'pg'],
  electron: ['electron'],
  'dom-libraries': ['react', 'react-dom', 'zustand', 'maplibre-gl'],
};

const FORBIDDEN_GROUPS = {
  pure: ['node', 'node-libraries', 'electron', 'dom-libraries'],
  browser: ['node', 'node-libraries', 'electron'],
  node: ['electron', 'dom-libraries'],
  electron: ['dom-libraries'],
  any: [],
};

const RUNS = {
  pure: 'is pure (it runs in the windows and in Node alike)',
  browser: 'runs in the windows',
  node: 'runs in Node',
  electron: "runs in Electron's main or preload process",
};

const WHY = {
  node: 'Node modules',
  'node-libraries': 'libraries that need Node',
  electron: 'electron',
  'dom-libraries': 'libraries that need the DOM',
};

/**
 * Checks the table once per configuration: every arrow must name a layer of the table and every runtime must be
 * known, so a typo in the table is an error rather than an arrow that silently allows nothing.
 * @param {{ root: string, layers: Record<string, { folders: string[], runsIn: string, mayImport: string[] | '*' }> }} options
 */
function compile(options) {
  const names = Object.keys(options.layers);
  const entries = [];
  for (const [name, layer] of Object.entries(options.layers)) {
    if (!(layer.runsIn in FORBIDDEN_GROUPS)) throw new Error(`code-layering: layer ${name} runs in "${layer.runsIn}", not one of ${Object.keys(FORBIDDEN_GROUPS).join(', ')}`);
    const mayImport = layer.mayImport === '*' ? names : layer.mayImport;
    for (const other of mayImport) if (!names.includes(other)) throw new Error(`code-layering: layer ${name} may import "${other}", which is not in the table`);
    for (const folder of layer.folders) entries.push({ folder, name });
  }
  // The longest folder wins, so main/hosts/browser/ is its own layer inside main/hosts/.
  entries.sort((a, b) => b.folder.length - a.folder.length);
  return { entries, layers: options.layers, names, root: options.root };
}

const compiled = new WeakMap();
function tableOf(options) {
  if (!compiled.has(options)) compiled.set(options, compile(options));
  return compiled.get(options);
}

/** The layer a root-relative path (with or without its extension) belongs to, or null. */
function layerOf(table, path) {
  const bare = path.replace(/\.[^./]+$/, '');
  for (const { folder, name } of table.entries) {
    if (folder.endsWith('/') ? path.startsWith(folder) : path === folder || bare === folder.replace(/\.[^./]+$/, '')) return name;
  }
  return null;
}

/** `@scope/name/sub?x` → `@scope/name`, `name/sub` → `name`, `node:fs/promises` → `node:fs`. */
function packageName(specifier) {
  const clean = specifier.split('?')[0];
  const parts = clean.split('/');
  return clean.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function forbiddenGroup(runsIn, specifier) {
  const name = packageName(specifier);
  for (const group of FORBIDDEN_GROUPS[runsIn]) {
    if (GROUPS[group].some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern))) return group;
  }
  return null;
}

const toPosix = (path) => path.split(sep).join('/');

/** @type {import('eslint').Rule.RuleModule} */
export const codeLayering = {
  meta: {
    type: 'problem',
    docs: { description: 'imports follow the arrows of the layer table in eslint.config.js' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          layers: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: {
                folders: { type: 'array', items: { type: 'string' } },
                runsIn: { type: 'string' },
                mayImport: { anyOf: [{ const: '*' }, { type: 'array', items: { type: 'string' } }] },
              },
              required: ['folders', 'runsIn', 'mayImport'],
              additionalProperties: false,
            },
          },
        },
        required: ['root', 'layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      wrongArrow: '{{from}} may not import {{to}} ({{target}}): {{from}} may import {{allowed}}. The layer table is in eslint.config.js.',
      wrongPackage: '{{from}} {{runs}}, so it may not import {{why}} ("{{specifier}}"). The layer table is in eslint.config.js.',
      noLayer: '{{path}} is in no layer of the table in eslint.config.js: add its folder to a layer.',
      targetNoLayer: '{{target}} is in no layer of the table in eslint.config.js: add its folder to a layer.',
    },
  },
  create(context) {
    const table = tableOf(context.options[0]);
    const file = toPosix(relative(table.root, context.filename));
    // Files outside the project (ESLint's own virtual files) are none of this rule's business.
    if (file.startsWith('..') || isAbsolute(file)) return {};
    const from = layerOf(table, file);
    if (!from) {
      return { Program: (node) => context.report({ node, messageId: 'noLayer', data: { path: file } }) };
    }
    const layer = table.layers[from];
    const allowed = new Set(layer.mayImport === '*' ? table.names : [from, ...layer.mayImport]);

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (!specifier.startsWith('.')) {
        const group = forbiddenGroup(layer.runsIn, specifier);
        if (group) context.report({ node, messageId: 'wrongPackage', data: { from, runs: RUNS[layer.runsIn], why: WHY[group], specifier } });
        return;
      }
      const target = toPosix(relative(table.root, resolve(dirname(context.filename), specifier)));
      if (target.startsWith('..')) return;
      const to = layerOf(table, target);
      if (!to) context.report({ node, messageId: 'targetNoLayer', data: { target } });
      else if (!allowed.has(to)) {
        const others = [...allowed].filter((name) => name !== from);
        context.report({ node, messageId: 'wrongArrow', data: { from, to, target, allowed: others.length ? others.join(', ') : 'nothing outside itself' } });
      }
    }

    const fromSource = (node) => check(node.source, node.source?.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: (node) => node.source && fromSource(node),
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && fromSource(node),
      TSImportType: (node) => {
        const literal = node.source ?? node.argument?.literal;
        if (literal) check(literal, literal.value);
      },
      TSExternalModuleReference: (node) => node.expression.type === 'Literal' && check(node.expression, node.expression.value),
      CallExpression: (node) => {
        const [first] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && first?.type === 'Literal') check(first, first.value);
      },
    };
  },
};

/** The project's local ESLint plugin: `local/code-layering`. */
export default { meta: { name: 'local' }, rules: { 'code-layering': codeLayering } };

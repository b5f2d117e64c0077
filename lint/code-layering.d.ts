// Types for the plain-JavaScript plugin (ESLint loads its configuration and plugins without a TypeScript step).
import type { ESLint, Rule } from 'eslint';

export const codeLayering: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;

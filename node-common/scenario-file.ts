import { readFileSync } from 'node:fs';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { ForceConfig } from '../shared/domain/force-config';
import { Scenario, scenarioIssues, type ScenarioIssue } from '../shared/training/scenario';
import { StartProblem } from './start-problem';

/** A scenario refused: each problem with its place in the file (`file:line`), the field's path and what is wrong. */
export class ScenarioFileError extends StartProblem {
  constructor(
    readonly file: string,
    readonly problems: { line: number; path: string; message: string }[],
  ) {
    super(`scenario ${file} is not valid:\n${problems.map((p) => `  ${file}:${p.line}${p.path ? ` ${p.path}` : ''}: ${p.message}`).join('\n')}`);
    this.name = 'ScenarioFileError';
  }
}

/**
 * Reads and checks a scenario file against the force it is to be played by. Throws a ScenarioFileError naming the
 * line and path of every problem (JSON syntax, a field of the wrong shape, a code the force lacks), or a StartProblem
 * when the file cannot be read at all.
 */
export function loadScenario(file: string, config: ForceConfig): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StartProblem(`cannot read scenario ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseScenario(text, file, config);
}

/** As loadScenario, from the file's text (`file` names it in messages). */
export function parseScenario(text: string, file: string, config: ForceConfig): Scenario {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const lineAt = lineCounter(text);
  if (errors.length > 0 || !tree) {
    throw new ScenarioFileError(
      file,
      errors.length > 0 ? errors.map((error) => ({ line: lineAt(error.offset), path: '', message: `not JSON: ${describeParseError(printParseErrorCode(error.error))}` })) : [{ line: 1, path: '', message: 'the file is empty' }],
    );
  }
  const parsed = Scenario.safeParse(JSON.parse(text));
  const issues: ScenarioIssue[] = parsed.success ? scenarioIssues(parsed.data, config) : parsed.error.issues.map((issue) => ({ path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)), message: issue.message }));
  if (issues.length > 0) throw new ScenarioFileError(file, issues.map((issue) => ({ line: lineAt(nearestNode(tree, issue.path).offset), path: pathText(issue.path), message: issue.message })));
  return parsed.data!;
}

/** The node at `path`, or the nearest enclosing one that exists (a missing field is reported where its object is). */
function nearestNode(tree: Node, path: (string | number)[]): Node {
  for (let length = path.length; length > 0; length--) {
    const node = findNodeAtLocation(tree, path.slice(0, length));
    // A property's value: report the line of its key, where a reader looks.
    if (node) return node.parent?.type === 'property' ? node.parent : node;
  }
  return tree;
}

/** `injects[3].expected.type`, as a person would write it. */
function pathText(path: (string | number)[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/** The 1-based line of a character offset. */
function lineCounter(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

/** jsonc-parser's codes (`CommaExpected`) in words. */
function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

import type { z } from 'zod';

/** One line naming each field that is wrong and why, for error messages people read. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/**
 * The fields of `input` that a schema's parse left out of `output` (zod drops keys it does not know), as paths
 * ("incidentTypes.3.defualtGrade"): in a file people write, a misspelt field is otherwise read as absent and its
 * default used without a word. Objects are compared key by key and arrays item by item; anything else is a leaf.
 */
export function strayFields(input: unknown, output: unknown, path: string[] = []): string[] {
  if (Array.isArray(input) && Array.isArray(output)) return input.flatMap((item, i) => strayFields(item, output[i], [...path, String(i)]));
  if (!isPlainObject(input) || !isPlainObject(output)) return [];
  return Object.keys(input).flatMap((key) => (key in output ? strayFields(input[key], output[key], [...path, key]) : [[...path, key].join('.')]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The stray fields of a file people write (see strayFields) in one line for its error, or null when there are none:
 * "grades.0.warnBeforeMinute: unknown field (misspelt, or not a field of this file)".
 */
export function describeStrayFields(input: unknown, output: unknown): string | null {
  const stray = strayFields(input, output);
  return stray.length > 0 ? `${stray.map((path) => `${path}: unknown field`).join('; ')} (misspelt, or not a field of this file)` : null;
}

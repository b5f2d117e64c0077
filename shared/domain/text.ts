import { z } from 'zod';

/**
 * Text an operator typed: stored and shown exactly as plain text (never markup: "<script>" is shown as typed), but
 * without control characters, which no keyboard produces and which would corrupt logs, exports and screens.
 * Line breaks and tabs are allowed where the field allows several lines.
 */
export function plainText(options: { max: number; min?: number; multiline?: boolean; empty?: string }) {
  return z
    .string()
    .trim()
    .min(options.min ?? 0, options.empty ?? 'must not be empty')
    .max(options.max, `must be at most ${options.max} characters`)
    .refine((text) => !hasControlCharacters(text, options.multiline ?? false), options.multiline ? 'contains control characters' : 'contains control characters or line breaks');
}

/** C0 controls, DEL and the Unicode line separators; with `multiline`, line feed, carriage return and tab are fine. */
export function hasControlCharacters(text: string, multiline: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const lineBreakOrTab = code === 0x0a || code === 0x0d || code === 0x09;
    if ((code < 0x20 && !(multiline && lineBreakOrTab)) || code === 0x7f || code === 0x2028 || code === 0x2029) return true;
  }
  return false;
}

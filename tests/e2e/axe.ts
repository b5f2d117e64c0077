import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

/** The rules checked: WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core's tags for them). */
export const WCAG_A_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The rules among those whose outcome depends on colour, so on the theme: the rest are checked in one theme. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * What the scans leave out, each with the reason. Nothing else is skipped: a part added to a window is checked
 * from the day it is added. The map's canvas is not left out: axe checks the element like any other, and since it
 * cannot read what MapLibre draws, the spec asserts that the canvas says it in words (its name and description).
 */
export const LEFT_OUT: readonly { selector: string; why: string }[] = [];

/**
 * The console's themes: it follows the system's colour scheme (styles.css, map-style.ts), light by day and dark
 * for the night shift.
 */
export const THEMES = [
  { name: 'day', colorScheme: 'light' },
  { name: 'night', colorScheme: 'dark' },
] as const;

/** axe-core's script, minified (what is put into each page; the full one is twice the size to parse). */
const AXE_SCRIPT = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One failing element, as the page reports it. */
interface Finding {
  rule: string;
  impact: string;
  help: string;
  target: string;
  found: string;
}

/** The page's side: axe as its script defines it, reduced to what the runs below use. */
type InPage = {
  axe?: { run(context: unknown, options: unknown): Promise<{ violations: ViolationInPage[] }> };
  matchMedia(query: string): { matches: boolean };
};
type ViolationInPage = {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string; any: { message: string }[]; all: { message: string }[]; none: { message: string }[] }[];
};

/**
 * Checks what the page shows now (or only `scope`, for an overlay on a window already checked whole) against the
 * WCAG A and AA rules in the theme the page is in, then the rules that depend on colour in the other theme (one
 * switch of theme per check: each switch restyles the map). Returns each failing element as one line a reader can
 * act on: `where (theme): [impact] rule-id — what the rule asks: target — what axe found there`.
 *
 * axe-core runs in the page itself, put there once per page load: @axe-core/playwright puts the script into the
 * page again for every scan and brings back every passing element too, which made each scan take seconds rather
 * than a fraction of one on our loaded CI machines.
 */
export async function axeFindings(page: Page, where: string, scope?: string): Promise<string[]> {
  const { loaded, dark } = await page.evaluate(() => ({ loaded: 'axe' in globalThis, dark: (globalThis as unknown as InPage).matchMedia('(prefers-color-scheme: dark)').matches }));
  if (!loaded) await page.evaluate(AXE_SCRIPT);
  const themes = dark ? [...THEMES].reverse() : THEMES;
  const lines: string[] = [];
  for (const [i, theme] of themes.entries()) {
    await page.emulateMedia({ colorScheme: theme.colorScheme });
    const runOnly = i === 0 ? { type: 'tag', values: WCAG_A_AA } : { type: 'rule', values: COLOUR_RULES };
    const context = { ...(scope ? { include: [scope] } : {}), exclude: LEFT_OUT.map((part) => part.selector) };
    const findings = await page.evaluate(
      async ({ context, runOnly }) => {
        const { violations } = await (globalThis as unknown as InPage).axe!.run(context, { runOnly, resultTypes: ['violations'] });
        return violations.flatMap((violation): Finding[] =>
          violation.nodes.map((node) => ({
            rule: violation.id,
            impact: violation.impact ?? 'unknown',
            help: violation.help,
            target: node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' '),
            // The first check that failed, in axe's words ("Element has insufficient color contrast of 3.1 …").
            found: [...node.any, ...node.all, ...node.none].find((check) => check.message)?.message ?? node.failureSummary ?? '',
          })),
        );
      },
      { context, runOnly },
    );
    lines.push(...findings.map((f) => `${where} (${theme.name}): [${f.impact}] ${f.rule} — ${f.help}: ${f.target} — ${f.found.replace(/\s+/g, ' ').trim()}`));
  }
  return lines;
}

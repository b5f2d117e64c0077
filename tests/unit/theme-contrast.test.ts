import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';

// The console's colours are tokens in renderer/styles.css: the night theme in the first :root block, the day theme
// overriding some of them under prefers-color-scheme: light. The end-to-end accessibility check sees the states a
// test brings about; this one holds every token, so a state no test shows (reconnecting, a rejected deployment) is
// as readable as the rest. Contrast worked out by axe-core's own colour maths, as the end-to-end check does.

const css = readFileSync(join(import.meta.dirname, '..', '..', 'renderer', 'styles.css'), 'utf8');

function tokens(block: string | undefined): Record<string, string> {
  if (block === undefined) throw new Error('styles.css has lost a :root block this test reads');
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

const night = tokens(/^:root \{([^}]*)\}/m.exec(css)?.[1]);
const day = { ...night, ...tokens(/@media \(prefers-color-scheme: light\) \{\s*:root \{([^}]*)\}/.exec(css)?.[1]) };

/** What text and states are drawn in, and what they are drawn on. */
const FOREGROUNDS = ['text', 'muted', 'accent', 'priority-1', 'priority-2', 'priority-3', 'priority-4', 'priority-5', 'ok', 'warn', 'bad'];
const SURFACES = ['bg', 'panel', 'panel-2'];

/** axe-core's colour utilities: in its build, not in its type declarations. */
type AxeColour = { parseString(value: string): void };
const { Color, getContrast } = (axe.commons as unknown as { color: { Color: new () => AxeColour; getContrast(bg: AxeColour, fg: AxeColour): number } }).color;

function contrast(foreground: string, background: string): number {
  const [fg, bg] = [foreground, background].map((value) => {
    const colour = new Color();
    colour.parseString(value);
    return colour;
  });
  return Math.round(getContrast(bg!, fg!) * 100) / 100;
}

describe.each([
  ['night', night],
  ['day', day],
])('the %s theme', (_name, theme) => {
  it('draws every text and state colour at 4.5:1 or more on every surface', () => {
    const below = FOREGROUNDS.flatMap((fg) =>
      SURFACES.map((surface) => ({ pair: `--${fg} on --${surface}`, ratio: contrast(theme[fg]!, theme[surface]!) })).filter(({ ratio }) => ratio < 4.5),
    );
    expect(below).toEqual([]);
  });

  it('writes on its alarm banners at 4.5:1 or more', () => {
    expect(contrast(theme['on-alarm']!, theme.alarm!)).toBeGreaterThanOrEqual(4.5);
  });

  it('draws the focus ring at 3:1 or more against every surface (a non-text indicator)', () => {
    for (const surface of SURFACES) expect(contrast(theme.focus!, theme[surface]!)).toBeGreaterThanOrEqual(3);
  });
});

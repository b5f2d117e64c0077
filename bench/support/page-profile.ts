import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * With CORDON_BENCH_PROFILE=PREFIX, a CPU profile of the page's main thread over what `measure` does, summarised in
 * PREFIX-label.json as the functions that took the most time themselves: where a slow frame goes, for whoever makes it faster.
 * Without it, `measure` runs alone (a profiler slows the page it watches, so figures are never taken with one).
 * Build with CORDON_NO_MINIFY=1 (`CORDON_NO_MINIFY=1 node scripts/build.mjs`) for the functions' own names.
 */
export async function profiled<T>(page: Page, label: string, measure: () => Promise<T>): Promise<T> {
  const prefix = process.env.CORDON_BENCH_PROFILE;
  if (!prefix) return measure();
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.start');
  const result = await measure();
  const { profile } = (await session.send('Profiler.stop')) as unknown as { profile: Profile };
  writeFileSync(`${prefix}-${label}.json`, JSON.stringify(selfTimes(profile), null, 1));
  await session.detach();
  return result;
}

function selfTimes(profile: Profile): { totalMs: number; top: { ms: number; where: string }[] } {
  const byNode = new Map<number, number>();
  profile.samples.forEach((node, i) => byNode.set(node, (byNode.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byPlace = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}:${lineNumber + 1}`;
    byPlace.set(where, (byPlace.get(where) ?? 0) + (byNode.get(node.id) ?? 0));
  }
  const top = [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 60).map(([where, ms]) => ({ ms: Math.round(ms), where }));
  return { totalMs: Math.round([...byNode.values()].reduce((a, b) => a + b, 0)), top };
}

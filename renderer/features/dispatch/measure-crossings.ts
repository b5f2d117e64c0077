import type { MeasureLevel, MeasureLevels } from '../../../shared/measures/measure-levels';

/**
 * The figures that have just crossed into red, as `span:figure` keys, given the levels this window saw last (updated
 * in place to the new ones). A figure red on first sight counts as crossing (the supervisor has not heard of it yet);
 * one that stays red does not cross again until it has been out of red.
 */
export function crossedIntoRed(seen: Map<string, MeasureLevel>, answers: readonly { span: string; levels: MeasureLevels }[]): string[] {
  const crossed: string[] = [];
  for (const { span, levels } of answers) {
    for (const [figure, level] of Object.entries(levels)) {
      const key = `${span}:${figure}`;
      const before = seen.get(key);
      seen.set(key, level);
      if (level === 'red' && before !== 'red') crossed.push(key);
    }
  }
  return crossed;
}

/**
 * Where an arrow, Home or End key moves the cursor of a list of `length` items from `index` (-1: nothing chosen
 * yet, and the first arrow lands on the first item), kept within the list; null for any other key.
 */
export function listKeyTarget(key: string, index: number, length: number): number | null {
  if (length === 0) return null;
  const to = key === 'ArrowDown' ? (index < 0 ? 0 : index + 1) : key === 'ArrowUp' ? (index < 0 ? 0 : index - 1) : key === 'Home' ? 0 : key === 'End' ? length - 1 : null;
  return to === null ? null : Math.max(0, Math.min(length - 1, to));
}

/**
 * Where an arrow, Home or End key moves the cursor of a list of `length` items from `index` (-1: nothing chosen
 * yet, and the first arrow lands on the first item), kept within the list; null for any other key. Given `page` (a
 * number of rows), PageDown and PageUp move that many rows; without it they are not the list's.
 */
export function listKeyTarget(key: string, index: number, length: number, page?: number): number | null {
  if (length === 0) return null;
  const from = index < 0 ? 0 : index;
  const to =
    key === 'ArrowDown' ? (index < 0 ? 0 : index + 1)
    : key === 'ArrowUp' ? (index < 0 ? 0 : index - 1)
    : key === 'Home' ? 0
    : key === 'End' ? length - 1
    : page && key === 'PageDown' ? from + page
    : page && key === 'PageUp' ? from - page
    : null;
  return to === null ? null : Math.max(0, Math.min(length - 1, to));
}

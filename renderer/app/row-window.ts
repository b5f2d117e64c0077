/**
 * Which rows of a long list of equal-height rows to draw: those in the scrolled viewport and a margin either side.
 * The rest are only space (padding on the list), so a queue of 5,000 incidents renders, and its clocks tick, in the
 * few dozen rows a dispatcher can see, and a change to any incident costs the same whatever the queue's length.
 */
export interface RowWindow {
  /** Index of the first row drawn. */
  first: number;
  /** One past the index of the last row drawn. */
  end: number;
  /** Space standing in for the rows above and below those drawn, in pixels. */
  spaceBefore: number;
  spaceAfter: number;
}

export function rowWindow(scrollTop: number, viewportPx: number, rowPx: number, count: number, margin: number): RowWindow {
  if (count === 0 || rowPx <= 0) return { first: 0, end: count, spaceBefore: 0, spaceAfter: 0 };
  const first = Math.max(0, Math.min(count - 1, Math.floor(scrollTop / rowPx) - margin));
  const end = Math.min(count, Math.ceil((scrollTop + viewportPx) / rowPx) + margin);
  return { first, end, spaceBefore: first * rowPx, spaceAfter: (count - end) * rowPx };
}

/** The scroll position that brings row `index` fully into view, moving as little as possible; the same if it is. */
export function scrollToReveal(index: number, rowPx: number, scrollTop: number, viewportPx: number): number {
  const top = index * rowPx;
  if (top < scrollTop) return top;
  if (top + rowPx > scrollTop + viewportPx) return Math.max(0, top + rowPx - viewportPx);
  return scrollTop;
}

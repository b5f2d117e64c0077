import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { rowWindow, scrollToReveal, type RowWindow } from './row-window';

/** Rows drawn beyond each edge of the viewport, so a quick scroll or a key held down never shows blank space. */
const MARGIN_ROWS = 10;

/**
 * A long list drawn only where it can be seen (see row-window.ts). Rows must be of one height (the CSS fixes it); it is
 * read off a drawn row marked `data-row`, so a change of font size needs no change here. `reveal(index)` scrolls the
 * chosen row into view in the same render as the choice, so the listbox's active descendant always exists.
 */
export function useRowWindow(count: number, estimatedRowPx: number): RowWindow & { attachScroller: (el: HTMLElement | null) => void; reveal(index: number): void } {
  // The list element twice: as a ref for reading and scrolling it, as state so the listeners below follow it.
  const scroller = useRef<HTMLElement | null>(null);
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 1000 });
  const [rowPx, setRowPx] = useState(estimatedRowPx);

  const attachScroller = useCallback((el: HTMLElement | null) => {
    scroller.current = el;
    setElement(el);
  }, []);

  useEffect(() => {
    if (!element) return;
    const read = () => setViewport((v) => (v.top === element.scrollTop && v.height === element.clientHeight ? v : { top: element.scrollTop, height: element.clientHeight }));
    read();
    element.addEventListener('scroll', read, { passive: true });
    const resized = new ResizeObserver(read);
    resized.observe(element);
    return () => {
      element.removeEventListener('scroll', read);
      resized.disconnect();
    };
  }, [element]);

  // Measured once rows are first drawn (and again should the height read differ).
  const hasRows = count > 0;
  useLayoutEffect(() => {
    const drawn = scroller.current?.querySelector<HTMLElement>('[data-row]')?.offsetHeight;
    if (drawn && drawn !== rowPx) setRowPx(drawn);
  }, [hasRows, rowPx]);

  const reveal = useCallback(
    (index: number) => {
      const el = scroller.current;
      if (!el || index < 0) return;
      const top = scrollToReveal(index, rowPx, el.scrollTop, el.clientHeight);
      if (top === el.scrollTop) return;
      el.scrollTop = top;
      setViewport({ top: el.scrollTop, height: el.clientHeight });
    },
    [rowPx],
  );

  return { ...rowWindow(viewport.top, viewport.height, rowPx, count, MARGIN_ROWS), attachScroller, reveal };
}

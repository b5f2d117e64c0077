import { useLayoutEffect, type KeyboardEvent, type ReactNode } from 'react';
import { listKeyTarget } from '../keyboard/list-navigation';
import { RowSpace } from './RowSpace';
import { useRowWindow } from './use-row-window';

/**
 * A listbox of thousands of rows (the queue, the unit board) that draws only those in view (see row-window.ts).
 * Focus stays on the list; arrows, Home and End move the active row, which is always scrolled into view, and so is
 * a row made active from elsewhere (the map, a search). Rows render themselves: `row` is given each item with its
 * place in the whole list (for aria-posinset and aria-setsize), and must mark its element `data-row` and give it the
 * id `${optionIdPrefix}${item.id}`. An empty list says so beside itself, not inside: a listbox may hold only options,
 * so the note is a paragraph the list is described by (a screen reader reads it as the list takes focus).
 */
export function LongListbox<T extends { id: string }>({
  id,
  label,
  items,
  activeId,
  optionIdPrefix,
  rowPxEstimate,
  onActivate,
  onOtherKey,
  row,
  empty,
}: {
  id: string;
  label: string;
  items: readonly T[];
  activeId: string | null;
  optionIdPrefix: string;
  /** A row's height before one is drawn and measured. */
  rowPxEstimate: number;
  onActivate(item: T): void;
  /** Keys other than the moves (Enter, say); the list's own handling comes first. */
  onOtherKey?(event: KeyboardEvent<HTMLUListElement>): void;
  row(item: T, position: number, of: number): ReactNode;
  /** What the list says when it has no rows ("No open incidents…"). */
  empty?: string;
}) {
  const { first, end, spaceBefore, spaceAfter, attachScroller, reveal } = useRowWindow(items.length, rowPxEstimate);

  // However it was made active, the active row is brought into view; only when it changes, though: a list reordering
  // under the operator's eyes must not drag the view about.
  useLayoutEffect(() => {
    if (activeId) reveal(items.findIndex((item) => item.id === activeId));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeId, reveal]);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const to = listKeyTarget(event.key, items.findIndex((item) => item.id === activeId), items.length);
    if (to === null) return onOtherKey?.(event);
    event.preventDefault();
    onActivate(items[to]!);
    reveal(to);
  };

  // The selection may be something the list does not hold (a closed incident found by its reference): then no
  // option is active, rather than the list pointing at one that does not exist.
  const activeIndex = activeId ? items.findIndex((item) => item.id === activeId) : -1;
  const emptyNote = items.length === 0 && empty ? `${id}-empty` : undefined;
  return (
    <>
      {emptyNote && (
        <p id={emptyNote} className="empty">
          {empty}
        </p>
      )}
      <ul
        id={id}
        role="listbox"
        aria-label={label}
        aria-describedby={emptyNote}
        tabIndex={0}
        aria-activedescendant={activeIndex >= 0 ? `${optionIdPrefix}${activeId}` : undefined}
        onKeyDown={onKeyDown}
        ref={attachScroller}
      >
        <RowSpace px={spaceBefore} />
        {items.slice(first, end).map((item, i) => row(item, first + i + 1, items.length))}
        <RowSpace px={spaceAfter} />
      </ul>
    </>
  );
}

/**
 * The room taken by rows of a long list that are not drawn (see use-row-window.ts), so the scroll bar tells how long
 * the list is. An element, not padding on the list: padding would set the list's own height, not its contents'.
 */
export function RowSpace({ px }: { px: number }) {
  return px > 0 ? <li role="none" aria-hidden="true" className="row-space" style={{ height: px }} /> : null;
}

/**
 * Units stand together (at their station, at one scene), and the dot drawn last is the one seen. Drawn in this order,
 * later over earlier: the unit a dispatcher can send (available) on top, then those busy, and units off duty or
 * unavailable (any status not listed) underneath. An off-duty crew's grey dot hid an available unit at its station.
 */
const DRAW_RANK: Record<string, number> = { committed: 1, at_scene: 2, en_route: 3, assigned: 4, available: 5 };

/** The dots in the order they are drawn (see DRAW_RANK); dots of one status keep the order given. */
export function inDrawingOrder<T extends { status: string }>(dots: readonly T[]): T[] {
  return [...dots].sort((a, b) => (DRAW_RANK[a.status] ?? 0) - (DRAW_RANK[b.status] ?? 0));
}

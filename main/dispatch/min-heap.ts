/**
 * A binary min-heap of numbers (nodes of the road graph) by priority, for shortest paths. An item pushed again
 * with a better priority is simply pushed twice; the caller skips the stale copy when it comes out.
 */
export class MinHeap {
  private readonly items: number[] = [];
  private readonly priorities: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: number, priority: number): void {
    let i = this.items.length;
    this.items.push(item);
    this.priorities.push(priority);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.priorities[parent]! <= priority) break;
      this.move(parent, i);
      i = parent;
    }
    this.items[i] = item;
    this.priorities[i] = priority;
  }

  /** The item of lowest priority, removed; undefined when empty. */
  pop(): number | undefined {
    const top = this.items[0];
    const lastItem = this.items.pop();
    const lastPriority = this.priorities.pop();
    if (top === undefined || lastItem === undefined || lastPriority === undefined || this.items.length === 0) return top;
    let i = 0;
    const n = this.items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.priorities[right]! < this.priorities[left]! ? right : left;
      if (this.priorities[child]! >= lastPriority) break;
      this.move(child, i);
      i = child;
    }
    this.items[i] = lastItem;
    this.priorities[i] = lastPriority;
    return top;
  }

  private move(from: number, to: number): void {
    this.items[to] = this.items[from]!;
    this.priorities[to] = this.priorities[from]!;
  }
}

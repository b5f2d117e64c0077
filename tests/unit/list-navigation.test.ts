import { describe, expect, it } from 'vitest';
import { listKeyTarget } from '../../renderer/keyboard/list-navigation';

describe('where a list key moves the cursor', () => {
  it('moves a page at a time where the list has pages, kept within the list, and leaves Page keys alone where it has none', () => {
    expect(listKeyTarget('PageDown', 5, 200, 10)).toBe(15);
    expect(listKeyTarget('PageUp', 5, 200, 10)).toBe(0);
    expect(listKeyTarget('PageDown', 195, 200, 10)).toBe(199);
    // Nothing chosen yet: a page down from the top.
    expect(listKeyTarget('PageDown', -1, 200, 10)).toBe(10);
    expect(listKeyTarget('PageDown', 5, 200)).toBeNull();
    expect(listKeyTarget('ArrowDown', -1, 200, 10)).toBe(0);
    expect(listKeyTarget('End', 3, 200, 10)).toBe(199);
    expect(listKeyTarget('PageDown', 0, 0, 10)).toBeNull();
  });
});

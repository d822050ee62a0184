import { describe, expect, it } from 'vitest';
import { EntryIndex } from '../../../../electron/services/cache/entry-index';

// The quota's in-memory order must be the order the file's (last_used_at, id) gives, whatever the clock does.
describe('the in-memory eviction order', () => {
  it('is (last-used time, id) ascending, through touches, ties, removals and a clock that goes back', () => {
    const index = new EntryIndex([
      { id: 3, size: 30, lastUsedAt: 5 },
      { id: 1, size: 10, lastUsedAt: 5 },
      { id: 2, size: 20, lastUsedAt: 9 },
    ]);
    expect(index.oldest(Number.POSITIVE_INFINITY, [])).toEqual([1, 3, 2]);
    index.touch(1, 10);
    index.touch(3, 4); // older than it was: ignored, as the file's UPDATE ignores it
    expect(index.oldest(Number.POSITIVE_INFINITY, [])).toEqual([3, 2, 1]);
    index.set({ id: 4, size: 40, lastUsedAt: 1 }); // the clock went back
    index.touch(2, 10); // a tie with 1, and 1's id is smaller
    expect(index.oldest(Number.POSITIVE_INFINITY, [])).toEqual([4, 3, 1, 2]);
    index.remove(3);
    expect(index.oldest(45, [4])).toEqual([1, 2]);
    expect(index.oldest(5, [])).toEqual([4]);
    expect({ entries: index.entries, bytes: index.bytes }).toEqual({ entries: 3, bytes: 70 });
  });
});

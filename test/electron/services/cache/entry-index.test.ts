import { describe, expect, it } from 'vitest';
import { EntryIndex } from '../../../../electron/services/cache/entry-index';

// The quota's in-memory order must be the order the file's (last_used_at, id) gives, whatever the clock does.
describe('the in-memory eviction order', () => {
  it('is (last-used time, id) ascending, through touches, ties, removals and a clock that goes back', () => {
    const index = new EntryIndex([
      { id: 3, key: 'k3', size: 30, lastUsedAt: 5 },
      { id: 1, key: 'k1', size: 10, lastUsedAt: 5 },
      { id: 2, key: 'k2', size: 20, lastUsedAt: 9 },
    ]);
    expect(index.oldest(Number.POSITIVE_INFINITY, [])).toEqual([1, 3, 2]);
    index.touch(1, 10);
    index.touch(3, 4); // older than it was: ignored, as the file's UPDATE ignores it
    expect(index.oldest(Number.POSITIVE_INFINITY, [])).toEqual([3, 2, 1]);
    index.set({ id: 4, key: 'k4', size: 40, lastUsedAt: 1 }); // the clock went back
    index.touch(2, 10); // a tie with 1, and 1's id is smaller
    expect(index.oldest(Number.POSITIVE_INFINITY, [])).toEqual([4, 3, 1, 2]);
    index.remove(3);
    expect(index.oldest(45, [4])).toEqual([1, 2]);
    expect(index.oldest(5, [])).toEqual([4]);
    expect({ entries: index.entries, bytes: index.bytes }).toEqual({ entries: 3, bytes: 70 });
  });

  it('names one entry per key: a later entry under a key replaces the earlier, and a load says which went', () => {
    const index = new EntryIndex([
      { id: 1, key: 'acme/evd-1', size: 10, lastUsedAt: 1 },
      { id: 2, key: 'acme/evd-2', size: 20, lastUsedAt: 2 },
      { id: 3, key: 'acme/evd-1', size: 30, lastUsedAt: 3 },
    ]);
    expect(index.superseded).toEqual([1]);
    expect(index.find('acme/evd-1')).toMatchObject({ id: 3, size: 30 });
    expect(index.set({ id: 4, key: 'acme/evd-2', size: 40, lastUsedAt: 4 })).toBe(2);
    expect(index.find('acme/evd-2')).toMatchObject({ id: 4, size: 40 });
    index.remove(4);
    expect(index.find('acme/evd-2')).toBeUndefined();
    expect(index.oldest(Number.POSITIVE_INFINITY, [])).toEqual([3]);
    expect({ entries: index.entries, bytes: index.bytes }).toEqual({ entries: 1, bytes: 30 });
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUOTA_BYTES } from '../../../../electron/services/cache/evidence-cache';
import { alice, bob, openCache, rawDb, snapshot, tempDir, tenant, testVault, value } from './cache-helpers';

const { vault } = testVault('quota');
const dirs: (() => void)[] = [];
afterAll(async () => {
  await vault.deleteProfile(alice);
  await vault.deleteProfile(bob);
  for (const remove of dirs) remove();
});

const KiB = 1024;

function cacheWithClock(quotaBytes?: number) {
  const dir = tempDir();
  dirs.push(dir.remove);
  let time = 0;
  const cache = openCache({ file: dir.file, vault, now: () => time, ...(quotaBytes ? { quotaBytes } : {}) });
  return { cache, file: dir.file, at: (t: number) => (time = t) };
}

const ids = (entries: { snapshotId: string }[]) => entries.map((e) => e.snapshotId).sort();

describe('the evidence cache quota', () => {
  it('defaults to 512 MiB and reports entries, bytes and quota', async () => {
    const { cache } = cacheWithClock();
    value(await cache.put(tenant(alice), snapshot('evd-1', randomBytes(1000))));
    expect(value(cache.stats())).toEqual({ entries: 1, bytes: 1000, quotaBytes: DEFAULT_QUOTA_BYTES });
    expect(DEFAULT_QUOTA_BYTES).toBe(512 * 1024 * 1024);
    cache.close();
  });

  it('evicts the least recently used entries, across all tenants, when a put would exceed the quota', async () => {
    const { cache, at } = cacheWithClock(300 * KiB);
    at(1);
    value(await cache.put(tenant(alice, 'acme'), snapshot('evd-a', randomBytes(100 * KiB))));
    at(2);
    value(await cache.put(tenant(bob, 'globex'), snapshot('evd-b', randomBytes(100 * KiB))));
    at(3);
    value(await cache.put(tenant(alice, 'acme', 'test'), snapshot('evd-c', randomBytes(100 * KiB))));
    at(4);
    value(await cache.get(tenant(alice, 'acme'), 'evd-a')); // a is now more recently used than b and c
    at(5);
    value(await cache.put(tenant(alice, 'acme'), snapshot('evd-d', randomBytes(100 * KiB))));
    expect(ids(value(cache.list(tenant(bob, 'globex'))))).toEqual([]);
    expect(ids(value(cache.list(tenant(alice, 'acme'))))).toEqual(['evd-a', 'evd-d']);
    expect(value(cache.stats())).toMatchObject({ entries: 3, bytes: 300 * KiB });
    at(6); // c (used at 3), then a (used at 4) make room; d (5) stays
    value(await cache.put(tenant(alice, 'acme'), snapshot('evd-e', randomBytes(150 * KiB))));
    expect(ids(value(cache.list(tenant(alice, 'acme', 'test'))))).toEqual([]);
    expect(ids(value(cache.list(tenant(alice, 'acme'))))).toEqual(['evd-d', 'evd-e']);
    expect(value(cache.stats())).toMatchObject({ entries: 2, bytes: 250 * KiB });
    cache.close();
  });

  it('keeps the last-used time a get recorded, across a restart', async () => {
    const dir = tempDir();
    dirs.push(dir.remove);
    let time = 10;
    const first = openCache({ file: dir.file, vault, now: () => time });
    value(await first.put(tenant(alice), snapshot('evd-1')));
    time = 20;
    value(await first.get(tenant(alice), 'evd-1'));
    first.close();
    const second = openCache({ file: dir.file, vault });
    expect(value(second.list(tenant(alice)))[0]).toMatchObject({ cachedAt: 10, lastUsedAt: 20 });
    second.close();
  });

  it('refuses an entry bigger than the whole quota, and evicts nothing for it', async () => {
    const { cache } = cacheWithClock(100 * KiB);
    value(await cache.put(tenant(alice), snapshot('evd-small', randomBytes(10 * KiB))));
    const big = await cache.put(tenant(alice), snapshot('evd-big', randomBytes(100 * KiB + 1)));
    expect(big.ok).toBe(false);
    if (!big.ok) {
      expect(big.error.code).toBe('payload-too-large');
      expect(big.error.message).toMatch(/larger than the whole offline cache quota/);
    }
    expect(ids(value(cache.list(tenant(alice))))).toEqual(['evd-small']);
    value(await cache.put(tenant(alice), snapshot('evd-exact', randomBytes(100 * KiB))));
    expect(ids(value(cache.list(tenant(alice))))).toEqual(['evd-exact']);
    cache.close();
  });

  it('applies a smaller quota at once, keeping the most recently used entries', async () => {
    const { cache, at } = cacheWithClock(1024 * KiB);
    for (let i = 1; i <= 5; i++) {
      at(i);
      value(await cache.put(tenant(alice), snapshot(`evd-${i}`, randomBytes(100 * KiB))));
    }
    at(10);
    value(await cache.get(tenant(alice), 'evd-1'));
    expect(value(cache.setQuota(250 * KiB))).toEqual({ entries: 2, bytes: 200 * KiB, quotaBytes: 250 * KiB });
    expect(ids(value(cache.list(tenant(alice))))).toEqual(['evd-1', 'evd-5']);
    cache.close();
  });

  it('counts a snapshot put again once, not twice', async () => {
    const { cache } = cacheWithClock();
    value(await cache.put(tenant(alice), snapshot('evd-1', randomBytes(1000))));
    value(await cache.put(tenant(alice), snapshot('evd-1', randomBytes(3000))));
    expect(value(cache.stats())).toMatchObject({ entries: 1, bytes: 3000 });
    expect(value(await cache.get(tenant(alice), 'evd-1')).size).toBe(3000);
    cache.close();
  });

  it('clear() removes every entry and every data key', async () => {
    const { cache, file } = cacheWithClock();
    value(await cache.put(tenant(alice), snapshot('evd-1')));
    value(await cache.put(tenant(bob), snapshot('evd-2')));
    value(cache.clear());
    expect(value(cache.stats())).toMatchObject({ entries: 0, bytes: 0 });
    const db = rawDb(file);
    expect(
      db.prepare('SELECT (SELECT count(*) FROM data_keys) + (SELECT count(*) FROM entries)').pluck().get(),
    ).toBe(0);
    db.close();
    const bytes = randomBytes(100);
    value(await cache.put(tenant(alice), snapshot('evd-3', bytes)));
    expect(value(await cache.get(tenant(alice), 'evd-3')).bytes.equals(bytes)).toBe(true);
    cache.close();
  });
});

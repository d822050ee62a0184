import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_MIGRATIONS, CACHE_PAGE_SIZE } from '../../../../electron/services/cache/cache-store';
import { alice, bob, openCache, rawDb, snapshot, tempDir, tenant, testVault, value } from './cache-helpers';

const { vault } = testVault('layout');
const dirs: (() => void)[] = [];
afterAll(async () => {
  await vault.deleteProfile(alice);
  await vault.deleteProfile(bob);
  for (const remove of dirs) remove();
});

function fresh() {
  const dir = tempDir();
  dirs.push(dir.remove);
  return dir;
}

const KiB = 1024;

// The first layout, as caches written before version 2 hold it: the store's own first step.
const VERSION_1 = CACHE_MIGRATIONS[0] as string;

const META = `profile, organization, environment, snapshot_id, name, media_type, size, sha256, request_id,
  cached_at, last_used_at`;

/** A version-1 file holding what `source` holds: real entries sealed by the cache, split as v1 split them. */
function asVersion1(source: string, target: string): void {
  const db = rawDb(target);
  db.pragma(`page_size = ${CACHE_PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.exec(VERSION_1);
  db.exec(`ATTACH DATABASE '${source}' AS v2`);
  db.exec(`INSERT INTO data_keys SELECT * FROM v2.data_keys;
    INSERT INTO entries (id, ${META}) SELECT id, ${META} FROM v2.entries;
    INSERT INTO blobs SELECT id, nonce, tag, ciphertext FROM v2.entries;
    INSERT INTO checkpoints SELECT * FROM v2.checkpoints;`);
  db.exec('DETACH DATABASE v2');
  db.pragma('user_version = 1');
  db.close();
}

/** A version-3 file (snapshot ids under a unique index) holding `source`'s entries and use times. */
function asVersion3(source: string, target: string): void {
  const db = rawDb(target);
  db.pragma(`page_size = ${CACHE_PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  for (const step of CACHE_MIGRATIONS.slice(0, 3)) db.exec(step);
  db.exec(`ATTACH DATABASE '${source}' AS v4`);
  db.exec(`INSERT INTO data_keys SELECT * FROM v4.data_keys;
    INSERT INTO entries SELECT * FROM v4.entries;
    INSERT INTO entry_uses SELECT * FROM v4.entry_uses;`);
  db.exec('DETACH DATABASE v4');
  db.pragma('user_version = 3');
  db.close();
}

describe('the cache file layout', () => {
  it('migrates a version-1 cache: every entry readable, its ids, totals and least-recently-used order kept', async () => {
    const source = fresh();
    let time = 100;
    const cache = openCache({ file: source.file, vault, now: () => time });
    const stored = new Map<string, Buffer>();
    for (const [i, [who, org]] of [
      [alice, 'acme'],
      [alice, 'globex'],
      [bob, 'acme'],
      [alice, 'acme'],
    ].entries()) {
      const bytes = randomBytes(40 * KiB + i);
      stored.set(`evd-${i}`, bytes);
      time = 100 + i;
      value(await cache.put(tenant(who as typeof alice, org as string), snapshot(`evd-${i}`, bytes)));
    }
    value(
      cache.saveCheckpoint(alice, 'https://platform.example.com', {
        size: 3,
        root: 'r'.repeat(64),
        note: 'n',
      }),
    );
    // evd-0 used last: the oldest are now evd-1, then evd-2.
    time = 200;
    value(await cache.get(tenant(alice, 'acme'), 'evd-0'));
    cache.close();
    const before = rawDb(source.file);
    const ids = before.prepare('SELECT snapshot_id, id FROM entries ORDER BY id').all();
    before.close();

    const old = fresh();
    asVersion1(source.file, old.file);
    const migrated = openCache({ file: old.file, vault });
    const raw = rawDb(old.file);
    expect(raw.pragma('user_version', { simple: true })).toBe(CACHE_MIGRATIONS.length);
    const names = raw
      .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index', 'trigger')")
      .pluck();
    for (const gone of ['blobs', 'totals', 'entries_lru', 'entries_added', 'entries_removed'])
      expect(names.all()).not.toContain(gone);
    expect(raw.prepare('SELECT snapshot_id, id FROM entries ORDER BY id').all()).toEqual(ids);
    raw.close();

    expect(value(migrated.stats())).toMatchObject({ entries: 4, bytes: 4 * 40 * KiB + 6 });
    expect(value(migrated.checkpoints(alice, 'https://platform.example.com'))).toHaveLength(1);
    const where = {
      'evd-0': tenant(alice, 'acme'),
      'evd-1': tenant(alice, 'globex'),
      'evd-2': tenant(bob, 'acme'),
    };
    for (const [id, at] of [...Object.entries(where), ['evd-3', tenant(alice, 'acme')] as const])
      expect(value(await migrated.get(at, id)).bytes.equals(stored.get(id) as Buffer)).toBe(true);
    migrated.close();

    // The order the quota evicts in is read from the file at open (the reads above made every entry
    // recent, so the file is given an order to find).
    const rewind = rawDb(old.file);
    rewind.exec(
      "UPDATE entries SET last_used_at = CASE snapshot_id WHEN 'evd-1' THEN 1 WHEN 'evd-2' THEN 2 ELSE 3 END",
    );
    rewind.exec('DELETE FROM entry_uses');
    rewind.close();
    const ordered = openCache({ file: old.file, vault, now: () => 300 });
    value(ordered.setQuota(3 * 40 * KiB + 6));
    expect(value(ordered.list(tenant(alice, 'globex')))).toEqual([]);
    expect(value(ordered.list(tenant(bob, 'acme')))).toHaveLength(1);
    value(ordered.setQuota(2 * 40 * KiB + 6));
    expect(value(ordered.list(tenant(bob, 'acme')))).toEqual([]);
    expect(
      value(ordered.list(tenant(alice, 'acme')))
        .map((e) => e.snapshotId)
        .sort(),
    ).toEqual(['evd-0', 'evd-3']);
    ordered.close();
  });

  it('migrates a version-3 cache: the snapshot-id index goes, rows, ids and use times stay, a put still replaces', async () => {
    const source = fresh();
    let time = 100;
    const cache = openCache({ file: source.file, vault, now: () => time });
    for (let i = 0; i < 3; i++) {
      time = 100 + i;
      value(await cache.put(tenant(alice), snapshot(`evd-${i}`, randomBytes(40 * KiB))));
    }
    // evd-0 read last, so evd-1 is the oldest; the read is in entry_uses once listed.
    time = 200;
    value(await cache.get(tenant(alice), 'evd-0'));
    value(cache.list(tenant(alice)));
    cache.close();
    const before = rawDb(source.file);
    const rows = before.prepare('SELECT id, snapshot_id, sha256 FROM entries ORDER BY id').all();
    const uses = before.prepare('SELECT * FROM entry_uses ORDER BY entry_id').all();
    before.close();
    expect(uses).toHaveLength(1);

    const old = fresh();
    asVersion3(source.file, old.file);
    const check = rawDb(old.file);
    expect(check.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index'").pluck().get()).toBe(1);
    check.close();

    const migrated = openCache({ file: old.file, vault, now: () => 300 });
    const raw = rawDb(old.file);
    expect(raw.pragma('user_version', { simple: true })).toBe(CACHE_MIGRATIONS.length);
    expect(
      raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'entries'").all(),
    ).toEqual([]);
    expect(raw.prepare('SELECT id, snapshot_id, sha256 FROM entries ORDER BY id').all()).toEqual(rows);
    expect(raw.prepare('SELECT * FROM entry_uses ORDER BY entry_id').all()).toEqual(uses);
    raw.close();

    // A put over an old entry replaces it: one row for the snapshot, totals unchanged.
    const replacement = randomBytes(40 * KiB);
    value(await migrated.put(tenant(alice), snapshot('evd-2', replacement)));
    expect(value(migrated.stats())).toMatchObject({ entries: 3, bytes: 3 * 40 * KiB });
    expect(value(await migrated.get(tenant(alice), 'evd-2')).bytes.equals(replacement)).toBe(true);
    // The oldest by use is evd-1 (evd-0 was read at 200): the quota evicts it first.
    value(migrated.setQuota(2 * 40 * KiB));
    expect(
      value(migrated.list(tenant(alice)))
        .map((e) => e.snapshotId)
        .sort(),
    ).toEqual(['evd-0', 'evd-2']);
    migrated.close();
  });

  it('writes one row a put and no index entry: at most 6.5 WAL pages for 64 KiB (4 of them the blob)', async () => {
    const { file } = fresh();
    const cache = openCache({ file, vault });
    for (let i = 0; i < 200; i++)
      value(await cache.put(tenant(alice), snapshot(`evd-${i}`, randomBytes(64 * KiB))));
    // The checkpoint thread is idle, so nothing but what follows writes the WAL.
    await cache.settled();
    const observer = rawDb(file);
    expect(observer.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
    const puts = 20;
    for (let i = 0; i < puts; i++)
      value(await cache.put(tenant(alice), snapshot(`new-${i}`, randomBytes(64 * KiB))));
    const [state] = observer.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    observer.close();
    // Blob overflow (4), the row's own page, the header page. Before version 4 the snapshot-id index's
    // page added one (7 a put); before version 2, the blob's row, the last-used index and the totals row
    // added three more (about 10).
    expect((state?.log ?? 0) / puts).toBeLessThanOrEqual(6.5);
    cache.close();
  });

  it('records reads apart from the entries: 256 reads of 64 KiB snapshots write a page or two', async () => {
    const { file } = fresh();
    let time = 1_000;
    const cache = openCache({ file, vault, now: () => time });
    for (let i = 0; i < 300; i++)
      value(await cache.put(tenant(alice), snapshot(`evd-${i}`, randomBytes(64 * KiB))));
    // The checkpoint thread is idle, so nothing but what follows writes the WAL.
    await cache.settled();
    const observer = rawDb(file);
    expect(observer.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
    time = 2_000;
    for (let i = 0; i < 256; i++) value(await cache.get(tenant(alice), `evd-${i}`));
    // A listing writes the reads not yet in the file, and orders by them.
    time = 3_000;
    expect(value(cache.list(tenant(alice), { limit: 1 }))[0]).toMatchObject({ lastUsedAt: 2_000 });
    const [state] = observer.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    observer.close();
    // The use rows of 256 entries fit a page or two. In the entry's own row, a read rewrote the row's page
    // (32 here) and SQLite read the whole blob back to compare it with the new row's.
    expect(state?.log ?? 0).toBeGreaterThan(0);
    expect(state?.log ?? 0).toBeLessThanOrEqual(8);
    cache.close();

    // The order holds across a restart: the 44 never read go first.
    const reopened = openCache({ file, vault, now: () => 4_000 });
    value(reopened.setQuota(256 * 64 * KiB));
    expect(value(reopened.list(tenant(alice), { limit: 1000 }))).toHaveLength(256);
    expect(value(reopened.list(tenant(alice), { query: 'evd-299' }))).toEqual([]);
    reopened.close();
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache, rawDb, sha256, spawnCacheChild, tempDir, testVault, value } from './cache-helpers';

// The fixture's profile, tenants and quota (test/fixtures/cache-crash-child.ts).
const profile = { platformOrigin: 'https://platform.example.com', principalId: 'usr_crash' };
const tenants = [
  { profile, organization: 'acme', environment: 'live' as const },
  { profile, organization: 'globex', environment: 'test' as const },
  { profile, organization: 'initech', environment: 'live' as const },
];
const QUOTA = 2 * 1024 * 1024;
const KILLS = 30;

const { vault, service } = testVault('crash');
const dir = tempDir();
afterAll(async () => {
  await vault.deleteProfile(profile);
  dir.remove();
});

/**
 * Raw invariants: every entry's blob whole (metadata and blob are one row, so neither exists without the
 * other), the entries within the quota. Totals are kept in memory and counted from these rows at open.
 */
function rawInvariants(file: string) {
  const db = rawDb(file);
  const one = (sql: string) => db.prepare(sql).pluck().get();
  const result = {
    truncatedBlobs: one(
      `SELECT count(*) FROM entries
       WHERE length(ciphertext) != size OR length(nonce) != 12 OR length(tag) != 16`,
    ),
    overQuota: one(`SELECT coalesce(sum(size), 0) > ${QUOTA} FROM entries`),
    totals: db.prepare('SELECT count(*) AS entries, coalesce(sum(size), 0) AS bytes FROM entries').get(),
    integrity: one('PRAGMA integrity_check'),
  };
  db.close();
  return result;
}

describe('crash safety', () => {
  it(`after ${KILLS} SIGKILLs at random moments during puts, every entry is whole, decrypts and matches its hash`, async () => {
    let verified = 0;
    let committedPuts = 0;
    for (let round = 0; round < KILLS; round++) {
      const child = spawnCacheChild(dir.file, service, 'put');
      await child.waitFor((line) => line === 'ready');
      await sleep(Math.floor(Math.random() * 120));
      await child.kill();
      const committed = child.lines.filter((l) => l.startsWith('put ')).map((l) => l.slice(4));
      committedPuts += committed.length;

      expect(rawInvariants(dir.file)).toEqual({
        truncatedBlobs: 0,
        overQuota: 0,
        totals: expect.anything(),
        integrity: 'ok',
      });
      const cache = openCache({ file: dir.file, vault, quotaBytes: QUOTA });
      // The totals the quota works from, counted at open, are the rows that committed.
      expect(value(cache.stats())).toMatchObject(rawInvariants(dir.file).totals as object);
      const seen: string[] = [];
      for (const at of tenants) {
        for (const meta of value(cache.list(at, { limit: 1000 }))) {
          const got = value(await cache.get(at, meta.snapshotId));
          expect(got.bytes.length).toBe(meta.size);
          expect(sha256(got.bytes)).toBe(meta.sha256);
          seen.push(meta.snapshotId);
          verified++;
        }
      }
      // A put the child saw committed survived the kill (the newest are never the ones evicted).
      expect(seen).toContain(committed.at(-1));
      cache.close();
    }
    expect(committedPuts).toBeGreaterThan(KILLS);
    expect(verified).toBeGreaterThan(KILLS);
  }, 120_000);
});

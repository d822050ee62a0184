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

/** Raw invariants: no entry without its whole blob, no blob without its entry, totals that add up. */
function rawInvariants(file: string) {
  const db = rawDb(file);
  const one = (sql: string) => db.prepare(sql).pluck().get();
  const result = {
    entriesWithoutBlob: one(
      'SELECT count(*) FROM entries e LEFT JOIN blobs b ON b.entry_id = e.id WHERE b.entry_id IS NULL',
    ),
    blobsWithoutEntry: one(
      'SELECT count(*) FROM blobs b LEFT JOIN entries e ON e.id = b.entry_id WHERE e.id IS NULL',
    ),
    truncatedBlobs: one(
      `SELECT count(*) FROM entries e JOIN blobs b ON b.entry_id = e.id
       WHERE length(b.ciphertext) != e.size OR length(b.nonce) != 12 OR length(b.tag) != 16`,
    ),
    totalsMismatch: one(
      `SELECT count(*) FROM totals t WHERE t.entries != (SELECT count(*) FROM entries)
       OR t.bytes != (SELECT coalesce(sum(size), 0) FROM entries)`,
    ),
    overQuota: one(`SELECT count(*) FROM totals WHERE bytes > ${QUOTA}`),
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
        entriesWithoutBlob: 0,
        blobsWithoutEntry: 0,
        truncatedBlobs: 0,
        totalsMismatch: 0,
        overQuota: 0,
        integrity: 'ok',
      });
      const cache = openCache({ file: dir.file, vault, quotaBytes: QUOTA });
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

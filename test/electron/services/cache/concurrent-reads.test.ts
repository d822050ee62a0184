import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { alice, openCache, rawDb, snapshot, tempDir, tenant, testVault, value } from './cache-helpers';

// Reads in flight together open their snapshots on worker threads, small ones included (one read alone
// opens a small snapshot in place): the answers must be the same either way.
const { vault } = testVault('concurrent');
const dirs: (() => void)[] = [];
afterAll(async () => {
  await vault.deleteProfile(alice);
  for (const remove of dirs) remove();
});

describe('reads in flight together', () => {
  it('answer every snapshot whole, and still discard the one that fails its integrity check', async () => {
    const dir = tempDir();
    dirs.push(dir.remove);
    const cache = openCache({ file: dir.file, vault });
    const sizes = [0, 1, 2048, 70_000, 2 * 1024 * 1024];
    const stored = new Map<string, Buffer>();
    for (let i = 0; i < 12; i++) {
      const bytes = randomBytes(sizes[i % sizes.length] as number);
      stored.set(`evd-${i}`, bytes);
      value(await cache.put(tenant(alice), snapshot(`evd-${i}`, bytes)));
    }
    const db = rawDb(dir.file);
    const id = db.prepare("SELECT id FROM entries WHERE snapshot_id = 'evd-3'").pluck().get() as number;
    const { ciphertext } = db.prepare('SELECT ciphertext FROM entries WHERE id = ?').get(id) as {
      ciphertext: Buffer;
    };
    ciphertext[100] = (ciphertext[100] as number) ^ 1;
    db.prepare('UPDATE entries SET ciphertext = ? WHERE id = ?').run(ciphertext, id);
    db.close();

    const ids = [...stored.keys(), ...stored.keys()];
    const results = await Promise.all(ids.map((snapshotId) => cache.get(tenant(alice), snapshotId)));
    results.forEach((result, i) => {
      const snapshotId = ids[i] as string;
      if (snapshotId === 'evd-3') {
        // The first read finds it tampered and discards it; the second finds it gone, or tampered too.
        expect(result.ok ? 'ok' : result.error.code).toMatch(/^(conflict|not-found)$/);
      } else {
        expect(result.ok && Buffer.compare(result.value.bytes, stored.get(snapshotId) as Buffer)).toBe(0);
      }
    });
    const again = await cache.get(tenant(alice), 'evd-3');
    expect(again.ok ? 'ok' : again.error.code).toBe('not-found');
    cache.close();
  });
});

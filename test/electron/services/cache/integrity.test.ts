import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../../shared/result';
import {
  alice,
  bob,
  openCache,
  rawDb,
  sha256,
  snapshot,
  tempDir,
  tenant,
  testVault,
  value,
} from './cache-helpers';

const { vault } = testVault('integrity');
const dirs: (() => void)[] = [];
function fresh() {
  const dir = tempDir();
  dirs.push(dir.remove);
  return dir;
}
afterAll(async () => {
  await vault.deleteProfile(alice);
  await vault.deleteProfile(bob);
  for (const remove of dirs) remove();
});

function expectDiscarded(result: Result<unknown>, dir: string) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('conflict');
  expect(result.error.message).toMatch(/failed its integrity check and was discarded/);
  expect(result.error.message).not.toContain(dir);
}

function entryId(file: string, profile: string, organization: string, snapshotId: string): number {
  const db = rawDb(file);
  const id = db
    .prepare('SELECT id FROM entries WHERE profile = ? AND organization = ? AND snapshot_id = ?')
    .pluck()
    .get(`https://platform.example.com|${profile}`, organization, snapshotId) as number;
  db.close();
  return id;
}

describe('the evidence cache on read', () => {
  it('discards and reports an entry whose ciphertext was tampered with', async () => {
    const { dir, file } = fresh();
    const cache = openCache({ file, vault });
    value(await cache.put(tenant(alice), snapshot('evd-1', randomBytes(70_000))));
    const db = rawDb(file);
    const { ciphertext } = db.prepare('SELECT ciphertext FROM entries').get() as { ciphertext: Buffer };
    ciphertext[40_000] = (ciphertext[40_000] as number) ^ 0x80;
    db.prepare('UPDATE entries SET ciphertext = ?').run(ciphertext);
    db.close();
    expectDiscarded(await cache.get(tenant(alice), 'evd-1'), dir);
    expect(value(cache.list(tenant(alice)))).toEqual([]);
    const again = await cache.get(tenant(alice), 'evd-1');
    expect(again.ok ? 'ok' : again.error.code).toBe('not-found');
    expect(value(cache.stats())).toMatchObject({ entries: 0, bytes: 0 });
    cache.close();
  });

  it('discards a blob swapped in from another tenant or another snapshot (the associated data differs)', async () => {
    const { dir, file } = fresh();
    const cache = openCache({ file, vault });
    value(await cache.put(tenant(alice, 'acme'), snapshot('evd-1')));
    value(await cache.put(tenant(alice, 'acme'), snapshot('evd-2')));
    value(await cache.put(tenant(alice, 'globex'), snapshot('evd-1')));
    value(await cache.put(tenant(bob, 'acme'), snapshot('evd-1')));
    const source = entryId(file, 'usr_alice', 'acme', 'evd-1');
    const db = rawDb(file);
    const copy = db.prepare(
      `UPDATE entries SET (nonce, tag, ciphertext) = (SELECT nonce, tag, ciphertext FROM entries WHERE id = ?)
       WHERE id = ?`,
    );
    copy.run(source, entryId(file, 'usr_alice', 'acme', 'evd-2'));
    copy.run(source, entryId(file, 'usr_alice', 'globex', 'evd-1'));
    copy.run(source, entryId(file, 'usr_bob', 'acme', 'evd-1'));
    db.close();
    expectDiscarded(await cache.get(tenant(alice, 'acme'), 'evd-2'), dir);
    expectDiscarded(await cache.get(tenant(alice, 'globex'), 'evd-1'), dir);
    expectDiscarded(await cache.get(tenant(bob, 'acme'), 'evd-1'), dir);
    expect(value(await cache.get(tenant(alice, 'acme'), 'evd-1')).snapshotId).toBe('evd-1');
    cache.close();
  });

  it('discards an entry whose stored hash was changed (the hash is bound into the associated data)', async () => {
    const { dir, file } = fresh();
    const cache = openCache({ file, vault });
    value(await cache.put(tenant(alice), snapshot('evd-1')));
    const db = rawDb(file);
    db.prepare('UPDATE entries SET sha256 = ?').run(sha256(Buffer.from('other evidence')));
    db.close();
    expectDiscarded(await cache.get(tenant(alice), 'evd-1'), dir);
    cache.close();
  });

  it('discards an entry when the platform now publishes a different hash than the cached one', async () => {
    const { dir, file } = fresh();
    const cache = openCache({ file, vault });
    const bytes = randomBytes(1000);
    value(await cache.put(tenant(alice), snapshot('evd-1', bytes)));
    value(await cache.put(tenant(alice), snapshot('evd-2', bytes)));
    const matching = await cache.get(tenant(alice), 'evd-1', { expectedSha256: sha256(bytes).toUpperCase() });
    expect(value(matching).bytes.equals(bytes)).toBe(true);
    expectDiscarded(await cache.get(tenant(alice), 'evd-2', { expectedSha256: sha256(randomBytes(8)) }), dir);
    expect(value(cache.list(tenant(alice))).map((e) => e.snapshotId)).toEqual(['evd-1']);
    cache.close();
  });

  it('discards entries whose data key no master key in the keychain can unwrap, and starts the tenant anew', async () => {
    const { dir, file } = fresh();
    const { vault: own } = testVault('lost-master');
    const first = openCache({ file, vault: own });
    value(await first.put(tenant(alice), snapshot('evd-1')));
    value(await first.put(tenant(alice), snapshot('evd-2')));
    first.close();
    await own.delete(alice, 'cache-master-key');
    const second = openCache({ file, vault: own });
    expectDiscarded(await second.get(tenant(alice), 'evd-1'), dir);
    expect(value(second.list(tenant(alice)))).toEqual([]);
    const bytes = randomBytes(100);
    value(await second.put(tenant(alice), snapshot('evd-3', bytes)));
    expect(value(await second.get(tenant(alice), 'evd-3')).bytes.equals(bytes)).toBe(true);
    second.close();
    await own.deleteProfile(alice);
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import keytar from 'keytar';
import { afterAll, describe, expect, it } from 'vitest';
import {
  alice,
  bob,
  masterKeyId,
  openCache,
  rawDb,
  snapshot,
  tempDir,
  tenant,
  testVault,
  value,
} from './cache-helpers';

const { vault, service } = testVault('service');
/** A profile of its own for tests that watch the keychain. */
const lister = { ...alice, principalId: 'usr_lister' };

/** The kinds of secret the keychain holds for `lister`, read from the keychain itself. */
async function listerSecrets(): Promise<string[]> {
  const prefix = `${lister.platformOrigin}|${lister.principalId}#`;
  return (await keytar.findCredentials(service))
    .map((c) => c.account)
    .filter((a) => a.startsWith(prefix))
    .map((a) => a.slice(prefix.length))
    .sort();
}
const dirs: (() => void)[] = [];
function fresh() {
  const dir = tempDir();
  dirs.push(dir.remove);
  return dir;
}
afterAll(async () => {
  await vault.deleteProfile(alice);
  await vault.deleteProfile(bob);
  await vault.deleteProfile(lister);
  for (const remove of dirs) remove();
});

describe('the evidence cache', () => {
  it('gives back the exact bytes and metadata of a snapshot it was given', async () => {
    const { file } = fresh();
    const cache = openCache({ file, vault, now: () => 1_000 });
    const bytes = randomBytes(100_000);
    const put = value(
      await cache.put(tenant(alice), snapshot('evd-1', bytes, { name: 'Q3 ledger.pdf', requestId: 'apr_1' })),
    );
    expect(put).toMatchObject({
      snapshotId: 'evd-1',
      name: 'Q3 ledger.pdf',
      size: 100_000,
      requestId: 'apr_1',
    });
    const got = value(await cache.get(tenant(alice), 'evd-1'));
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(got).toMatchObject({
      snapshotId: 'evd-1',
      name: 'Q3 ledger.pdf',
      mediaType: 'application/pdf',
      size: 100_000,
      sha256: put.sha256,
      requestId: 'apr_1',
      cachedAt: 1_000,
      lastUsedAt: 1_000,
    });
    cache.close();
  });

  it('re-opens snapshots from disk after a restart, with nothing but the file and the keychain', async () => {
    const { file } = fresh();
    const first = openCache({ file, vault });
    const bytes = randomBytes(5000);
    value(await first.put(tenant(alice), snapshot('evd-restart', bytes)));
    first.close();
    const second = openCache({ file, vault: testVault('service').vault });
    expect(value(await second.get(tenant(alice), 'evd-restart')).bytes.equals(bytes)).toBe(true);
    second.close();
  });

  it('keeps the database file readable by its owner only', async () => {
    const { file } = fresh();
    const cache = openCache({ file, vault });
    value(await cache.put(tenant(alice), snapshot('evd-mode')));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    cache.close();
  });

  it('creates one master key per profile in the keychain on first use: 32 random bytes, base64', async () => {
    const { file } = fresh();
    const { vault: own } = testVault('first-use');
    const cache = openCache({ file, vault: own });
    expect((await cache.get(tenant(alice), 'evd-none')).ok).toBe(false);
    expect(value(cache.list(tenant(alice)))).toEqual([]);
    expect(await own.get(alice, 'cache-master-key')).toBeUndefined();
    value(await cache.put(tenant(alice), snapshot('evd-a')));
    value(await cache.put(tenant(alice, 'globex'), snapshot('evd-b')));
    value(await cache.put(tenant(bob), snapshot('evd-c')));
    const aliceKey = (await own.get(alice, 'cache-master-key')) as string;
    const bobKey = (await own.get(bob, 'cache-master-key')) as string;
    expect(Buffer.from(aliceKey, 'base64')).toHaveLength(32);
    expect(Buffer.from(aliceKey, 'base64').toString('base64')).toBe(aliceKey);
    expect(bobKey).not.toBe(aliceKey);
    const db = rawDb(file);
    const rows = db
      .prepare('SELECT profile, organization, environment, master_key_id FROM data_keys ORDER BY 1, 2')
      .all();
    db.close();
    expect(rows).toEqual([
      {
        profile: 'https://platform.example.com|usr_alice',
        organization: 'acme',
        environment: 'live',
        master_key_id: masterKeyId(aliceKey),
      },
      {
        profile: 'https://platform.example.com|usr_alice',
        organization: 'globex',
        environment: 'live',
        master_key_id: masterKeyId(aliceKey),
      },
      {
        profile: 'https://platform.example.com|usr_bob',
        organization: 'acme',
        environment: 'live',
        master_key_id: masterKeyId(bobKey),
      },
    ]);
    cache.close();
    await own.deleteProfile(alice);
    await own.deleteProfile(bob);
  });

  it('gives concurrent first puts and reads of a tenant one data key between them', async () => {
    const { file } = fresh();
    const first = openCache({ file, vault });
    const contents = Array.from({ length: 8 }, () => randomBytes(1000));
    const puts = await Promise.all(
      contents.map((b, i) => first.put(tenant(alice, 'initech'), snapshot(`evd-${i}`, b))),
    );
    expect(puts.every((r) => r.ok)).toBe(true);
    first.close();
    const second = openCache({ file, vault });
    const reads = await Promise.all(contents.map((_, i) => second.get(tenant(alice, 'initech'), `evd-${i}`)));
    expect(reads.map((r, i) => r.ok && r.value.bytes.equals(contents[i] as Buffer))).toEqual(
      Array(8).fill(true),
    );
    const db = rawDb(file);
    expect(db.prepare("SELECT count(*) FROM data_keys WHERE organization = 'initech'").pluck().get()).toBe(1);
    db.close();
    second.close();
  });

  it('scopes every entry to its profile, organization and environment', async () => {
    const { file } = fresh();
    const cache = openCache({ file, vault });
    const mine = randomBytes(300);
    const theirs = randomBytes(300);
    value(await cache.put(tenant(alice, 'acme', 'live'), snapshot('evd-same', mine)));
    value(await cache.put(tenant(bob, 'acme', 'live'), snapshot('evd-same', theirs)));
    expect(value(await cache.get(tenant(alice, 'acme', 'live'), 'evd-same')).bytes.equals(mine)).toBe(true);
    expect(value(await cache.get(tenant(bob, 'acme', 'live'), 'evd-same')).bytes.equals(theirs)).toBe(true);
    for (const elsewhere of [tenant(alice, 'acme', 'test'), tenant(alice, 'globex', 'live')]) {
      const missing = await cache.get(elsewhere, 'evd-same');
      expect(missing.ok ? 'ok' : missing.error.code).toBe('not-found');
      expect(value(cache.list(elsewhere))).toEqual([]);
    }
    expect(value(cache.list(tenant(alice))).map((e) => e.snapshotId)).toEqual(['evd-same']);
    cache.close();
  });

  it('lists metadata by name or media type substring, most recently used first, with no key to decrypt anything', async () => {
    const { file } = fresh();
    let clock = 0;
    const now = () => ++clock;
    const at = tenant(lister);
    const writer = openCache({ file, vault, now });
    value(await writer.put(at, snapshot('evd-1', undefined, { name: 'Bank statement March.pdf' })));
    value(
      await writer.put(at, snapshot('evd-2', undefined, { name: 'receipt.png', mediaType: 'image/png' })),
    );
    value(
      await writer.put(
        at,
        snapshot('evd-3', undefined, { name: 'bank-letter.txt', mediaType: 'text/plain' }),
      ),
    );
    value(await writer.get(at, 'evd-1'));
    writer.close();
    // The master key leaves the keychain: from now on no data key can be unwrapped, no blob decrypted.
    expect(await vault.deleteProfile(lister)).toBe(1);
    expect(await listerSecrets()).toEqual([]);

    const cache = openCache({ file, vault, now });
    expect(value(cache.list(at)).map((e) => e.snapshotId)).toEqual(['evd-1', 'evd-3', 'evd-2']);
    expect(value(cache.list(at, { query: 'BANK' })).map((e) => e.snapshotId)).toEqual(['evd-1', 'evd-3']);
    expect(value(cache.list(at, { query: 'image/' })).map((e) => e.snapshotId)).toEqual(['evd-2']);
    expect(value(cache.list(at, { query: '%' }))).toEqual([]);
    expect(value(cache.list(at, { limit: 1 })).map((e) => e.snapshotId)).toEqual(['evd-1']);
    const [entry] = value(cache.list(at, { query: 'receipt' }));
    expect(entry).toEqual({
      snapshotId: 'evd-2',
      name: 'receipt.png',
      mediaType: 'image/png',
      size: 2048,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      requestId: null,
      cachedAt: expect.any(Number),
      lastUsedAt: entry?.cachedAt,
    });
    // Listing did not even look for a key: the keychain still holds nothing for the profile.
    expect(await listerSecrets()).toEqual([]);
    // The metadata columns are in clear: searchable without any key.
    const db = rawDb(file);
    expect(db.prepare('SELECT name FROM entries WHERE instr(name, ?) > 0').pluck().all('bank')).toEqual([
      'bank-letter.txt',
    ]);
    db.close();
    // And the blobs really cannot be opened now: a read needs the key that is gone (and makes a new one).
    const read = await cache.get(at, 'evd-2');
    expect(read.ok).toBe(false);
    expect(await listerSecrets()).toEqual(['cache-master-key']);
    cache.close();
    await vault.deleteProfile(lister);
  });

  it('encrypts each put afresh: the same bytes put twice give different ciphertext', async () => {
    const { file } = fresh();
    const cache = openCache({ file, vault });
    const bytes = randomBytes(4096);
    value(await cache.put(tenant(alice), snapshot('evd-1', bytes)));
    value(await cache.put(tenant(alice), snapshot('evd-2', bytes)));
    const db = rawDb(file);
    const blobs = db.prepare('SELECT nonce, ciphertext FROM entries').all() as {
      nonce: Buffer;
      ciphertext: Buffer;
    }[];
    db.close();
    expect(blobs).toHaveLength(2);
    expect(blobs[0]?.nonce.equals(blobs[1]?.nonce as Buffer)).toBe(false);
    expect(blobs[0]?.ciphertext.equals(blobs[1]?.ciphertext as Buffer)).toBe(false);
    cache.close();
  });

  it('refuses to cache bytes that do not match the hash the platform published', async () => {
    const { file } = fresh();
    const cache = openCache({ file, vault });
    const result = await cache.put(tenant(alice), { ...snapshot('evd-1'), sha256: 'f'.repeat(64) });
    expect(result.ok ? 'ok' : result.error.code).toBe('conflict');
    expect(value(cache.list(tenant(alice)))).toEqual([]);
    cache.close();
  });

  it('answers malformed calls with bad-request before touching the keychain or the file', async () => {
    const { file } = fresh();
    const cache = openCache({ file, vault });
    const onDisk = () => Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    const before = onDisk();
    expect(await listerSecrets()).toEqual([]);
    const codes = [
      await cache.put({ ...tenant(lister), organization: 'Not A Slug' }, snapshot('evd-1')),
      await cache.put({ ...tenant(lister), environment: 'prod' as 'live' }, snapshot('evd-1')),
      await cache.put(
        { ...tenant(lister), profile: { platformOrigin: 'nope', principalId: 'x' } },
        snapshot('evd-1'),
      ),
      await cache.put(tenant(lister), { ...snapshot('evd-1'), snapshotId: '../etc' }),
      await cache.get(tenant(lister), 'evd-1', { expectedSha256: 'xyz' }),
      cache.list(tenant(lister), { limit: 0 }),
      cache.setQuota(-1),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toEqual(Array(7).fill('bad-request'));
    // Nothing reached the keychain (no master key was made) and not a byte of the cache changed.
    expect(await listerSecrets()).toEqual([]);
    expect(onDisk().equals(before)).toBe(true);
    expect(value(cache.stats()).entries).toBe(0);
    // The same put, well formed, touches both: the two observations above can see a change.
    value(await cache.put(tenant(lister), snapshot('evd-1')));
    expect(await listerSecrets()).toEqual(['cache-master-key']);
    expect(onDisk().equals(before)).toBe(false);
    cache.close();
    await vault.deleteProfile(lister);
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ReadThreads } from '../../../../electron/services/cache/read-threads';
import { alice, openCache, rawDb, snapshot, tempDir, tenant, testVault, value } from './cache-helpers';

// Reads in flight together run whole on read threads (each with its own connection: SELECT, decryption,
// SHA-256). These tests make sure they did run there (the spy calls through to the real threads), and
// that a thread's answers are the ones a read in place gives, discards included.
const { vault } = testVault('read-threads');
const dirs: (() => void)[] = [];
afterAll(async () => {
  await vault.deleteProfile(alice);
  for (const remove of dirs) remove();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const KiB = 1024;

async function filled(count: number) {
  const dir = tempDir();
  dirs.push(dir.remove);
  // One read thread, whatever the machine: it is full with two reads (one running, one waiting).
  const cache = openCache({ file: dir.file, vault, readThreads: 1 });
  const stored = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const bytes = randomBytes(64 * KiB);
    stored.set(`evd-${i}`, bytes);
    value(await cache.put(tenant(alice), snapshot(`evd-${i}`, bytes)));
  }
  return { cache, file: dir.file, stored };
}

function tamper(file: string, snapshotId: string): void {
  const db = rawDb(file);
  const row = db.prepare('SELECT id, ciphertext FROM entries WHERE snapshot_id = ?').get(snapshotId) as {
    id: number;
    ciphertext: Buffer;
  };
  row.ciphertext[5000] = (row.ciphertext[5000] as number) ^ 0x01;
  db.prepare('UPDATE entries SET ciphertext = ? WHERE id = ?').run(row.ciphertext, row.id);
  db.close();
}

const threadReads = () => {
  const spy = vi.spyOn(ReadThreads.prototype, 'read');
  return () => spy.mock.calls.map((call) => call[2]);
};

describe('reads in flight on the read threads', () => {
  it('answer exactly what a read in place answers', async () => {
    const { cache, stored } = await filled(6);
    const inPlace = value(await cache.get(tenant(alice), 'evd-3'));
    const onThreads = threadReads();
    const ids = ['evd-0', 'evd-1', 'evd-2', 'evd-3', 'evd-4', 'evd-5'];
    const results = await Promise.all(ids.map((id) => cache.get(tenant(alice), id)));
    // The first starts alone (in place); the next two fill the thread; the rest, started while it was full,
    // the main thread read itself.
    expect(onThreads()).toEqual(['evd-1', 'evd-2']);
    results.forEach((result, i) => {
      const got = value(result);
      expect(got.bytes.equals(stored.get(ids[i] as string) as Buffer)).toBe(true);
    });
    const { lastUsedAt: _a, ...threadMeta } = value(results[3] as (typeof results)[number]);
    const { lastUsedAt: _b, ...placeMeta } = inPlace;
    expect(threadMeta).toEqual(placeMeta);
    cache.close();
  });

  it('discard and report a tampered row read while four are in flight, as a read in place does', async () => {
    const { cache, file, stored } = await filled(8);
    tamper(file, 'evd-5');
    const onThreads = threadReads();
    const ids = ['evd-4', 'evd-5', 'evd-6', 'evd-7'];
    const results = await Promise.all(ids.map((id) => cache.get(tenant(alice), id)));
    expect(onThreads()).toContain('evd-5');
    const tampered = results[1];
    expect(tampered?.ok).toBe(false);
    if (tampered && !tampered.ok) {
      expect(tampered.error.code).toBe('conflict');
      expect(tampered.error.message).toMatch(/failed its integrity check and was discarded/);
    }
    for (const i of [0, 2, 3])
      expect(
        value(results[i] as (typeof results)[number]).bytes.equals(stored.get(ids[i] as string) as Buffer),
      ).toBe(true);
    expect(value(cache.list(tenant(alice))).map((e) => e.snapshotId)).not.toContain('evd-5');
    expect(value(cache.stats())).toMatchObject({ entries: 7, bytes: 7 * 64 * KiB });
    const again = await cache.get(tenant(alice), 'evd-5');
    expect(again.ok ? 'ok' : again.error.code).toBe('not-found');
    cache.close();
  });

  it('answer not-found, never the bytes, for a tenant shredded while its rows were on the threads', async () => {
    const { cache } = await filled(4);
    const onThreads = threadReads();
    const pending = ['evd-0', 'evd-1', 'evd-2', 'evd-3'].map((id) => cache.get(tenant(alice), id));
    value(await cache.shredTenant(alice, 'acme', 'live'));
    const results = await Promise.all(pending);
    // evd-3 waited for main (the thread was full) and was read after the shred.
    expect(onThreads()).toEqual(['evd-1', 'evd-2']);
    for (const result of results.slice(1)) expect(result.ok ? 'ok' : result.error.code).toBe('not-found');
    cache.close();
  });

  it('answer a failure of their own (never a discard) when their connection cannot open', async () => {
    // The cache then reads the row in place (evidence-cache.ts `read`): a thread's failure deletes nothing.
    const broken = new ReadThreads({ file: '/nonexistent/none.db', sql: 'SELECT 1', mmapSize: 0 });
    const scope = { profileKey: 'p', organization: 'o', environment: 'e' };
    const answers = await Promise.all([
      broken.read(Buffer.alloc(32), scope, 's', 1),
      broken.read(Buffer.alloc(32), scope, 't', 2),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['error', 'error']);
    await broken.close();
    expect((await broken.read(Buffer.alloc(32), scope, 's', 1)).status).toBe('error');
  });

  it('keep a missing snapshot a plain miss, and other tenants out of reach', async () => {
    const { cache } = await filled(3);
    const onThreads = threadReads();
    const results = await Promise.all([
      cache.get(tenant(alice), 'evd-0'),
      cache.get(tenant(alice), 'evd-9'),
      cache.get(tenant(alice, 'globex'), 'evd-1'),
      cache.get(tenant(alice), 'evd-2'),
    ]);
    // A snapshot that is not there (or not this tenant's) is known not to be from its index at once.
    expect(onThreads()).toEqual(['evd-2']);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'not-found', 'not-found', 'ok']);
    cache.close();
  });
});

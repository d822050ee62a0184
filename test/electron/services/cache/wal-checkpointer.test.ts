import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_PAGE_SIZE, CacheStore, type EntryMeta } from '../../../../electron/services/cache/cache-store';
import { CHECKPOINT_PAGES, WalCheckpointer } from '../../../../electron/services/cache/wal-checkpointer';
import { rawDb, tempDir } from './cache-helpers';

const dirs: (() => void)[] = [];
afterAll(() => {
  for (const remove of dirs) remove();
});
function fresh() {
  const dir = tempDir();
  dirs.push(dir.remove);
  return dir;
}

const scope = {
  profileKey: 'https://platform.example.com|usr_alice',
  organization: 'acme',
  environment: 'live',
};
const KiB = 1024;

/** Puts one after another, as the console makes them: each awaited, so the thread's answers come in. */
async function putMany(store: CacheStore, count: number, size: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await new Promise(setImmediate);
    const meta: EntryMeta = {
      snapshotId: `evd-${i}`,
      name: `evd-${i}.pdf`,
      mediaType: 'application/pdf',
      size,
      sha256: 'a'.repeat(64),
      requestId: null,
      cachedAt: i,
      lastUsedAt: i,
    };
    const sealed = { nonce: randomBytes(12), tag: randomBytes(16), ciphertext: randomBytes(size) };
    store.put(scope, meta, sealed, Number.MAX_SAFE_INTEGER);
  }
}

describe('the WAL checkpoint thread', () => {
  it('copies the WAL back into the file on its own thread, as SQLite reports it, while main only writes', async () => {
    const { file } = fresh();
    const store = new CacheStore(file);
    // About 2,400 pages: past the thread's interval, short of the main connection's backstop (4,000).
    await putMany(store, 400, 64 * KiB);
    await store.settled();
    const { runs, copied } = store.walCheckpoints;
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(copied).toBeGreaterThanOrEqual(CHECKPOINT_PAGES);
    const reader = rawDb(file);
    expect(reader.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(400);
    reader.close();
    store.close();
  });

  it('keeps the WAL bounded while puts never pause: the main connection checkpoints past its backstop', async () => {
    const { file } = fresh();
    const store = new CacheStore(file);
    // About 6,000 pages of 64 KiB puts back to back.
    await putMany(store, 1000, 64 * KiB);
    const walPages = statSync(`${file}-wal`).size / (CACHE_PAGE_SIZE + 24);
    expect(walPages).toBeLessThanOrEqual(4 * CHECKPOINT_PAGES + 16);
    await store.settled();
    store.close();
  });

  it('hands checkpoints back once its thread cannot open the file', async () => {
    const { dir } = fresh();
    let broken = 0;
    const gone = new Promise<void>((resolve) => {
      const checkpointer = new WalCheckpointer(join(dir, 'missing.db'), () => {
        broken++;
        resolve();
      });
      checkpointer.wrote(CHECKPOINT_PAGES);
    });
    await gone;
    expect(broken).toBe(1);
  });
});

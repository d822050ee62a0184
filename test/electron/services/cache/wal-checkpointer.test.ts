import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_PAGE_SIZE, CacheStore } from '../../../../electron/services/cache/cache-store';
import { CHECKPOINT_PAGES, WalCheckpointer } from '../../../../electron/services/cache/wal-checkpointer';
import { putRow, rawDb, tempDir } from './cache-helpers';

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
const walPages = (file: string) => statSync(`${file}-wal`).size / (CACHE_PAGE_SIZE + 24);

describe('the WAL checkpoint thread', () => {
  it('copies the WAL back into the file on its own thread, as SQLite reports it, while main only writes', async () => {
    const { file } = fresh();
    const store = new CacheStore(file);
    // About 2,400 pages, put one after another as the console puts them (each awaited, so the thread's
    // answers come in): past the thread's interval, short of the main connection's backstop (4,000).
    for (let i = 0; i < 400; i++) {
      await new Promise(setImmediate);
      putRow(store, scope, `evd-${i}`, 64 * KiB);
    }
    await store.settled();
    const { runs, copied } = store.walCheckpoints;
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(copied).toBeGreaterThanOrEqual(CHECKPOINT_PAGES);
    const reader = rawDb(file);
    expect(reader.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(400);
    reader.close();
    store.close();
  });

  it('leaves the main connection a backstop: a thread that falls behind does not let the WAL grow past it', async () => {
    const { file } = fresh();
    const store = new CacheStore(file);
    // About 6,000 pages without a pause: the thread is asked once and its answer cannot come in, so only
    // the main connection's own checkpoint (past 4,000 pages) can start the WAL over.
    for (let i = 0; i < 1000; i++) putRow(store, scope, `evd-${i}`, 64 * KiB);
    expect(walPages(file)).toBeGreaterThan(CHECKPOINT_PAGES);
    expect(walPages(file)).toBeLessThanOrEqual(4 * CHECKPOINT_PAGES + 16);
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

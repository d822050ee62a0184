import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { alice, bob, openCache, rawDb, snapshot, tempDir, tenant, testVault, value } from './cache-helpers';

const { vault } = testVault('shred');
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

const ALICE = 'https://platform.example.com|usr_alice';

/** Whole entry rows: metadata, nonce, tag and ciphertext. */
interface Rows {
  entries: Record<string, unknown>[];
}

function copyRows(file: string, organization: string, environment: string): Rows {
  const db = rawDb(file);
  const where = 'profile = ? AND organization = ? AND environment = ?';
  const entries = db.prepare(`SELECT * FROM entries WHERE ${where}`).all(ALICE, organization, environment);
  db.close();
  return { entries } as Rows;
}

function reinsert(file: string, rows: Rows): void {
  const db = rawDb(file);
  const insert = (table: string, row: Record<string, unknown>) =>
    db
      .prepare(
        `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
          .map((k) => `@${k}`)
          .join(', ')})`,
      )
      .run(row);
  for (const row of rows.entries) insert('entries', row);
  db.close();
}

function count(file: string, sql: string, ...params: unknown[]): number {
  const db = rawDb(file);
  const n = db
    .prepare(sql)
    .pluck()
    .get(...params) as number;
  db.close();
  return n;
}

describe('crypto-shredding', () => {
  it('shredTenant destroys the data key first, so even re-inserted ciphertext rows can never be read', async () => {
    const { file } = fresh();
    const cache = openCache({ file, vault });
    const keep = randomBytes(500);
    value(await cache.put(tenant(alice, 'acme', 'live'), snapshot('evd-1', randomBytes(50_000))));
    value(await cache.put(tenant(alice, 'acme', 'live'), snapshot('evd-2', randomBytes(500))));
    value(await cache.put(tenant(alice, 'acme', 'test'), snapshot('evd-1', keep)));
    const copied = copyRows(file, 'acme', 'live');
    expect(copied.entries).toHaveLength(2);
    const db = rawDb(file);
    const wrapped = db
      .prepare(
        `SELECT wrapped FROM data_keys WHERE profile = ? AND organization = 'acme' AND environment = 'live'`,
      )
      .pluck()
      .get(ALICE) as Buffer;
    db.close();

    value(await cache.shredTenant(alice, 'acme', 'live'));
    const keysLeft = `SELECT count(*) FROM data_keys WHERE profile = ? AND organization = 'acme' AND environment = 'live'`;
    expect(count(file, keysLeft, ALICE)).toBe(0);
    expect(value(cache.list(tenant(alice, 'acme', 'live')))).toEqual([]);
    // Not even the wrapped key's bytes are left in the file or its WAL.
    for (const f of [file, `${file}-wal`].filter(existsSync))
      expect(readFileSync(f).includes(wrapped)).toBe(false);

    reinsert(file, copied);
    const read = await cache.get(tenant(alice, 'acme', 'live'), 'evd-1');
    expect(read.ok ? 'ok' : read.error.code).toBe('conflict');
    expect(count(file, keysLeft, ALICE)).toBe(0);

    // A new data key for the tenant does not open the old ciphertext either.
    value(await cache.put(tenant(alice, 'acme', 'live'), snapshot('evd-3')));
    expect(count(file, keysLeft, ALICE)).toBe(1);
    const again = await cache.get(tenant(alice, 'acme', 'live'), 'evd-2');
    expect(again.ok ? 'ok' : again.error.code).toBe('conflict');

    // A fresh process (nothing in memory) cannot read them either.
    cache.close();
    reinsert(file, {
      entries: copied.entries.filter((e) => e.snapshot_id === 'evd-1'),
    });
    const reopened = openCache({ file, vault });
    const fromDisk = await reopened.get(tenant(alice, 'acme', 'live'), 'evd-1');
    expect(fromDisk.ok ? 'ok' : fromDisk.error.code).toBe('conflict');
    expect(value(await reopened.get(tenant(alice, 'acme', 'test'), 'evd-1')).bytes.equals(keep)).toBe(true);
    reopened.close();
  });

  it("shredProfile destroys the profile's data keys, blobs, checkpoints and master keys, and no one else's", async () => {
    const { file } = fresh();
    const { vault: own } = testVault('shred-profile');
    const cache = openCache({ file, vault: own });
    await own.put(alice, 'refresh-token', 'rt_alice.not-a-cache-key');
    const bobs = randomBytes(800);
    value(await cache.put(tenant(alice, 'acme', 'live'), snapshot('evd-1')));
    value(await cache.put(tenant(alice, 'globex', 'test'), snapshot('evd-2')));
    value(await cache.put(tenant(bob, 'acme', 'live'), snapshot('evd-1', bobs)));
    value(cache.saveCheckpoint(alice, 'audit.example/acme', { size: 1, root: 'cm9vdA==', note: 'signed' }));
    await own.put(alice, 'cache-master-key-next', Buffer.alloc(32, 7).toString('base64'));
    const copied = copyRows(file, 'acme', 'live');

    value(await cache.shredProfile(alice));
    expect(count(file, 'SELECT count(*) FROM data_keys WHERE profile = ?', ALICE)).toBe(0);
    expect(count(file, 'SELECT count(*) FROM entries WHERE profile = ?', ALICE)).toBe(0);
    expect(value(cache.checkpoints(alice, 'audit.example/acme'))).toEqual([]);
    expect(await own.get(alice, 'cache-master-key')).toBeUndefined();
    expect(await own.get(alice, 'cache-master-key-next')).toBeUndefined();
    expect(await own.get(alice, 'refresh-token')).toBe('rt_alice.not-a-cache-key');
    expect(value(await cache.get(tenant(bob, 'acme', 'live'), 'evd-1')).bytes.equals(bobs)).toBe(true);

    // Rows put back behind the running cache's back are not in its lookup; a cache opened on the file
    // finds them, and still cannot open them.
    reinsert(file, copied);
    const read = await cache.get(tenant(alice, 'acme', 'live'), 'evd-1');
    expect(read.ok).toBe(false);
    cache.close();
    const reopened = openCache({ file, vault: own });
    const fromDisk = await reopened.get(tenant(alice, 'acme', 'live'), 'evd-1');
    expect(fromDisk.ok ? 'ok' : fromDisk.error.code).toBe('conflict');
    expect(count(file, 'SELECT count(*) FROM data_keys WHERE profile = ?', ALICE)).toBe(0);
    reopened.close();
    await own.deleteProfile(alice);
    await own.deleteProfile(bob);
  });

  it('a shred while the checkpoint thread copies the WAL back still empties the WAL: no old frame is left', async () => {
    const { file } = fresh();
    const cache = openCache({ file, vault });
    const wrappedKeyOf = () => {
      const db = rawDb(file);
      const wrapped = db
        .prepare("SELECT wrapped FROM data_keys WHERE profile = ? AND organization = 'acme'")
        .pluck()
        .get(ALICE) as Buffer;
      db.close();
      return wrapped;
    };
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 20; i++)
        value(await cache.put(tenant(alice, 'acme'), snapshot(`evd-${round}-${i}`, randomBytes(64 * 1024))));
      // About 1,500 pages at once: the thread is asked to copy them back, and is at it as the shred starts.
      value(await cache.put(tenant(alice, 'acme'), snapshot(`big-${round}`, randomBytes(24 * 1024 * 1024))));
      const wrapped = wrappedKeyOf();
      value(await cache.shredTenant(alice, 'acme', 'live'));
      expect(statSync(`${file}-wal`).size).toBe(0);
      expect(readFileSync(file).includes(wrapped)).toBe(false);
    }
    cache.close();
  });

  it('a shred waits out a checkpoint another connection is running, then empties the WAL', async () => {
    const { file } = fresh();
    const cache = openCache({ file, vault });
    value(await cache.put(tenant(alice, 'acme'), snapshot('evd-1', randomBytes(64 * 1024))));
    // About 3,000 pages in the WAL, written by a connection that never checkpoints.
    const writer = rawDb(file);
    writer.pragma('wal_autocheckpoint = 0');
    const insert = writer.prepare(
      "INSERT INTO checkpoints (profile, origin, size, root, note, saved_at) VALUES ('p', 'o', ?, 'r', ?, 0)",
    );
    writer.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(i, 'n'.repeat(16_000));
    })();
    writer.close();
    // Another thread copies those pages back; the shred starts once it has begun.
    const checkpointing = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const db = new (require(workerData.sqlite))(workerData.file);
       parentPort.postMessage('started');
       db.pragma('wal_checkpoint(PASSIVE)');
       db.close();`,
      { eval: true, workerData: { file, sqlite: createRequire(import.meta.url).resolve('better-sqlite3') } },
    );
    const ended = once(checkpointing, 'exit');
    await once(checkpointing, 'message');
    value(await cache.shredTenant(alice, 'acme', 'live'));
    expect(statSync(`${file}-wal`).size).toBe(0);
    await ended;
    cache.close();
  });
});

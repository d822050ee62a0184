// bench:cache's threaded read floor: the least work any get that spreads reads over the cores must do, on
// the same bytes. A bare table of sealed snapshots (real AES-256-GCM ciphertext under one key); one thread
// per core, each with its own read-only connection, selecting a row by its integer key, decrypting it (tag
// checked), hashing the plaintext and moving it (not copying it) to the main thread, which keeps
// `inFlight` reads going and drops what comes back. Nothing else: no scope, no metadata, no key lookup,
// no validation, no last-used bookkeeping. What it reaches against the single-pass CPU floor is what
// threads, messages and the main thread's own garbage collection leave of two cores.
import { createCipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { wipe } from '../electron/services/cache/envelope';

const source = `
const { parentPort, workerData } = require('node:worker_threads');
const { createDecipheriv, createHash, createSecretKey } = require('node:crypto');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('mmap_size = ' + workerData.mmapSize);
const select = db.prepare('SELECT nonce, tag, ciphertext FROM blobs WHERE id = ?');
const key = createSecretKey(Buffer.from(workerData.key));
const aad = Buffer.from(workerData.aad);
parentPort.on('message', (id) => {
  const row = select.get(id);
  const decipher = createDecipheriv('aes-256-gcm', key, row.nonce, { authTagLength: 16 });
  decipher.setAAD(aad);
  decipher.setAuthTag(row.tag);
  const plaintext = decipher.update(row.ciphertext);
  decipher.final();
  // Freed at once, as the cache's read threads do.
  row.ciphertext.buffer.transfer(0);
  createHash('sha256').update(plaintext).digest('hex');
  const owned = plaintext.byteOffset === 0 && plaintext.buffer.byteLength === plaintext.length;
  const bytes = owned ? plaintext.buffer
    : plaintext.buffer.slice(plaintext.byteOffset, plaintext.byteOffset + plaintext.length);
  parentPort.postMessage({ id, bytes }, [bytes]);
});
`;

export interface ThreadedReadFloorOptions {
  readonly dir: string;
  readonly pageSize: number;
  readonly pragmas: readonly string[];
  readonly mmapSize: number;
  readonly inFlight: number;
  readonly passes: number;
}

/** MB/s of the threaded read floor over `count` snapshots made from `buffer` (stamped), best of passes. */
export async function threadedReadFloor(
  buffer: Buffer,
  count: number,
  stamp: (buffer: Buffer, i: number) => Buffer,
  options: ThreadedReadFloorOptions,
): Promise<number> {
  const file = join(options.dir, `threaded-floor-${buffer.length}.db`);
  const key = randomBytes(32);
  const aad = Buffer.from('cc-bench-threaded-floor');
  const db = new Database(file);
  db.pragma(`page_size = ${options.pageSize}`);
  for (const pragma of options.pragmas) db.pragma(pragma);
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, nonce BLOB, tag BLOB, ciphertext BLOB)');
  const insert = db.prepare('INSERT INTO blobs (id, nonce, tag, ciphertext) VALUES (?, ?, ?, ?)');
  const secret = createSecretKey(key);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, nonce);
      cipher.setAAD(aad);
      const ciphertext = Buffer.concat([cipher.update(stamp(buffer, i)), cipher.final()]);
      insert.run(i, nonce, cipher.getAuthTag(), ciphertext);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();

  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const threads = Array.from({ length: Math.max(1, Math.min(4, availableParallelism())) }, () => {
    const worker = new Worker(source, {
      eval: true,
      workerData: { sqlite, file, key, aad, mmapSize: options.mmapSize },
    });
    const pending = new Map<number, () => void>();
    worker.on('message', ({ id, bytes }: { id: number; bytes: ArrayBuffer }) => {
      // As the cache's caller gets it (a Buffer over the moved bytes) and leaves it (wiped, see bench/cache.ts).
      const got = Buffer.from(bytes);
      if (got.length !== buffer.length) throw new Error('threaded floor: short read');
      wipe(got);
      const done = pending.get(id);
      pending.delete(id);
      done?.();
    });
    return { worker, pending };
  });
  const read = (id: number) =>
    new Promise<void>((resolve) => {
      const thread = threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      thread.pending.set(id, resolve);
      thread.worker.postMessage(id);
    });
  try {
    // One pass to load the threads and their connections, not counted.
    await readAll(read, Math.min(count, 200), options.inFlight);
    let best = Number.POSITIVE_INFINITY;
    for (let pass = 0; pass < options.passes; pass++) {
      const started = performance.now();
      await readAll(read, count, options.inFlight);
      best = Math.min(best, (performance.now() - started) / 1000);
    }
    return (count * buffer.length) / 1e6 / best;
  } finally {
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}

async function readAll(read: (id: number) => Promise<void>, count: number, inFlight: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let i = next++; i < count; i = next++) await read(i);
    }),
  );
}

import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EntryMeta } from './cache-store';
import { BLOB_AAD_LABEL, type KeyScope } from './envelope';

// Plain JavaScript evaluated in each thread, so it loads the same from source, from tsx and from the
// bundled app (no worker file to resolve; it is part of main's own bundle, inside the asar). better-sqlite3
// comes from the path main resolved for itself. Each thread holds its own read-only connection to the
// cache's WAL file, runs the scoped SELECT main gives it, and opens the row exactly as envelope.ts `open`
// and `blobAad` do (the tests read the same rows both ways). Every answer says which of four things
// happened: no such row; a row that opened, with its plaintext; a row that failed authentication or its
// hash (main discards it); or a failure of the thread's own (main reads the row itself instead).
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const { createDecipheriv, createHash, createSecretKey } = require('node:crypto');
const Database = require(workerData.sqlite);
let read;
try {
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('mmap_size = ' + workerData.mmapSize);
  read = db.prepare(workerData.sql);
} catch {
  read = undefined;
}
function opened(key, row, aad) {
  if (row.nonce.length !== 12 || row.tag.length !== 16) return undefined;
  try {
    // A KeyObject, not the raw key: see secret() in envelope.ts.
    const decipher = createDecipheriv('aes-256-gcm', createSecretKey(key), row.nonce, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(row.tag);
    const plaintext = decipher.update(row.ciphertext);
    decipher.final();
    return plaintext;
  } catch {
    return undefined;
  }
}
parentPort.on('message', (batch) => {
  for (const { id, rowId, key, scope, snapshotId } of batch) {
    let row;
    try {
      row = read.get(rowId, scope.profileKey, scope.organization, scope.environment, snapshotId);
    } catch {
      key.fill(0);
      parentPort.postMessage({ id, status: 'error' });
      continue;
    }
    if (!row) {
      key.fill(0);
      parentPort.postMessage({ id, status: 'missing' });
      continue;
    }
    const { nonce, tag, ciphertext, ...meta } = row;
    const aad = Buffer.from(JSON.stringify([workerData.label, scope.profileKey, scope.organization,
      scope.environment, snapshotId, row.sha256]));
    const plaintext = opened(key, row, aad);
    key.fill(0);
    // Freed now rather than at a garbage collection (see release() in envelope.ts).
    if (row.ciphertext.byteOffset === 0 && row.ciphertext.buffer.byteLength === row.ciphertext.length)
      row.ciphertext.buffer.transfer(0);
    const digest = plaintext && createHash('sha256').update(plaintext).digest('hex');
    if (!plaintext || digest !== row.sha256) {
      parentPort.postMessage({ id, status: 'failed', meta });
      continue;
    }
    const owned = plaintext.byteOffset === 0 && plaintext.buffer.byteLength === plaintext.length;
    const bytes = owned ? plaintext.buffer
      : plaintext.buffer.slice(plaintext.byteOffset, plaintext.byteOffset + plaintext.length);
    parentPort.postMessage({ id, status: 'opened', meta, bytes }, [bytes]);
  }
});
`;

/** A row's metadata as the threads answer it. */
export interface ThreadRow extends EntryMeta {
  readonly id: number;
}

export type ThreadRead =
  | { readonly status: 'missing' }
  | { readonly status: 'opened'; readonly row: ThreadRow; readonly bytes: Buffer }
  | { readonly status: 'failed'; readonly row: ThreadRow }
  /** The thread could not read (it died, or its connection failed): main reads the row itself. */
  | { readonly status: 'error' };

interface Request {
  readonly id: number;
  /** Where the lookup says the row is; the statement reads it only if it is still this snapshot's. */
  readonly rowId: number;
  readonly key: Uint8Array;
  readonly scope: KeyScope;
  readonly snapshotId: string;
}

type Answer =
  | { id: number; status: 'missing' | 'error' }
  | { id: number; status: 'failed'; meta: ThreadRow }
  | { id: number; status: 'opened'; meta: ThreadRow; bytes: ArrayBuffer };

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, (read: ThreadRead) => void>;
}

export interface ReadThreadsOptions {
  readonly file: string;
  /** The SELECT of one snapshot's row by id and scope (cache-store.ts READ_SQL). */
  readonly sql: string;
  readonly mmapSize: number;
  readonly size?: number;
}

/**
 * Reads in flight together, done whole on worker threads: the SELECT, the AES-GCM decryption and the
 * SHA-256 against the published hash, each thread on its own read-only connection to the same WAL file,
 * while the main thread validates, dispatches and answers (and, once every thread is `full`, reads itself:
 * see snapshot-reads.ts). Requests made in the same turn of the event
 * loop go to a thread in one message; each answer comes back on its own, so a thread is never idle while
 * main handles the one before. The tenant's data key travels by message only; the plaintext is moved
 * back, not copied.
 */
export class ReadThreads {
  readonly #threads: Thread[] = [];
  readonly #options: ReadThreadsOptions;
  readonly #size: number;
  #queue: { request: Request; resolve: (read: ThreadRead) => void }[] = [];
  #next = 0;
  #inFlight = 0;
  /** A thread died on its own (it could not load, say): from then on main reads everything itself. */
  #broken = false;
  #closing = false;

  constructor(options: ReadThreadsOptions) {
    this.#options = options;
    // The main thread reads too (see full), so the threads leave it a core.
    this.#size = options.size ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  }

  /**
   * Whether every thread has a read running and one waiting: a read more would only wait in line, while the
   * main thread, which otherwise only dispatches, could do it.
   */
  get full(): boolean {
    return this.#broken || this.#inFlight >= 2 * this.#size;
  }

  read(key: Buffer, scope: KeyScope, snapshotId: string, rowId: number): Promise<ThreadRead> {
    if (this.#broken || this.#closing) return Promise.resolve({ status: 'error' });
    return new Promise((resolve) => {
      if (this.#queue.length === 0) queueMicrotask(() => this.#dispatch());
      this.#inFlight++;
      this.#queue.push({
        // A copy of exactly the key's 32 bytes: a Buffer is often a view into a shared pool, and a view is
        // sent with its whole underlying memory. The scope goes as plain strings.
        request: {
          id: this.#next++,
          rowId,
          key: new Uint8Array(key),
          scope: {
            profileKey: scope.profileKey,
            organization: scope.organization,
            environment: scope.environment,
          },
          snapshotId,
        },
        resolve: (read) => {
          this.#inFlight--;
          resolve(read);
        },
      });
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    const threads = this.#threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  /** Spreads the queued requests over the threads, fewest pending first, one message per thread. */
  #dispatch(): void {
    const queue = this.#queue;
    this.#queue = [];
    if (this.#broken || this.#closing) {
      for (const { resolve } of queue) resolve({ status: 'error' });
      return;
    }
    const batches = new Map<Thread, Request[]>();
    for (const { request, resolve } of queue) {
      const thread = this.#pick();
      // Held while an answer is owed, so the process waits for it; idle, the threads keep nothing alive.
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(request.id, resolve);
      const batch = batches.get(thread);
      if (batch) batch.push(request);
      else batches.set(thread, [request]);
    }
    for (const [thread, batch] of batches) {
      thread.worker.postMessage(batch);
      // The thread has its own copy now; neither copy outlives its read (the thread zeroes its own).
      for (const request of batch) request.key.fill(0);
    }
  }

  #pick(): Thread {
    const idle = this.#threads.find((t) => t.pending.size === 0);
    if (idle) return idle;
    if (this.#threads.length < this.#size) return this.#start();
    return this.#threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  #start(): Thread {
    const { file, sql, mmapSize } = this.#options;
    const worker = new Worker(source, {
      eval: true,
      workerData: { sqlite: sqlitePath(), file, sql, mmapSize, label: BLOB_AAD_LABEL },
    });
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (answer: Answer) => {
      const resolve = thread.pending.get(answer.id);
      thread.pending.delete(answer.id);
      if (thread.pending.size === 0) worker.unref();
      resolve?.(readOf(answer));
    });
    // A thread that dies answers what it owed as its own failures: main then reads those rows itself.
    worker.once('exit', () => {
      if (!this.#closing) this.#broken = true;
      for (const resolve of thread.pending.values()) resolve({ status: 'error' });
      thread.pending.clear();
      const index = this.#threads.indexOf(thread);
      if (index >= 0) this.#threads.splice(index, 1);
    });
    worker.on('error', () => {});
    worker.unref();
    this.#threads.push(thread);
    return thread;
  }
}

function readOf(answer: Answer): ThreadRead {
  switch (answer.status) {
    case 'opened':
      return { status: 'opened', row: answer.meta, bytes: Buffer.from(answer.bytes) };
    case 'failed':
      return { status: 'failed', row: answer.meta };
    default:
      return { status: answer.status };
  }
}

/** better-sqlite3 as main resolves it: from node_modules in source, from the asar in the bundled app. */
let sqlite: string | undefined;
export function sqlitePath(): string {
  sqlite ??= createRequire(import.meta.url).resolve('better-sqlite3');
  return sqlite;
}

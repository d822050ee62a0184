import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { open, type Sealed, sha256Hex } from './envelope';

// Plain JavaScript evaluated in each thread, so it loads the same from source, from tsx and from the
// bundled app (no worker file to resolve). It must open exactly as envelope.ts `open` does.
const source = `
const { parentPort } = require('node:worker_threads');
const { createDecipheriv, createHash, createSecretKey } = require('node:crypto');
parentPort.on('message', ({ id, key, nonce, tag, ciphertext, aad }) => {
  try {
    // A KeyObject, not the raw key: see secret() in envelope.ts.
    const decipher = createDecipheriv('aes-256-gcm', createSecretKey(key), nonce, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plaintext = decipher.update(ciphertext);
    decipher.final();
    // Freed now rather than at a garbage collection (see release() in envelope.ts).
    if (ciphertext.byteOffset === 0 && ciphertext.buffer.byteLength === ciphertext.length)
      ciphertext.buffer.transfer(0);
    const digest = createHash('sha256').update(plaintext).digest('hex');
    const copy = plaintext.byteOffset === 0 && plaintext.buffer.byteLength === plaintext.length
      ? plaintext.buffer : plaintext.buffer.slice(plaintext.byteOffset, plaintext.byteOffset + plaintext.length);
    parentPort.postMessage({ id, digest, plaintext: copy }, [copy]);
  } catch {
    parentPort.postMessage({ id });
  }
});
`;

/**
 * Below this a snapshot read on its own is opened in place: moving it would cost more than opening it.
 * Read while others are in flight, it goes to a thread all the same, so the reads share every core.
 */
const IN_PLACE_BELOW = Number(process.env.CC_OPEN_IN_PLACE_BELOW ?? 1024 * 1024);

export interface Opened {
  readonly plaintext: Buffer;
  readonly digest: string;
}

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, (opened: Opened | undefined) => void>;
}

/**
 * Opening a snapshot (AES-GCM decryption, then SHA-256 of the plaintext against the published hash) on
 * worker threads. The main thread reads the next row from SQLite while threads open earlier ones, so
 * reads in flight together use every core. The key goes by message; the ciphertext is moved, not copied,
 * when it owns its memory (SQLite's blobs do), and so is the plaintext on its way back.
 */
export class OpenThreads {
  readonly #threads: Thread[] = [];
  #next = 0;

  constructor(private readonly size = Math.max(1, Math.min(4, availableParallelism()))) {}

  /** `alone`: no other read is in flight, so nothing would run beside this one on another core. */
  open(key: Buffer, sealed: Sealed, aad: Buffer, alone = true): Promise<Opened | undefined> {
    if (alone && sealed.ciphertext.length < IN_PLACE_BELOW) {
      const plaintext = open(key, sealed, aad);
      return Promise.resolve(plaintext && { plaintext, digest: sha256Hex(plaintext) });
    }
    const thread = this.#pick();
    const id = this.#next++;
    return new Promise((resolve) => {
      // Held while an answer is owed, so the process waits for it; idle, the threads keep nothing alive.
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(id, resolve);
      const { ciphertext } = sealed;
      const owned = ciphertext.byteOffset === 0 && ciphertext.buffer.byteLength === ciphertext.length;
      thread.worker.postMessage(
        { id, key, nonce: sealed.nonce, tag: sealed.tag, ciphertext, aad },
        owned ? [ciphertext.buffer as ArrayBuffer] : [],
      );
    });
  }

  async close(): Promise<void> {
    const threads = this.#threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  #pick(): Thread {
    const idle = this.#threads.find((t) => t.pending.size === 0);
    if (idle) return idle;
    if (this.#threads.length < this.size) return this.#start();
    return this.#threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  #start(): Thread {
    const worker = new Worker(source, { eval: true });
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (message: { id: number; digest?: string; plaintext?: ArrayBuffer }) => {
      const resolve = thread.pending.get(message.id);
      thread.pending.delete(message.id);
      if (thread.pending.size === 0) worker.unref();
      resolve?.(
        message.plaintext && message.digest
          ? { plaintext: Buffer.from(message.plaintext), digest: message.digest }
          : undefined,
      );
    });
    // A thread that dies answers what it owed as failures (the entry is then re-fetched, never trusted).
    worker.once('exit', () => {
      for (const resolve of thread.pending.values()) resolve(undefined);
      thread.pending.clear();
      const index = this.#threads.indexOf(thread);
      if (index >= 0) this.#threads.splice(index, 1);
    });
    worker.unref();
    this.#threads.push(thread);
    return thread;
  }
}

import { Worker } from 'node:worker_threads';

export interface RangeHasher {
  /** SHA-256 (hex) of `length` bytes at `start`, or null when they cannot all be read. */
  hash(start: number, length: number): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * Hashes byte ranges of one file on worker threads, each range on the least busy worker, so that the
 * package's files (and the package itself) are hashed beside the log's walk. Each worker reads with its
 * own file handle and one 1 MiB buffer: memory does not grow with the files.
 */
export function rangeHasher(path: string, workers: number): RangeHasher {
  type Waiter = { resolve: (sha256: string | null) => void; worker: number };
  const waiting = new Map<number, Waiter>();
  const queued = Array.from({ length: workers }, () => 0);
  const pool = Array.from({ length: workers }, (_, index) => {
    const worker = new Worker(new URL('./range-hash-worker.mjs', import.meta.url), {
      workerData: { path },
      execArgv: [],
      // A worker holds one buffer and a hash: a small heap keeps the process's peak RSS down.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    worker.unref();
    worker.on('message', (message: { id?: number; sha256?: string | null }) => {
      if (message.id === undefined) return;
      const waiter = waiting.get(message.id);
      if (!waiter) return;
      waiting.delete(message.id);
      queued[index] = (queued[index] as number) - 1;
      waiter.resolve(message.sha256 ?? null);
    });
    worker.on('error', () => {
      for (const [id, w] of waiting) {
        if (w.worker !== index) continue;
        waiting.delete(id);
        w.resolve(null);
      }
    });
    return worker;
  });
  let nextId = 0;
  const weight = Array.from({ length: workers }, () => 0);
  return {
    hash(start, length) {
      // By bytes queued, not by count: one large range (the package) weighs as much as many small ones.
      let least = 0;
      for (let w = 1; w < workers; w++) if ((weight[w] as number) < (weight[least] as number)) least = w;
      weight[least] = (weight[least] as number) + length;
      queued[least] = (queued[least] as number) + 1;
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, { resolve, worker: least });
        (pool[least] as Worker).postMessage({ id, start, length });
      });
    },
    async close() {
      await Promise.all(pool.map((w) => w.terminate()));
      for (const w of waiting.values()) w.resolve(null);
      waiting.clear();
    },
  };
}

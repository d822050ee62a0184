import { Worker } from 'node:worker_threads';
import type { ChunkHasher } from './chunk-hasher';

type Hashed = { work: Uint8Array; leaves: string };
type Waiter = { resolve: (value: Hashed) => void; reject: (error: Error) => void };

/** Leaf hashing in worker threads, so that hashing and the verifier's walk use every core at once. */
export function workerChunkHasher(workers = 2): ChunkHasher {
  const waiting = new Map<number, Waiter>();
  const pool = Array.from({ length: workers }, () => {
    const worker = new Worker(new URL('./hash-worker.mjs', import.meta.url), { execArgv: [] });
    worker.unref();
    worker.on(
      'message',
      ({ id, work, length, leaves }: { id: number; work: ArrayBuffer; length: number; leaves: string }) => {
        waiting.get(id)?.resolve({ work: new Uint8Array(work, 0, length), leaves });
        waiting.delete(id);
      },
    );
    worker.on('error', (error) => {
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
    });
    return worker;
  });
  let nextId = 0;
  return {
    depth: workers + 1,
    hashLeaves(work) {
      const id = nextId++;
      // A unit starts its own ArrayBuffer (lineUnits allocates each), so it is handed over without a copy.
      const buffer = (work.byteOffset === 0 ? work.buffer : work.slice().buffer) as ArrayBuffer;
      return new Promise<Hashed>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        (pool[id % pool.length] as Worker).postMessage({ id, work: buffer, length: work.length }, [buffer]);
      });
    },
    async close() {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChunkHasher, HashedUnit } from './chunk-hasher';

type Waiter = { resolve: (value: HashedUnit) => void; reject: (error: Error) => void };
type Reply = {
  id: number;
  work: ArrayBuffer;
  length: number;
  ends: ArrayBuffer;
  sizes: number[];
  roots: string;
};

/**
 * Leaf and tree hashing in worker threads, units dealt out in turn, so that hashing and the verifier's walk
 * use every core at once. Hashing is most of the work (two SHA-256 calls an entry, the walk a fraction of
 * that), so by default there are as many workers as cores (at least two, at most four): on two cores the
 * walk takes its share of time from both.
 */
export function workerChunkHasher(workers = Math.max(2, Math.min(4, availableParallelism()))): ChunkHasher {
  const waiting = new Map<number, Waiter>();
  const pool = Array.from({ length: workers }, () => {
    const worker = new Worker(new URL('./hash-worker.mjs', import.meta.url), { execArgv: [] });
    worker.unref();
    worker.on('message', ({ id, work, length, ends, sizes, roots }: Reply) => {
      waiting
        .get(id)
        ?.resolve({ work: new Uint8Array(work, 0, length), ends: new Int32Array(ends), sizes, roots });
      waiting.delete(id);
    });
    worker.on('error', (error) => {
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
    });
    return worker;
  });
  let nextId = 0;
  return {
    // Two units queued per worker: one hashed while the other waits, so a worker never idles on the walk.
    depth: 2 * workers + 1,
    hashUnit(work, ends, plan) {
      const id = nextId++;
      // A unit starts its own ArrayBuffer (lineUnits allocates each), so it is handed over without a copy.
      const buffer = (work.byteOffset === 0 ? work.buffer : work.slice().buffer) as ArrayBuffer;
      const endsBuffer = (
        ends.byteOffset === 0 && ends.buffer.byteLength === ends.byteLength
          ? ends.buffer
          : ends.slice().buffer
      ) as ArrayBuffer;
      return new Promise<HashedUnit>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        (pool[id % pool.length] as Worker).postMessage(
          {
            id,
            work: buffer,
            length: work.length,
            ends: endsBuffer,
            firstLeaf: plan.firstLeaf,
            cuts: plan.cuts,
          },
          [buffer, endsBuffer],
        );
      });
    },
    async close() {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}

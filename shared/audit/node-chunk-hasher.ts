import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type ChunkHasher, type HashedUnit, unitSubtrees } from './chunk-hasher';
import { nodeAuditCrypto } from './node-crypto';

type Waiter = { resolve: (value: HashedUnit) => void; reject: (error: Error) => void };
type Reply = {
  id: number;
  work: ArrayBuffer;
  length: number;
  ends: ArrayBuffer;
  sizes: number[];
  roots: string;
};

/** Units a worker holds (one hashed, one waiting) before the calling thread hashes the next one itself. */
const QUEUED = 2;

/**
 * Leaf and tree hashing in worker threads, beside the verifier's walk. Hashing is most of the work (two
 * SHA-256 calls an entry, the walk a fraction of that), so the calling thread hashes too: a unit goes to the
 * least busy worker, unless every worker already holds QUEUED units, and then the calling thread hashes it
 * before it walks on. By default one worker per core but one (at least one, at most three), so the calling
 * thread and the workers keep every core busy without more threads than cores.
 */
export function workerChunkHasher(
  workers = Math.max(1, Math.min(3, availableParallelism() - 1)),
): ChunkHasher {
  const tree = nodeAuditCrypto.treeHasher?.();
  if (!tree) throw new Error('Node crypto has a tree hasher');
  const waiting = new Map<number, Waiter & { worker: number }>();
  const held = Array.from({ length: workers }, () => 0);
  const pool = Array.from({ length: workers }, () => {
    const worker = new Worker(new URL('./hash-worker.mjs', import.meta.url), { execArgv: [] });
    worker.unref();
    worker.on('message', ({ id, work, length, ends, sizes, roots }: Reply) => {
      const waiter = waiting.get(id);
      if (!waiter) return;
      waiting.delete(id);
      held[waiter.worker] = (held[waiter.worker] as number) - 1;
      waiter.resolve({ work: new Uint8Array(work, 0, length), ends: new Int32Array(ends), sizes, roots });
    });
    worker.on('error', (error) => {
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
    });
    return worker;
  });
  let nextId = 0;
  return {
    // Enough in flight for every worker to hold its units and the calling thread to hash one more.
    depth: QUEUED * workers + 2,
    hashUnit(work, ends, plan) {
      let least = 0;
      for (let w = 1; w < workers; w++) if ((held[w] as number) < (held[least] as number)) least = w;
      if ((held[least] as number) >= QUEUED)
        return Promise.resolve({ work, ends, ...unitSubtrees(tree, work, ends, plan) });
      held[least] = (held[least] as number) + 1;
      const id = nextId++;
      // A unit starts its own ArrayBuffer (lineUnits allocates each), so it is handed over without a copy.
      const buffer = (work.byteOffset === 0 ? work.buffer : work.slice().buffer) as ArrayBuffer;
      const endsBuffer = (
        ends.byteOffset === 0 && ends.buffer.byteLength === ends.byteLength
          ? ends.buffer
          : ends.slice().buffer
      ) as ArrayBuffer;
      return new Promise<HashedUnit>((resolve, reject) => {
        waiting.set(id, { resolve, reject, worker: least });
        (pool[least] as Worker).postMessage(
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

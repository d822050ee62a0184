import { forEachLineOf } from './export-source';
import { type AuditCrypto, genericTreeHasher } from './hash';

/**
 * Computes the leaf hash of every line of a unit (see LineUnit), as one latin1 string of 32 characters
 * per line (see TreeHasher). The verifier keeps several units in flight, so an implementation that hashes
 * elsewhere (worker threads) runs beside its walk. Units are handed over, not shared: a caller must use
 * the `work` it gets back.
 */
export interface ChunkHasher {
  /** How many units the verifier should keep in flight. */
  readonly depth: number;
  hashLeaves(work: Uint8Array): Promise<{ work: Uint8Array; leaves: string }>;
  close(): Promise<void>;
}

/** Hashes on the calling thread: for hosts without workers, and the reference a worker must agree with. */
export function inlineChunkHasher(crypto: AuditCrypto): ChunkHasher {
  const tree = crypto.treeHasher?.() ?? genericTreeHasher(crypto);
  return {
    depth: 1,
    async hashLeaves(work) {
      const hashes: string[] = [];
      forEachLineOf(work, (start, end) => hashes.push(tree.leafAt(work, start, end)));
      return { work, leaves: hashes.join('') };
    },
    close: async () => {},
  };
}

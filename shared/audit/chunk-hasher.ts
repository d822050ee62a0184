import { isCheckpointAt } from './export-source';
import { type AuditCrypto, genericTreeHasher, type TreeHasher } from './hash';

/**
 * Where the tree stands when a unit (see LineUnit) starts, and where inside it the verifier will ask for
 * the root: enough for whoever hashes the unit to hash its part of the tree too, independently of the
 * units before it.
 */
export interface TreePlan {
  /** The tree size before the unit's first entry. */
  readonly firstLeaf: number;
  /** Tree sizes inside the unit, ascending, at which the verifier takes the root (signed checkpoints). */
  readonly cuts: readonly number[];
}

/**
 * A unit's entries as the roots of perfect subtrees, in order, each starting at a multiple of its size:
 * appended to the verifier's CompactRange they give exactly the range that appending every leaf would,
 * and the range is whole at every cut. Checkpoint-shaped lines are not leaves (the walk reports them).
 */
export interface HashedUnit {
  readonly work: Uint8Array;
  /** Each line's newline index, as given. */
  readonly ends: Int32Array;
  /** Each subtree's number of leaves. */
  readonly sizes: readonly number[];
  /** Their roots, 32 latin1 characters each (see TreeHasher), concatenated. */
  readonly roots: string;
}

/**
 * Hashes units: leaf hashes and the tree above them up to what the unit alone decides. The verifier keeps
 * several units in flight, so an implementation that hashes elsewhere (worker threads) runs beside its
 * walk. Units are handed over, not shared: a caller must use the `work` and `ends` it gets back.
 */
export interface ChunkHasher {
  /** How many units the verifier should keep in flight. */
  readonly depth: number;
  hashUnit(work: Uint8Array, ends: Int32Array, plan: TreePlan): Promise<HashedUnit>;
  close(): Promise<void>;
}

/**
 * The subtrees of one unit: leaves are merged while the merged subtree stays aligned, and everything held
 * is handed out at each cut and at the end. The worker (hash-worker.mjs) does exactly this in plain
 * JavaScript; the verifier's tests hold the two to the same reports.
 */
export function unitSubtrees(
  tree: TreeHasher,
  work: Uint8Array,
  ends: Int32Array,
  plan: TreePlan,
): { sizes: number[]; roots: string } {
  const sizes: number[] = [];
  const roots: string[] = [];
  // Held subtrees: root, size, first leaf.
  const held: string[] = [];
  const heldSizes: number[] = [];
  const heldStarts: number[] = [];
  const flush = () => {
    for (let i = 0; i < held.length; i++) {
      roots.push(held[i] as string);
      sizes.push(heldSizes[i] as number);
    }
    held.length = 0;
    heldSizes.length = 0;
    heldStarts.length = 0;
  };
  let leaf = plan.firstLeaf;
  let cut = 0;
  let start = 1;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    if (!isCheckpointAt(work, start, end)) {
      let root = tree.leafAt(work, start, end);
      let size = 1;
      let first = leaf;
      for (let top = held.length - 1; top >= 0 && heldSizes[top] === size; top--) {
        const topStart = heldStarts[top] as number;
        if (topStart % (2 * size) !== 0) break;
        root = tree.node(held.pop() as string, root);
        heldSizes.pop();
        heldStarts.pop();
        size *= 2;
        first = topStart;
      }
      held.push(root);
      heldSizes.push(size);
      heldStarts.push(first);
      leaf++;
      while (cut < plan.cuts.length && (plan.cuts[cut] as number) <= leaf) {
        if (plan.cuts[cut] === leaf) flush();
        cut++;
      }
    }
    start = end + 1;
  }
  flush();
  return { sizes, roots: roots.join('') };
}

/** Hashes on the calling thread: for hosts without workers, and the reference a worker must agree with. */
export function inlineChunkHasher(crypto: AuditCrypto): ChunkHasher {
  const tree = crypto.treeHasher?.() ?? genericTreeHasher(crypto);
  return {
    depth: 1,
    async hashUnit(work, ends, plan) {
      return { work, ends, ...unitSubtrees(tree, work, ends, plan) };
    },
    close: async () => {},
  };
}

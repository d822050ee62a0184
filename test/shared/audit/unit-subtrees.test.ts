import { afterAll, describe, expect, it } from 'vitest';
import { inlineChunkHasher, type TreePlan } from '../../../shared/audit/chunk-hasher';
import { lineEndsOf } from '../../../shared/audit/export-source';
import { bytesToLatin1 } from '../../../shared/audit/hash';
import { CompactRange, MerkleHasher } from '../../../shared/audit/merkle';
import { workerChunkHasher } from '../../../shared/audit/node-chunk-hasher';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';

// The verifier hashes each unit of lines on its own (in worker threads) as aligned perfect subtrees and
// grows its range from those; these hold that to the range grown leaf by leaf, at every cut.
const merkle = new MerkleHasher(nodeAuditCrypto);
const tree = nodeAuditCrypto.treeHasher!();
const encoder = new TextEncoder();
const workers = workerChunkHasher(2);
afterAll(() => workers.close());

/** A unit as lineUnits makes it: a spare byte, then lines that each end with a newline. */
function unitOf(lines: string[]): Uint8Array {
  return encoder.encode(`\n${lines.map((l) => `${l}\n`).join('')}`);
}

function lineSet(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    (first + i) % 7 === 3 ? `{"checkpoint":"not a leaf ${first + i}"}` : `{"action":"x","seq":${first + i}}`,
  );
}

/** Leaf by leaf from the start: the reference. */
function reference(prefixLeaves: number, lines: string[]) {
  const range = CompactRange.ofBytes(merkle);
  for (let i = 0; i < prefixLeaves; i++) range.append(merkle.leaf(encoder.encode(`prefix ${i}`)));
  const roots = new Map<number, string>();
  for (const line of lines) {
    if (line.startsWith('{"checkpoint":')) continue;
    range.append(merkle.leaf(encoder.encode(line)));
    roots.set(range.size, bytesToLatin1(range.root()));
  }
  return roots;
}

/** The same prefix, as the verifier's latin1 range. */
function prefixRange(prefixLeaves: number) {
  const range = new CompactRange<string>(tree.node, tree.empty);
  for (let i = 0; i < prefixLeaves; i++)
    range.append(bytesToLatin1(merkle.leaf(encoder.encode(`prefix ${i}`))));
  return range;
}

describe('unit subtrees', () => {
  it('grow the same range as leaf by leaf, whole at every cut, inline and in workers', async () => {
    const inline = inlineChunkHasher(nodeAuditCrypto);
    for (const prefixLeaves of [0, 1, 5, 8, 13, 64, 100]) {
      for (const count of [1, 2, 3, 7, 16, 33, 90]) {
        const lines = lineSet(prefixLeaves, count);
        const expected = reference(prefixLeaves, lines);
        const sizes = [...expected.keys()];
        const cuts = sizes.filter((s, i) => i % 3 === 0 || s % 4 === 0);
        for (const hasher of [inline, workers]) {
          const work = unitOf(lines);
          const { ends, leaves } = lineEndsOf(work);
          expect(leaves).toBe(sizes.length);
          const plan: TreePlan = { firstLeaf: prefixLeaves, cuts };
          const unit = await hasher.hashUnit(work, ends, plan);
          const range = prefixRange(prefixLeaves);
          let at = 0;
          for (let i = 0; i < unit.sizes.length; i++) {
            range.appendSubtree(unit.roots.slice(32 * i, 32 * i + 32), unit.sizes[i] as number);
            while (at < cuts.length && (cuts[at] as number) < range.size) at++;
            if (cuts[at] === range.size) {
              expect(range.root()).toBe(expected.get(range.size));
              at++;
            }
          }
          expect(at).toBe(cuts.length);
          expect(range.size).toBe(prefixLeaves + sizes.length);
          expect(range.root()).toBe(expected.get(range.size));
        }
      }
    }
  });

  it('a subtree that is not a power of two, or does not start at a multiple of its size, is refused', () => {
    const range = CompactRange.ofBytes(merkle);
    const leaf = merkle.leaf(new Uint8Array(0));
    range.append(leaf);
    expect(() => range.appendSubtree(leaf, 2)).toThrow(RangeError);
    expect(() => range.appendSubtree(leaf, 3)).toThrow(RangeError);
    range.appendSubtree(leaf, 1);
    range.appendSubtree(merkle.node(leaf, leaf), 2);
    expect(range.size).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { toHex } from '../../../shared/audit/hash';
import {
  CompactRange,
  consistencyProof,
  inclusionProof,
  MerkleHasher,
  type SubtreeReader,
  subtreeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../../../shared/audit/merkle';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';

const hasher = new MerkleHasher(nodeAuditCrypto);
const unhex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

// RFC 6962 reference data (the Certificate Transparency test vectors).
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];
const CONSISTENCY = [
  {
    first: 2,
    second: 8,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

/** A reader over an in-memory list of leaf hashes, computing each aligned subtree from scratch. */
function readerOver(leafHashes: readonly Uint8Array[]): SubtreeReader {
  return (start, end) => hasher.root(leafHashes.slice(start, end));
}

function flipBit(bytes: Uint8Array, index: number, mask: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] = (copy[index] as number) ^ mask;
  return copy;
}

const leafHashes = LEAVES.map((l) => hasher.leaf(l));

describe('RFC 6962 test vectors', () => {
  it('reproduces the published root for every size from 0 to 8', () => {
    for (let n = 0; n <= 8; n++)
      expect(toHex(hasher.root(leafHashes.slice(0, n))), `size ${n}`).toBe(ROOTS[n]);
  });

  it('reproduces the published inclusion proofs, and they verify', () => {
    for (const v of INCLUSION) {
      const proof = inclusionProof(hasher, readerOver(leafHashes), v.index, v.size);
      expect(proof.map(toHex)).toEqual(v.proof);
      const root = unhex(ROOTS[v.size] as string);
      expect(verifyInclusion(hasher, leafHashes[v.index] as Uint8Array, v.index, v.size, proof, root)).toBe(
        true,
      );
    }
  });

  it('reproduces the published consistency proofs, and they verify', () => {
    for (const v of CONSISTENCY) {
      const proof = consistencyProof(hasher, readerOver(leafHashes), v.first, v.second);
      expect(proof.map(toHex)).toEqual(v.proof);
      const first = unhex(ROOTS[v.first] as string);
      const second = unhex(ROOTS[v.second] as string);
      expect(verifyConsistency(hasher, v.first, v.second, first, second, proof)).toBe(true);
    }
  });
});

describe('proofs over every tree shape up to 40 leaves', () => {
  const many = Array.from({ length: 40 }, (_, i) => hasher.leaf(Uint8Array.of(i, i * 7)));
  const roots = Array.from({ length: 41 }, (_, n) => hasher.root(many.slice(0, n)));
  const read = readerOver(many);

  it('every inclusion proof verifies, and a wrong index, leaf or flipped bit does not', () => {
    for (let n = 1; n <= 40; n++) {
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(hasher, read, i, n);
        const root = roots[n] as Uint8Array;
        expect(verifyInclusion(hasher, many[i] as Uint8Array, i, n, proof, root)).toBe(true);
        if (n > 1) {
          expect(verifyInclusion(hasher, many[i] as Uint8Array, (i + 1) % n, n, proof, root)).toBe(false);
          expect(verifyInclusion(hasher, many[(i + 1) % n] as Uint8Array, i, n, proof, root)).toBe(false);
          const flipped = proof.map((p, k) => (k === 0 ? flipBit(p, 3, 1) : p));
          expect(verifyInclusion(hasher, many[i] as Uint8Array, i, n, flipped, root)).toBe(false);
          expect(verifyInclusion(hasher, many[i] as Uint8Array, i, n, proof.slice(1), root)).toBe(false);
        }
      }
    }
  });

  it('every consistency proof verifies, and a tampered or truncated one does not', () => {
    for (let n = 1; n <= 40; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(hasher, read, m, n);
        const first = roots[m] as Uint8Array;
        const second = roots[n] as Uint8Array;
        expect(verifyConsistency(hasher, m, n, first, second, proof), `${m}->${n}`).toBe(true);
        if (m < n) {
          expect(verifyConsistency(hasher, m, n, second, second, proof)).toBe(false);
          const flipped = proof.map((p, k) => (k === proof.length - 1 ? flipBit(p, 0, 0x80) : p));
          expect(verifyConsistency(hasher, m, n, first, second, flipped)).toBe(false);
          expect(verifyConsistency(hasher, m, n, first, second, proof.slice(0, -1))).toBe(false);
        }
      }
    }
  });

  it('a compact range grown leaf by leaf gives the same roots, also when started from a prefix', () => {
    const range = CompactRange.ofBytes(hasher);
    for (let n = 1; n <= 40; n++) {
      range.append(many[n - 1] as Uint8Array);
      expect(toHex(range.root())).toBe(toHex(roots[n] as Uint8Array));
    }
    for (let start = 0; start <= 40; start++) {
      const sizes: number[] = [];
      let offset = 0;
      const hashes: Uint8Array[] = [];
      for (let bit = 32; bit >= 1; bit /= 2) {
        if (start & bit) {
          sizes.push(bit);
          hashes.push(subtreeRoot(hasher, read, offset, offset + bit));
          offset += bit;
        }
      }
      const resumed = CompactRange.ofBytes(hasher, { size: start, hashes });
      for (let i = start; i < 40; i++) resumed.append(many[i] as Uint8Array);
      expect(toHex(resumed.root()), `from ${start}`).toBe(toHex(roots[40] as Uint8Array));
    }
  });
});

import { type AuditCrypto, equalBytes, HASH_BYTES } from './hash';

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing. Leaf: SHA-256(0x00 || entry). Node: SHA-256(0x01 || l || r).
 * The tree over n leaves splits at the largest power of two smaller than n.
 */
export class MerkleHasher {
  readonly #node = new Uint8Array(1 + 2 * HASH_BYTES);

  constructor(readonly crypto: AuditCrypto) {
    this.#node[0] = 1;
  }

  emptyRoot(): Uint8Array {
    return this.crypto.sha256(new Uint8Array(0));
  }

  leaf(entry: Uint8Array): Uint8Array {
    const buf = new Uint8Array(entry.length + 1);
    buf.set(entry, 1);
    return this.crypto.sha256(buf);
  }

  /**
   * The leaf hash of `buffer[start, end)`, borrowing the byte before it for the 0x00 prefix instead of
   * copying the entry: the verifier's hot path. The borrowed byte is restored.
   */
  leafAt(buffer: Uint8Array, start: number, end: number): Uint8Array {
    if (start < 1) return this.leaf(buffer.subarray(start, end));
    const saved = buffer[start - 1] as number;
    buffer[start - 1] = 0;
    const hash = this.crypto.sha256(buffer.subarray(start - 1, end));
    buffer[start - 1] = saved;
    return hash;
  }

  node(left: Uint8Array, right: Uint8Array): Uint8Array {
    this.#node.set(left, 1);
    this.#node.set(right, 1 + HASH_BYTES);
    return this.crypto.sha256(this.#node);
  }

  /** MTH over a list of leaf hashes (for tests and small trees; the log itself never holds all leaves). */
  root(leaves: readonly Uint8Array[]): Uint8Array {
    const range = CompactRange.ofBytes(this);
    for (const leaf of leaves) range.append(leaf);
    return range.root();
  }
}

/** Largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Sizes of the perfect subtrees that cover [0, n), largest first: the binary digits of n. */
export function perfectSubtreeSizes(n: number): number[] {
  const sizes: number[] = [];
  for (let bit = 2 ** Math.floor(Math.log2(Math.max(n, 1))); bit >= 1; bit /= 2) {
    if (n >= bit && Math.floor(n / bit) % 2 === 1) sizes.push(bit);
  }
  return sizes;
}

/**
 * The roots of the perfect subtrees covering the leaves appended so far: O(log n) hashes, enough to
 * append more leaves and to compute the root at the current size. This is what lets a verifier stream.
 * Generic over how a hash is held (bytes, or the verifier's latin1 strings).
 */
export class CompactRange<H = Uint8Array> {
  /** Perfect subtree roots, largest (leftmost) first, and their sizes. */
  readonly #hashes: H[] = [];
  readonly #sizes: number[] = [];
  #count = 0;

  constructor(
    private readonly combine: (left: H, right: H) => H,
    private readonly empty: () => H,
    prefix?: { size: number; hashes: readonly H[] },
  ) {
    if (prefix) {
      const sizes = perfectSubtreeSizes(prefix.size);
      if (sizes.length !== prefix.hashes.length) throw new RangeError('Prefix does not match its size');
      this.#hashes.push(...prefix.hashes);
      this.#sizes.push(...sizes);
      this.#count = prefix.size;
    }
  }

  static ofBytes(
    hasher: MerkleHasher,
    prefix?: { size: number; hashes: readonly Uint8Array[] },
  ): CompactRange {
    return new CompactRange<Uint8Array>(
      (l, r) => hasher.node(l, r),
      () => hasher.emptyRoot(),
      prefix,
    );
  }

  get size(): number {
    return this.#count;
  }

  append(leafHash: H): void {
    this.#push(leafHash, 1);
    this.#count++;
  }

  /**
   * Appends the root of a perfect subtree of `size` leaves that starts at the current size, as if its
   * leaves were appended one by one: how a range grows from subtrees hashed elsewhere (RFC 6962 subtrees
   * that start at a multiple of their size hash independently of everything around them).
   */
  appendSubtree(root: H, size: number): void {
    if (
      !(Number.isSafeInteger(size) && size >= 1 && 2 ** Math.round(Math.log2(size)) === size) ||
      this.#count % size !== 0
    )
      throw new RangeError('A subtree must be a power of two in size and start at a multiple of it');
    this.#push(root, size);
    this.#count += size;
  }

  #push(root: H, subtreeSize: number): void {
    let hash = root;
    let size = subtreeSize;
    while (this.#sizes.length > 0 && this.#sizes[this.#sizes.length - 1] === size) {
      this.#sizes.pop();
      hash = this.combine(this.#hashes.pop() as H, hash);
      size *= 2;
    }
    this.#hashes.push(hash);
    this.#sizes.push(size);
  }

  /** The tree head at the current size: peaks folded right to left. */
  root(): H {
    if (this.#hashes.length === 0) return this.empty();
    let root = this.#hashes[this.#hashes.length - 1] as H;
    for (let i = this.#hashes.length - 2; i >= 0; i--) root = this.combine(this.#hashes[i] as H, root);
    return root;
  }
}

/** Reads the hash of the subtree over leaves [start, end) where the range is aligned and a power of two. */
export type SubtreeReader = (start: number, end: number) => Uint8Array;

/** MTH(D[start:end]) from aligned perfect subtrees, as the RFC 6962 recursion needs it. */
export function subtreeRoot(
  hasher: MerkleHasher,
  read: SubtreeReader,
  start: number,
  end: number,
): Uint8Array {
  const n = end - start;
  if (n === 0) return hasher.emptyRoot();
  if ((n & (n - 1)) === 0 && start % n === 0) return read(start, end);
  const k = splitPoint(n);
  return hasher.node(read(start, start + k), subtreeRoot(hasher, read, start + k, end));
}

/** RFC 6962 2.1.1 PATH(m, D[start:end]). */
export function inclusionProof(
  hasher: MerkleHasher,
  read: SubtreeReader,
  index: number,
  size: number,
): Uint8Array[] {
  if (!(index >= 0 && index < size)) throw new RangeError('Leaf index outside the tree');
  const path: Uint8Array[] = [];
  const walk = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      path.push(subtreeRoot(hasher, read, start + k, end));
    } else {
      walk(m - k, start + k, end);
      path.push(subtreeRoot(hasher, read, start, start + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/** RFC 6962 2.1.2 PROOF(m, D[n]). */
export function consistencyProof(
  hasher: MerkleHasher,
  read: SubtreeReader,
  m: number,
  n: number,
): Uint8Array[] {
  if (!(m >= 0 && m <= n)) throw new RangeError('Consistency proof sizes out of order');
  const proof: Uint8Array[] = [];
  if (m === 0 || m === n) return proof;
  const sub = (mm: number, start: number, end: number, complete: boolean): void => {
    const size = end - start;
    if (mm === size) {
      if (!complete) proof.push(subtreeRoot(hasher, read, start, end));
      return;
    }
    const k = splitPoint(size);
    if (mm <= k) {
      sub(mm, start, start + k, complete);
      proof.push(subtreeRoot(hasher, read, start + k, end));
    } else {
      sub(mm - k, start + k, end, false);
      proof.push(subtreeRoot(hasher, read, start, start + k));
    }
  };
  sub(m, 0, n, true);
  return proof;
}

/** RFC 9162 2.1.3.2: verifies an inclusion proof. Never throws. */
export function verifyInclusion(
  hasher: MerkleHasher,
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (leafHash.length !== HASH_BYTES || root.length !== HASH_BYTES) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (p.length !== HASH_BYTES || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hasher.node(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hasher.node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}

/** RFC 9162 2.1.4.2: verifies a consistency proof between two tree heads. Never throws. */
export function verifyConsistency(
  hasher: MerkleHasher,
  m: number,
  n: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
  if (firstRoot.length !== HASH_BYTES || secondRoot.length !== HASH_BYTES) return false;
  if (m === n) return proof.length === 0 && equalBytes(firstRoot, secondRoot);
  if (m === 0) return proof.length === 0;
  if (proof.some((p) => p.length !== HASH_BYTES)) return false;
  let path = [...proof];
  if ((m & (m - 1)) === 0) path = [firstRoot, ...path];
  if (path.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Uint8Array;
  let sr = path[0] as Uint8Array;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hasher.node(c, fr);
      sr = hasher.node(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hasher.node(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, firstRoot) && equalBytes(sr, secondRoot);
}

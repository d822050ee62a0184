// Hashing for the audit verifier, off the main thread: the RFC 6962 leaf hash SHA-256(0x00 || line) of
// every entry of a unit (see LineUnit in export-source.ts) and the tree above them, as the roots of the
// unit's aligned perfect subtrees (latin1 text, 32 characters each). Exactly unitSubtrees in
// chunk-hasher.ts, in plain JavaScript so that it starts without a loader.
import { hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

const CHECKPOINT_LINE = Buffer.from('{"checkpoint":');
const scratch = Buffer.alloc(65);
scratch[0] = 1;

function node(left, right) {
  scratch.write(left, 1, 'latin1');
  scratch.write(right, 33, 'latin1');
  return hash('sha256', scratch, 'latin1');
}

function isCheckpointAt(bytes, start, end) {
  if (end - start < CHECKPOINT_LINE.length) return false;
  for (let i = 0; i < CHECKPOINT_LINE.length; i++) if (bytes[start + i] !== CHECKPOINT_LINE[i]) return false;
  return true;
}

function unitSubtrees(bytes, ends, firstLeaf, cuts) {
  const sizes = [];
  const roots = [];
  const held = [];
  const heldSizes = [];
  const heldStarts = [];
  const flush = () => {
    for (let i = 0; i < held.length; i++) {
      roots.push(held[i]);
      sizes.push(heldSizes[i]);
    }
    held.length = 0;
    heldSizes.length = 0;
    heldStarts.length = 0;
  };
  let leaf = firstLeaf;
  let cut = 0;
  let start = 1;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i];
    if (!isCheckpointAt(bytes, start, end)) {
      const saved = bytes[start - 1];
      bytes[start - 1] = 0;
      let root = hash('sha256', bytes.subarray(start - 1, end), 'latin1');
      bytes[start - 1] = saved;
      let size = 1;
      let first = leaf;
      for (let top = held.length - 1; top >= 0 && heldSizes[top] === size; top--) {
        const topStart = heldStarts[top];
        if (topStart % (2 * size) !== 0) break;
        root = node(held.pop(), root);
        heldSizes.pop();
        heldStarts.pop();
        size *= 2;
        first = topStart;
      }
      held.push(root);
      heldSizes.push(size);
      heldStarts.push(first);
      leaf++;
      while (cut < cuts.length && cuts[cut] <= leaf) {
        if (cuts[cut] === leaf) flush();
        cut++;
      }
    }
    start = end + 1;
  }
  flush();
  return { sizes, roots: roots.join('') };
}

parentPort.on('message', ({ id, work, length, ends, firstLeaf, cuts }) => {
  // A Buffer view: Node's one-shot hash takes it without a copy.
  const bytes = Buffer.from(work, 0, length);
  const lineEnds = new Int32Array(ends);
  const { sizes, roots } = unitSubtrees(bytes, lineEnds, firstLeaf, cuts);
  parentPort.postMessage({ id, work, length, ends, sizes, roots }, [work, ends]);
});

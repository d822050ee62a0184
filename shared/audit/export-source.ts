/** Random access to an export's bytes: a file handle in Node, a Blob (File) in a browser. */
export interface ExportSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Reads into `target` at `at`, saving a copy where the host can; returns the bytes read. */
  readInto?(target: Uint8Array, at: number, length: number, position: number): Promise<number>;
}

/** Bytes in memory as a source (tests, and exports fetched whole). */
export function bytesSource(bytes: Uint8Array): ExportSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

const NEWLINE = 0x0a;
const MAX_LINE_BYTES = 16 * 1024 * 1024;
const CHECKPOINT_LINE = new TextEncoder().encode('{"checkpoint":');

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

export function isCheckpointLine(line: Uint8Array): boolean {
  return startsWith(line, CHECKPOINT_LINE);
}

/** The same test on `bytes[start, end)`, without making a view. */
export function isCheckpointAt(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < CHECKPOINT_LINE.length) return false;
  for (let i = 0; i < CHECKPOINT_LINE.length; i++) if (bytes[start + i] !== CHECKPOINT_LINE[i]) return false;
  return true;
}

/** The first line (the header) and the offset where the next line starts, or undefined if there is none. */
export async function readFirstLine(
  source: ExportSource,
  maxBytes: number,
): Promise<{ line: Uint8Array; next: number } | undefined> {
  const head = await source.read(0, Math.min(source.size, maxBytes));
  const end = head.indexOf(NEWLINE);
  if (end < 0)
    return head.length === source.size && head.length > 0 ? { line: head, next: head.length } : undefined;
  return { line: head.subarray(0, end), next: end + 1 };
}

/**
 * The run of checkpoint lines at the end of the file, in file order, and the offset where the first of
 * them starts. Reads backwards, so the entries before them are not read twice.
 */
export async function readTrailingCheckpoints(
  source: ExportSource,
  notBefore: number,
  maxLines: number,
  chunkBytes: number,
): Promise<{ lines: Uint8Array[]; start: number; overflow: boolean }> {
  const lines: Uint8Array[] = [];
  let end = source.size;
  // A final newline ends the last line; it does not start an empty one.
  if (end > notBefore && (await source.read(end - 1, 1))[0] === NEWLINE) end--;
  let firstStart = source.size;
  const done = (overflow: boolean) => ({ lines: lines.reverse(), start: firstStart, overflow });
  let carry = new Uint8Array(0);
  let position = end;
  while (position > notBefore) {
    const from = Math.max(notBefore, position - chunkBytes);
    const chunk = await source.read(from, position - from);
    const joined = new Uint8Array(chunk.length + carry.length);
    joined.set(chunk, 0);
    joined.set(carry, chunk.length);
    let cursor = joined.length;
    for (let i = chunk.length - 1; i >= 0; i--) {
      if (joined[i] !== NEWLINE) continue;
      const line = joined.subarray(i + 1, cursor);
      if (!isCheckpointLine(line)) return done(false);
      if (lines.length >= maxLines) return done(true);
      lines.push(line.slice());
      firstStart = from + i + 1;
      cursor = i;
    }
    carry = joined.slice(0, cursor);
    position = from;
  }
  // Reached `notBefore`: what is left is one whole line.
  if (carry.length > 0 && isCheckpointLine(carry) && lines.length < maxLines) {
    lines.push(carry);
    firstStart = notBefore;
  }
  return done(false);
}

/**
 * A run of whole lines: `work[1, length)` holds lines that each end with a newline, and `work[0]` is a
 * spare byte, so every line has a byte before it that may be borrowed (see MerkleHasher.leafAt).
 * `offset` is the file offset of `work[1]`.
 */
export interface LineUnit {
  readonly work: Uint8Array;
  readonly offset: number;
}

/** Cuts [from, to) into units of whole lines, about `chunkBytes` each; a last line without a newline gets one. */
/**
 * Unit buffers handed back after use. Reusing them keeps memory flat however long the file: without it
 * every megabyte read is a new buffer that waits for the garbage collector.
 */
export class BufferPool {
  readonly #free: ArrayBuffer[] = [];

  take(size: number): Uint8Array {
    const index = this.#free.findIndex((b) => b.byteLength >= size);
    if (index < 0) return new Uint8Array(size);
    const [buffer] = this.#free.splice(index, 1);
    return new Uint8Array(buffer as ArrayBuffer, 0, size);
  }

  give(buffer: ArrayBufferLike): void {
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0 && this.#free.length < 8)
      this.#free.push(buffer);
  }
}

export async function* lineUnits(
  source: ExportSource,
  from: number,
  to: number,
  chunkBytes: number,
  pool: BufferPool = new BufferPool(),
): AsyncGenerator<LineUnit> {
  let carry: Uint8Array = new Uint8Array(0);
  let carryOffset = from;
  let position = from;
  while (position < to) {
    // Read straight into the unit, after the spare byte and the carried part line: one copy, by the OS.
    const length = Math.min(chunkBytes, to - position);
    const buffer = pool.take(1 + carry.length + length);
    buffer[0] = 0;
    buffer.set(carry, 1);
    const got = await readInto(source, buffer, 1 + carry.length, length, position);
    if (got === 0) break;
    position += got;
    const filled = 1 + carry.length + got;
    let lastNewline = buffer.subarray(0, filled).lastIndexOf(NEWLINE);
    if (lastNewline < 1 + carry.length && filled - 1 > MAX_LINE_BYTES) {
      // No export line is this long: cut it, and let the pieces be reported as lines that are not the format.
      lastNewline = filled - 1;
      buffer[lastNewline] = NEWLINE;
    }
    if (lastNewline < 1) {
      carry = buffer.slice(1, filled);
      continue;
    }
    // Keep the part line before handing the unit over: a consumer may transfer its buffer elsewhere.
    const unit = { work: buffer.subarray(0, lastNewline + 1), offset: carryOffset };
    carry = buffer.slice(lastNewline + 1, filled);
    carryOffset += lastNewline;
    yield unit;
  }
  if (carry.length > 0) {
    const work = new Uint8Array(carry.length + 2);
    work.set(carry, 1);
    work[work.length - 1] = NEWLINE;
    yield { work, offset: carryOffset };
  }
}

async function readInto(
  source: ExportSource,
  target: Uint8Array,
  at: number,
  length: number,
  position: number,
) {
  if (source.readInto) return source.readInto(target, at, length, position);
  const bytes = await source.read(position, length);
  target.set(bytes, at);
  return bytes.length;
}

// Node's Buffer finds a byte with memchr, several times faster than a typed array's indexOf; a view costs
// no copy. Other hosts search the typed array itself.
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
let endsScratch = new Int32Array(4096);

/**
 * The index of each line's newline in a unit, and how many of its lines are entries (leaves of the tree):
 * the one search for newlines a unit gets.
 */
export function lineEndsOf(work: Uint8Array): { ends: Int32Array; leaves: number } {
  const bytes = NodeBuffer ? NodeBuffer.from(work.buffer, work.byteOffset, work.byteLength) : work;
  let count = 0;
  let leaves = 0;
  let start = 1;
  for (let nl = bytes.indexOf(NEWLINE, start); nl >= 0; nl = bytes.indexOf(NEWLINE, start)) {
    if (count === endsScratch.length) {
      const grown = new Int32Array(2 * count);
      grown.set(endsScratch);
      endsScratch = grown;
    }
    endsScratch[count++] = nl;
    if (!isCheckpointAt(work, start, nl)) leaves++;
    start = nl + 1;
  }
  return { ends: endsScratch.slice(0, count), leaves };
}

/** Calls `onLine(start, end)` for each line of a unit, `end` being the index of its newline. */
export function forEachLineOf(work: Uint8Array, onLine: (start: number, end: number) => void): void {
  let start = 1;
  for (let nl = work.indexOf(NEWLINE, start); nl >= 0; nl = work.indexOf(NEWLINE, start)) {
    onLine(start, nl);
    start = nl + 1;
  }
}

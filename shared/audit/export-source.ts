/** Random access to an export's bytes: a file handle in Node, a Blob (File) in a browser. */
export interface ExportSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Bytes in memory as a source (tests, and exports fetched whole). */
export function bytesSource(bytes: Uint8Array): ExportSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

const NEWLINE = 0x0a;
const CHECKPOINT_LINE = new TextEncoder().encode('{"checkpoint":');

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

export function isCheckpointLine(line: Uint8Array): boolean {
  return startsWith(line, CHECKPOINT_LINE);
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

/** Streams the lines in [from, to), calling `onLine` with a view that is valid only during the call. */
export async function forEachLine(
  source: ExportSource,
  from: number,
  to: number,
  chunkBytes: number,
  onLine: (line: Uint8Array) => void,
  onChunk: (bytesDone: number) => boolean,
): Promise<boolean> {
  let carry: Uint8Array = new Uint8Array(0);
  let position = from;
  while (position < to) {
    const chunk = await source.read(position, Math.min(chunkBytes, to - position));
    position += chunk.length;
    let buffer = chunk;
    if (carry.length > 0) {
      buffer = new Uint8Array(carry.length + chunk.length);
      buffer.set(carry, 0);
      buffer.set(chunk, carry.length);
    }
    let start = 0;
    for (let nl = buffer.indexOf(NEWLINE, start); nl >= 0; nl = buffer.indexOf(NEWLINE, start)) {
      onLine(buffer.subarray(start, nl));
      start = nl + 1;
    }
    carry = buffer.slice(start);
    if (!onChunk(position - from)) return false;
    if (chunk.length === 0) break;
  }
  if (carry.length > 0) onLine(carry);
  return true;
}

import type { FileHandle } from 'node:fs/promises';
import { type Entry, fromRandomAccessReader, RandomAccessReader } from 'yauzl';
import { isPackagePath, limits, zipConventions } from './format';

/** One file of a package: where its bytes lie in the archive. */
export interface PackageEntry {
  readonly path: string;
  /** Offset of the file's first byte in the archive. */
  readonly dataStart: number;
  readonly size: number;
  readonly crc32: number;
}

export type ZipLayout =
  | { readonly ok: true; readonly entries: readonly PackageEntry[]; readonly problems: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** yauzl reads through the verifier's own file handle, so the archive is opened once. */
class HandleReader extends RandomAccessReader {
  constructor(private readonly handle: FileHandle) {
    super();
  }
  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null) => void,
  ): void {
    this.handle.read(buffer, offset, length, position).then(
      ({ bytesRead }) => callback(bytesRead === length ? null : new Error('unexpected end of file')),
      (error: Error) => callback(error),
    );
  }
  override close(callback: (err: Error | null) => void): void {
    callback(null);
  }
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const DESCRIPTOR = 0x08074b50;
const UTF8_NAMES = 1 << 11;
const SIZES_AFTER = 1 << 3;
const MAX32 = 0xffffffff;

function u64(buffer: Buffer, value: number, at: number) {
  buffer.writeUInt32LE(value % 2 ** 32, at);
  buffer.writeUInt32LE(Math.floor(value / 2 ** 32), at + 4);
}

/** The entry as the writer (yazl with the package's conventions) encodes it: the only accepted bytes. */
function expectedRecords(e: Entry, offset: number) {
  const name = e.fileNameRaw;
  const after = (e.generalPurposeBitFlag & SIZES_AFTER) !== 0;
  const zip64 = e.uncompressedSize > MAX32 - 1 || offset > MAX32 - 1;
  const local = Buffer.alloc(30 + name.length);
  local.writeUInt32LE(LOCAL, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(UTF8_NAMES | (after ? SIZES_AFTER : 0), 6);
  local.writeUInt16LE(0, 8);
  local.writeUInt16LE(zipConventions.dosTime, 10);
  local.writeUInt16LE(zipConventions.dosDate, 12);
  if (!after) {
    local.writeUInt32LE(e.crc32, 14);
    local.writeUInt32LE(e.compressedSize, 18);
    local.writeUInt32LE(e.uncompressedSize, 22);
  }
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(0, 28);
  name.copy(local, 30);
  let descriptor = Buffer.alloc(0);
  if (after) {
    descriptor = Buffer.alloc(zip64 ? 24 : 16);
    descriptor.writeUInt32LE(DESCRIPTOR, 0);
    descriptor.writeUInt32LE(e.crc32, 4);
    if (zip64) {
      u64(descriptor, e.compressedSize, 8);
      u64(descriptor, e.uncompressedSize, 16);
    } else {
      descriptor.writeUInt32LE(e.compressedSize, 8);
      descriptor.writeUInt32LE(e.uncompressedSize, 12);
    }
  }
  const extra = zip64 ? 28 : 0;
  const central = Buffer.alloc(46 + name.length + extra);
  central.writeUInt32LE(CENTRAL, 0);
  central.writeUInt16LE(zipConventions.versionMadeBy, 4);
  central.writeUInt16LE(zip64 ? 45 : 20, 6);
  central.writeUInt16LE(UTF8_NAMES | (after ? SIZES_AFTER : 0), 8);
  central.writeUInt16LE(0, 10);
  central.writeUInt16LE(zipConventions.dosTime, 12);
  central.writeUInt16LE(zipConventions.dosDate, 14);
  central.writeUInt32LE(e.crc32, 16);
  central.writeUInt32LE(zip64 ? MAX32 : e.compressedSize, 20);
  central.writeUInt32LE(zip64 ? MAX32 : e.uncompressedSize, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt16LE(extra, 30);
  central.writeUInt32LE((zipConventions.mode << 16) >>> 0, 38);
  central.writeUInt32LE(zip64 ? MAX32 : offset, 42);
  name.copy(central, 46);
  if (zip64) {
    central.writeUInt16LE(1, 46 + name.length);
    central.writeUInt16LE(24, 48 + name.length);
    u64(central, e.uncompressedSize, 50 + name.length);
    u64(central, e.compressedSize, 58 + name.length);
    u64(central, offset, 66 + name.length);
  }
  return { local, descriptor, central };
}

function expectedEnd(count: number, cdOffset: number, cdSize: number): Buffer {
  const zip64 = count >= 0xffff || cdSize >= MAX32 || cdOffset >= MAX32;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip64 ? 0xffff : count, 8);
  eocd.writeUInt16LE(zip64 ? 0xffff : count, 10);
  eocd.writeUInt32LE(zip64 ? MAX32 : cdSize, 12);
  eocd.writeUInt32LE(zip64 ? MAX32 : cdOffset, 16);
  if (!zip64) return eocd;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  u64(record, 44, 4);
  record.writeUInt16LE(zipConventions.versionMadeBy, 12);
  record.writeUInt16LE(45, 14);
  u64(record, count, 24);
  u64(record, count, 32);
  u64(record, cdSize, 40);
  u64(record, cdOffset, 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  u64(locator, cdOffset + cdSize, 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, eocd]);
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

function listEntries(handle: FileHandle, size: number): Promise<Entry[] | string> {
  return new Promise((resolve) => {
    const options = {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: true,
      validateEntrySizes: true,
      strictFileNames: true,
    };
    fromRandomAccessReader(new HandleReader(handle), size, options, (error, zip) => {
      if (error || !zip) return resolve('not a ZIP archive');
      if (zip.entryCount > limits.files + 1) return resolve('more files than any package holds');
      const entries: Entry[] = [];
      zip.on('error', () => resolve('the ZIP central directory is damaged'));
      zip.on('entry', (entry: Entry) => {
        entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}

/**
 * Reads a package's ZIP layout with yauzl, then holds it to the one encoding the writer produces: files
 * back to back from offset 0, STORED, with the fixed date and mode, each header (local, data descriptor,
 * central) exactly as the writer would encode that name, size, CRC and offset, and nothing after the end
 * record. So no byte of the archive escapes a check: file contents are covered by the manifest's SHA-256
 * (and the manifest by its CRC-32), everything else by this comparison. Never throws on the file's content.
 */
export async function readZipLayout(handle: FileHandle, size: number): Promise<ZipLayout> {
  const listed = await listEntries(handle, size);
  if (typeof listed === 'string') return { ok: false, reason: listed };
  const problems: string[] = [];
  const entries: PackageEntry[] = [];
  const seen = new Set<string>();
  let offset = 0;
  const centrals: Buffer[] = [];
  for (const e of listed) {
    const path = e.fileName;
    if (!isPackagePath(path)) problems.push(`${JSON.stringify(path.slice(0, 100))} is not a package file`);
    if (seen.has(path)) problems.push(`${path} is in the archive twice`);
    seen.add(path);
    if (e.compressionMethod !== 0 || e.compressedSize !== e.uncompressedSize || e.isEncrypted()) {
      problems.push(`${path} is not stored as plain bytes`);
      continue;
    }
    if (e.relativeOffsetOfLocalHeader !== offset) {
      problems.push(`${path} does not follow the file before it`);
      offset = e.relativeOffsetOfLocalHeader;
    }
    const expected = expectedRecords(e, offset);
    const dataStart = offset + expected.local.length;
    const dataEnd = dataStart + e.compressedSize;
    if (dataEnd + expected.descriptor.length > size)
      return { ok: false, reason: `${path} runs past the end` };
    const local = await readAt(handle, offset, expected.local.length);
    const descriptor = await readAt(handle, dataEnd, expected.descriptor.length);
    if (!local.equals(expected.local)) problems.push(`the local header of ${path} is not in package form`);
    if (!descriptor.equals(expected.descriptor))
      problems.push(`the data descriptor of ${path} does not match its directory entry`);
    centrals.push(expected.central);
    entries.push({ path, dataStart, size: e.uncompressedSize, crc32: e.crc32 });
    offset = dataEnd + expected.descriptor.length;
  }
  const central = Buffer.concat(centrals);
  const end = expectedEnd(listed.length, offset, central.length);
  if (offset + central.length + end.length !== size) {
    problems.push('the archive holds bytes outside its files and directory');
  } else {
    const actual = await readAt(handle, offset, central.length + end.length);
    if (!actual.subarray(0, central.length).equals(central))
      problems.push('the central directory is not in package form');
    if (!actual.subarray(central.length).equals(end))
      problems.push('the end of the central directory is not in package form');
  }
  return { ok: true, entries, problems };
}

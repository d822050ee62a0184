import { createHash } from 'node:crypto';
import { Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { zipConventions } from './format';

export interface WrittenFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/**
 * Writes a package as a ZIP of STORED entries (yazl): evidence is already compressed (PDF, PNG, JPEG),
 * and stored bytes can be hashed straight from disk by the verifier, at the speed of SHA-256 itself. Every
 * entry gets the same date and mode, so the bytes depend only on the contents. Each file is hashed as it
 * streams through, for the manifest; one file is written at a time, in the order added.
 */
export class PackageZipWriter {
  readonly #zip = new ZipFile();
  readonly #done: Promise<void>;
  readonly #written: WrittenFile[] = [];
  readonly #archive = createHash('sha256');
  #failed: Error | undefined;

  constructor(out: Writable) {
    // The archive's own SHA-256, as its bytes go out: what a report names the package by.
    this.#zip.outputStream.on('data', (chunk: Buffer) => this.#archive.update(chunk));
    this.#zip.outputStream.pipe(out);
    this.#done = finished(out);
    this.#done.catch((error: Error) => {
      this.#failed = error;
    });
  }

  get files(): readonly WrittenFile[] {
    return this.#written;
  }

  /** Streams one file into the package; resolves once all its bytes are in, with its size and SHA-256. */
  add(path: string, source: AsyncIterable<Uint8Array> | Uint8Array): Promise<WrittenFile> {
    if (this.#failed) return Promise.reject(this.#failed);
    const hash = createHash('sha256');
    let size = 0;
    let settle: { resolve: (f: WrittenFile) => void; reject: (e: Error) => void } | undefined;
    const result = new Promise<WrittenFile>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const chunks = source instanceof Uint8Array ? [source] : source;
    const written = this.#written;
    async function* counted() {
      try {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
        const file = { path, size, sha256: hash.digest('hex') };
        written.push(file);
        settle?.resolve(file);
      } catch (error) {
        settle?.reject(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    }
    this.#zip.addReadStreamLazy(path, this.#options(), (cb) => {
      const stream = Readable.from(counted());
      // A source that fails (a download cut off, a cancel) fails `add`; the archive is abandoned whole.
      stream.on('error', () => undefined);
      cb(null, stream);
    });
    return result;
  }

  /** A small file whose bytes are known: written with its CRC and size up front (no data descriptor). */
  addBytes(path: string, bytes: Uint8Array): WrittenFile {
    const file = { path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    this.#zip.addBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), path, this.#options());
    this.#written.push(file);
    return file;
  }

  /** Ends the archive and waits until every byte is written; returns the archive's SHA-256 (hex). */
  async end(): Promise<string> {
    this.#zip.end();
    await this.#done;
    return this.#archive.digest('hex');
  }

  #options() {
    return {
      compress: false,
      forceDosTimestamp: true,
      mtime: new Date(1980, 0, 1),
      mode: zipConventions.mode,
    };
  }
}

import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * Evidence bytes, content-addressed by SHA-256 under the data directory. A blob is written once and never
 * changed: a second upload of the same bytes finds it there, and reads check the bytes still hash right.
 */
export class BlobStore {
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
  }

  #path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('Not a SHA-256');
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  put(bytes: Uint8Array): string {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.#path(sha256);
    mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      // link() refuses to replace an existing file: the first copy of these bytes stays.
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
    return sha256;
  }

  /** The bytes, or undefined if missing or no longer matching their hash. */
  read(sha256: string): Buffer | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.#path(sha256));
    } catch {
      return undefined;
    }
    return createHash('sha256').update(bytes).digest('hex') === sha256 ? bytes : undefined;
  }

  remove(sha256: string): void {
    rmSync(this.#path(sha256), { force: true });
  }
}

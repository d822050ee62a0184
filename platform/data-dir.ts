import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The platform's data directory: its database and its key files, readable by its own user only. */
export class DataDir {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
    mkdirSync(path, { recursive: true, mode: 0o700 });
    chmodSync(path, 0o700);
  }

  get databaseFile(): string {
    return join(this.path, 'platform.sqlite');
  }

  /**
   * Reads a key file, creating it (mode 0600) on first use. Written to a temporary name and renamed so a
   * crash never leaves a half-written key behind.
   */
  secretFile(name: string, create: () => Buffer): Buffer {
    const file = join(this.path, name);
    try {
      return readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.writeSecretFile(name, create());
    return readFileSync(file);
  }

  /** Replaces a key file atomically (mode 0600): readers see the old content or the new, never a mix. */
  writeSecretFile(name: string, content: Buffer): void {
    const file = join(this.path, name);
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, file);
  }
}

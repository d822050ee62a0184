import { randomBytes } from 'node:crypto';
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
import type { TenantScope } from '../db/scope';

/**
 * Encrypted evidence bytes under the data directory, one folder per tenant, each file at its
 * tenant-keyed address (see blob-crypto.ts). A blob is written once and never changed: a second upload of
 * the same file in the same tenant finds it there.
 */
export class BlobStore {
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
  }

  #dir(tenant: TenantScope, address: string): string {
    if (!/^[0-9a-f]{64}$/.test(address)) throw new Error('Not a blob address');
    return join(this.root, tenant.organizationId, tenant.environment, address.slice(0, 2));
  }

  put(tenant: TenantScope, address: string, sealed: Uint8Array): void {
    const dir = this.#dir(tenant, address);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, address);
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, sealed);
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
  }

  /** The sealed bytes, or undefined if missing. */
  read(tenant: TenantScope, address: string): Buffer | undefined {
    try {
      return readFileSync(join(this.#dir(tenant, address), address));
    } catch {
      return undefined;
    }
  }

  remove(tenant: TenantScope, address: string): void {
    rmSync(join(this.#dir(tenant, address), address), { force: true });
  }
}

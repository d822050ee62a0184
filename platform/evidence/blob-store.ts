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
import type { Database } from '../db/database';
import type { EvidenceBlobStore } from '../db/evidence-blobs';
import type { TenantScope } from '../db/scope';

/**
 * Where a tenant's encrypted evidence bytes live, at their tenant-keyed address (see blob-crypto.ts): the
 * data directory with SQLite (one process), the database with PostgreSQL (where every process reads them).
 * A blob is written once and never changed: a second upload of the same file in the same tenant finds it.
 */
export interface BlobStore {
  put(tenant: TenantScope, address: string, sealed: Uint8Array): Promise<void>;
  /** The sealed bytes, or undefined if missing. */
  read(tenant: TenantScope, address: string): Promise<Buffer | undefined>;
  /** Removes a blob as part of the current transaction: gone if it commits, kept if it rolls back. */
  discard(tenant: TenantScope, address: string): Promise<void>;
  /** Removes a blob at once (maintenance and tests). */
  remove(tenant: TenantScope, address: string): Promise<void>;
}

/** Encrypted evidence bytes under the data directory, one folder per tenant. */
export class FileBlobStore implements BlobStore {
  constructor(
    private readonly root: string,
    private readonly db: Database,
  ) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
  }

  #dir(tenant: TenantScope, address: string): string {
    if (!/^[0-9a-f]{64}$/.test(address)) throw new Error('Not a blob address');
    return join(this.root, tenant.organizationId, tenant.environment, address.slice(0, 2));
  }

  async put(tenant: TenantScope, address: string, sealed: Uint8Array): Promise<void> {
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

  async read(tenant: TenantScope, address: string): Promise<Buffer | undefined> {
    try {
      return readFileSync(join(this.#dir(tenant, address), address));
    } catch {
      return undefined;
    }
  }

  async discard(tenant: TenantScope, address: string): Promise<void> {
    // A file cannot join the transaction: it goes once the deletion has committed, so a rolled-back
    // deletion keeps its bytes.
    const path = join(this.#dir(tenant, address), address);
    this.db.afterCommit(() => rmSync(path, { force: true }));
  }

  async remove(tenant: TenantScope, address: string): Promise<void> {
    rmSync(join(this.#dir(tenant, address), address), { force: true });
  }
}

/** Encrypted evidence bytes in PostgreSQL, chunked (see db/evidence-blobs.ts). */
export class DatabaseBlobStore implements BlobStore {
  constructor(private readonly blobs: EvidenceBlobStore) {}

  put(tenant: TenantScope, address: string, sealed: Uint8Array): Promise<void> {
    return this.blobs.put(tenant, address, sealed);
  }

  read(tenant: TenantScope, address: string): Promise<Buffer | undefined> {
    return this.blobs.read(tenant, address);
  }

  discard(tenant: TenantScope, address: string): Promise<void> {
    // Joins the transaction under way: the rows go if and only if the deletion commits.
    return this.blobs.remove(tenant, address);
  }

  remove(tenant: TenantScope, address: string): Promise<void> {
    return this.blobs.remove(tenant, address);
  }
}

import type { Database } from './database';
import { type TenantScope, tenantColumns, tenantFilter } from './scope';

/** Bytes per row: well under any single-value limit, and a 10 MiB file is 20 rows. */
export const BLOB_CHUNK_BYTES = 512 * 1024;

/**
 * Encrypted evidence bytes in PostgreSQL, keyed by tenant and address, one row per chunk. A blob is written
 * whole in one transaction, and only by whoever inserts its first chunk: a second writer of the same
 * address (the same file uploaded twice at once, on two platform processes) waits for the first to commit,
 * finds the first chunk taken and writes nothing, so no blob is ever a mix of two encryptions.
 */
export class EvidenceBlobStore {
  constructor(private readonly db: Database) {}

  put(scope: TenantScope, address: string, sealed: Uint8Array): Promise<void> {
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    return this.db.inTenant(scope, () =>
      this.db.tenant(scope, async (q) => {
        const chunks = Math.max(1, Math.ceil(bytes.length / BLOB_CHUNK_BYTES));
        for (let chunk = 0; chunk < chunks; chunk++) {
          const row = {
            ...tenantColumns(scope),
            address,
            chunk,
            bytes: bytes.subarray(chunk * BLOB_CHUNK_BYTES, (chunk + 1) * BLOB_CHUNK_BYTES),
          };
          if (chunk > 0) {
            await q.insertInto('evidence_blobs').values(row).execute();
            continue;
          }
          const first = await q
            .insertInto('evidence_blobs')
            .values(row)
            .onConflict((oc) => oc.doNothing())
            .executeTakeFirst();
          if (first.numInsertedOrUpdatedRows !== 1n) return;
        }
      }),
    );
  }

  async read(scope: TenantScope, address: string): Promise<Buffer | undefined> {
    const rows = await this.db.tenant(scope, (q) =>
      q
        .selectFrom('evidence_blobs')
        .select('bytes')
        .where(tenantFilter(scope))
        .where('address', '=', address)
        .orderBy('chunk')
        .execute(),
    );
    return rows.length === 0 ? undefined : Buffer.concat(rows.map((row) => row.bytes));
  }

  async remove(scope: TenantScope, address: string): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q.deleteFrom('evidence_blobs').where(tenantFilter(scope)).where('address', '=', address).execute(),
    );
  }
}

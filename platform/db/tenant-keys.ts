import type { Database } from './database';
import { type TenantScope, tenantColumns, tenantFilter } from './scope';
import type { TenantDataKeysTable } from './tables';

export type TenantKeyRow = TenantDataKeysTable;

/** Tenants' wrapped data keys. The one cross-tenant read is the rotation's list of rows left to re-wrap. */
export class TenantKeyStore {
  constructor(private readonly db: Database) {}

  current(scope: TenantScope): Promise<TenantKeyRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('tenant_data_keys')
        .selectAll()
        .where(tenantFilter(scope))
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst(),
    );
  }

  version(scope: TenantScope, version: number): Promise<TenantKeyRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('tenant_data_keys')
        .selectAll()
        .where(tenantFilter(scope))
        .where('version', '=', version)
        .executeTakeFirst(),
    );
  }

  /** False when another process created this version first; the caller reads theirs. */
  async insert(
    scope: TenantScope,
    row: Omit<TenantKeyRow, 'organization_id' | 'environment'>,
  ): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .insertInto('tenant_data_keys')
        .values({ ...tenantColumns(scope), ...row })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
    return result.numInsertedOrUpdatedRows === 1n;
  }

  /** Re-wraps one key, only if it is still wrapped under `previous` (a concurrent rotation did not win). */
  async rewrap(row: TenantKeyRow, masterKeyId: string, wrapped: Buffer): Promise<boolean> {
    const result = await this.db.platform((q) =>
      q
        .updateTable('tenant_data_keys')
        .set({ master_key_id: masterKeyId, wrapped_key: wrapped })
        .where('organization_id', '=', row.organization_id)
        .where('environment', '=', row.environment)
        .where('version', '=', row.version)
        .where('master_key_id', '=', row.master_key_id)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  /** Up to 100 rows wrapped under any key but `masterKeyId`. */
  wrappedUnderOtherKeys(masterKeyId: string): Promise<TenantKeyRow[]> {
    return this.db.platform((q) =>
      q
        .selectFrom('tenant_data_keys')
        .selectAll()
        .where('master_key_id', '<>', masterKeyId)
        .orderBy('organization_id')
        .orderBy('environment')
        .orderBy('version')
        .limit(100)
        .execute(),
    );
  }
}

import type { Database } from './database';
import { type TenantScope, tenantColumns, tenantFilter } from './scope';
import type { ApiKeysTable } from './tables';

export type ApiKeyRow = ApiKeysTable;

export class ApiKeyStore {
  constructor(private readonly db: Database) {}

  async insert(scope: TenantScope, row: Omit<ApiKeyRow, 'organization_id' | 'environment'>): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('api_keys')
        .values({ ...row, ...tenantColumns(scope) })
        .execute(),
    );
  }

  list(scope: TenantScope): Promise<ApiKeyRow[]> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('api_keys')
        .selectAll()
        .where(tenantFilter(scope))
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute(),
    );
  }

  get(scope: TenantScope, id: string): Promise<ApiKeyRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q.selectFrom('api_keys').selectAll().where(tenantFilter(scope)).where('id', '=', id).executeTakeFirst(),
    );
  }

  async revoke(scope: TenantScope, id: string, now: number): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where(tenantFilter(scope))
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  async markRotated(
    scope: TenantScope,
    id: string,
    replacedBy: string,
    graceUntil: number,
  ): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('api_keys')
        .set({ grace_until: graceUntil, replaced_by: replacedBy })
        .where(tenantFilter(scope))
        .where('id', '=', id)
        .where('replaced_by', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  /**
   * Hands a key over: from now on it acts as `ownerId`, and its stored digest becomes `lockedDigest`, the
   * digest of a secret no one holds, so the secret handed out before stops working at once.
   */
  async transfer(
    scope: TenantScope,
    id: string,
    ownerId: string,
    lockedDigest: Buffer,
    now: number,
  ): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('api_keys')
        .set({ owner_id: ownerId, secret_sha256: lockedDigest, handed_over_at: now })
        .where(tenantFilter(scope))
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('replaced_by', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  /**
   * Resolves a presented credential to its key before any tenant is known. The row tells the access layer
   * which single tenant the key may act in; nothing else reads keys without a scope.
   */
  findCredential(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.platform((q) =>
      q.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst(),
    );
  }

  /** Last-used is advisory; writing it at most once a minute keeps authentication off the write path. */
  async touchLastUsed(id: string, now: number): Promise<void> {
    await this.db.platform((q) =>
      q
        .updateTable('api_keys')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)]))
        .execute(),
    );
  }
}

import type { Db } from './database';
import { TENANT_WHERE, type TenantScope, tenantParams } from './scope';

export interface TenantKeyRow {
  organization_id: string;
  environment: 'test' | 'live';
  version: number;
  master_key_id: string;
  wrapped_key: Buffer;
  created_at: number;
}

/** Tenants' wrapped data keys. The one cross-tenant read is the rotation's list of rows left to re-wrap. */
export class TenantKeyStore {
  readonly #current;
  readonly #version;
  readonly #insert;
  readonly #rewrap;
  readonly #underOtherKeys;

  constructor(db: Db) {
    this.#current = db.prepare<Record<string, unknown>, TenantKeyRow>(
      `SELECT * FROM tenant_data_keys WHERE ${TENANT_WHERE} ORDER BY version DESC LIMIT 1`,
    );
    this.#version = db.prepare<Record<string, unknown>, TenantKeyRow>(
      `SELECT * FROM tenant_data_keys WHERE ${TENANT_WHERE} AND version = @version`,
    );
    this.#insert = db.prepare<Record<string, unknown>>(
      `INSERT OR IGNORE INTO tenant_data_keys (organization_id, environment, version, master_key_id, wrapped_key, created_at)
       VALUES (@organization_id, @environment, @version, @master_key_id, @wrapped_key, @created_at)`,
    );
    this.#rewrap = db.prepare<Record<string, unknown>>(
      `UPDATE tenant_data_keys SET master_key_id = @master_key_id, wrapped_key = @wrapped_key
       WHERE organization_id = @organization_id AND environment = @environment AND version = @version
         AND master_key_id = @previous`,
    );
    this.#underOtherKeys = db.prepare<[string], TenantKeyRow>(
      'SELECT * FROM tenant_data_keys WHERE master_key_id <> ? ORDER BY organization_id, environment, version LIMIT 100',
    );
  }

  current(scope: TenantScope): TenantKeyRow | undefined {
    return this.#current.get(tenantParams(scope));
  }

  version(scope: TenantScope, version: number): TenantKeyRow | undefined {
    return this.#version.get({ ...tenantParams(scope), version });
  }

  /** False when another process created this version first; the caller reads theirs. */
  insert(scope: TenantScope, row: Omit<TenantKeyRow, 'organization_id' | 'environment'>): boolean {
    return this.#insert.run({ ...tenantParams(scope), ...row }).changes === 1;
  }

  /** Re-wraps one key, only if it is still wrapped under `previous` (a concurrent rotation did not win). */
  rewrap(row: TenantKeyRow, masterKeyId: string, wrapped: Buffer): boolean {
    return (
      this.#rewrap.run({
        organization_id: row.organization_id,
        environment: row.environment,
        version: row.version,
        master_key_id: masterKeyId,
        wrapped_key: wrapped,
        previous: row.master_key_id,
      }).changes === 1
    );
  }

  /** Up to 100 rows wrapped under any key but `masterKeyId`. */
  wrappedUnderOtherKeys(masterKeyId: string): TenantKeyRow[] {
    return this.#underOtherKeys.all(masterKeyId);
  }
}

import type { Environment } from '../../shared/domain/environments';
import type { Db } from './database';
import { TENANT_WHERE, type TenantScope, tenantParams } from './scope';

export interface ApiKeyRow {
  id: string;
  organization_id: string;
  environment: Environment;
  name: string;
  secret_sha256: Buffer;
  scopes: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
  grace_until: number | null;
  replaced_by: string | null;
}

export class ApiKeyStore {
  readonly #insert;
  readonly #list;
  readonly #get;
  readonly #revoke;
  readonly #rotate;
  readonly #credential;
  readonly #touch;

  constructor(db: Db) {
    this.#insert = db.prepare<ApiKeyRow>(
      `INSERT INTO api_keys (id, organization_id, environment, name, secret_sha256, scopes, created_by, created_at,
         expires_at, last_used_at, revoked_at, grace_until, replaced_by)
       VALUES (@id, @organization_id, @environment, @name, @secret_sha256, @scopes, @created_by, @created_at,
         @expires_at, @last_used_at, @revoked_at, @grace_until, @replaced_by)`,
    );
    this.#list = db.prepare<Record<string, unknown>, ApiKeyRow>(
      `SELECT * FROM api_keys WHERE ${TENANT_WHERE} ORDER BY created_at DESC, id`,
    );
    this.#get = db.prepare<Record<string, unknown>, ApiKeyRow>(
      `SELECT * FROM api_keys WHERE ${TENANT_WHERE} AND id = @id`,
    );
    this.#revoke = db.prepare<Record<string, unknown>>(
      `UPDATE api_keys SET revoked_at = @now WHERE ${TENANT_WHERE} AND id = @id AND revoked_at IS NULL`,
    );
    this.#rotate = db.prepare<Record<string, unknown>>(
      `UPDATE api_keys SET grace_until = @grace_until, replaced_by = @replaced_by
       WHERE ${TENANT_WHERE} AND id = @id AND replaced_by IS NULL AND revoked_at IS NULL`,
    );
    this.#credential = db.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE id = ?');
    // Last-used is advisory; writing it at most once a minute keeps authentication off the write path.
    this.#touch = db.prepare<[number, string, number]>(
      'UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)',
    );
  }

  insert(scope: TenantScope, row: Omit<ApiKeyRow, 'organization_id' | 'environment'>): void {
    this.#insert.run({ ...row, ...tenantParams(scope) });
  }

  list(scope: TenantScope): ApiKeyRow[] {
    return this.#list.all(tenantParams(scope));
  }

  get(scope: TenantScope, id: string): ApiKeyRow | undefined {
    return this.#get.get({ ...tenantParams(scope), id });
  }

  revoke(scope: TenantScope, id: string, now: number): boolean {
    return this.#revoke.run({ ...tenantParams(scope), id, now }).changes === 1;
  }

  markRotated(scope: TenantScope, id: string, replacedBy: string, graceUntil: number): boolean {
    return (
      this.#rotate.run({ ...tenantParams(scope), id, replaced_by: replacedBy, grace_until: graceUntil })
        .changes === 1
    );
  }

  /**
   * Resolves a presented credential to its key before any tenant is known. The row tells the access layer
   * which single tenant the key may act in; nothing else reads keys without a scope.
   */
  findCredential(id: string): ApiKeyRow | undefined {
    return this.#credential.get(id);
  }

  touchLastUsed(id: string, now: number): void {
    this.#touch.run(now, id, now - 60_000);
  }
}

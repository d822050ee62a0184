import type { Db } from './database';
import { TENANT_WHERE, type TenantScope, tenantParams } from './scope';

export interface EvidenceRow {
  id: string;
  request_id: string | null;
  sha256: string;
  name: string;
  media_type: string;
  size: number;
  uploader_type: string;
  uploader_id: string;
  created_at: number;
  deleted_at: number | null;
}

export class EvidenceStore {
  readonly #insert;
  readonly #get;
  readonly #forRequest;
  readonly #library;
  readonly #markDeleted;
  readonly #liveCopies;

  constructor(db: Db) {
    this.#insert = db.prepare<Record<string, unknown>>(
      `INSERT INTO evidence (id, organization_id, environment, request_id, sha256, name, media_type, size, uploader_type,
         uploader_id, created_at, deleted_at)
       VALUES (@id, @organization_id, @environment, @request_id, @sha256, @name, @media_type, @size, @uploader_type,
         @uploader_id, @created_at, @deleted_at)`,
    );
    this.#get = db.prepare<Record<string, unknown>, EvidenceRow>(
      `SELECT * FROM evidence WHERE ${TENANT_WHERE} AND id = @id`,
    );
    this.#forRequest = db.prepare<Record<string, unknown>, EvidenceRow>(
      `SELECT * FROM evidence WHERE ${TENANT_WHERE} AND request_id = @request_id AND deleted_at IS NULL ORDER BY created_at, id`,
    );
    this.#library = db.prepare<Record<string, unknown>, EvidenceRow>(
      `SELECT * FROM evidence WHERE ${TENANT_WHERE} AND request_id IS NULL AND deleted_at IS NULL
       ORDER BY created_at DESC, id LIMIT 500`,
    );
    this.#markDeleted = db.prepare<Record<string, unknown>>(
      `UPDATE evidence SET deleted_at = @now WHERE ${TENANT_WHERE} AND id = @id AND deleted_at IS NULL`,
    );
    // Across tenants on purpose: a blob is shared by every row with its hash, and stays while any does.
    this.#liveCopies = db.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM evidence WHERE sha256 = ? AND deleted_at IS NULL',
    );
  }

  insert(scope: TenantScope, row: EvidenceRow): void {
    this.#insert.run({ ...tenantParams(scope), ...row });
  }

  get(scope: TenantScope, id: string): EvidenceRow | undefined {
    return this.#get.get({ ...tenantParams(scope), id });
  }

  forRequest(scope: TenantScope, requestId: string): EvidenceRow[] {
    return this.#forRequest.all({ ...tenantParams(scope), request_id: requestId });
  }

  library(scope: TenantScope): EvidenceRow[] {
    return this.#library.all(tenantParams(scope));
  }

  markDeleted(scope: TenantScope, id: string, now: number): boolean {
    return this.#markDeleted.run({ ...tenantParams(scope), id, now }).changes === 1;
  }

  liveCopies(sha256: string): number {
    return this.#liveCopies.get(sha256)?.n ?? 0;
  }
}

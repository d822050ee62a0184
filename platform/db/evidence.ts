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
  /** The encrypted bytes' address in this tenant's storage, and the data key version that sealed them. */
  blob_address: string | null;
  key_version: number | null;
}

export type EvidenceRowOfTenant = EvidenceRow & { organization_id: string; environment: 'test' | 'live' };

/**
 * An evidence row with the request it belongs to: the one it was uploaded to, or the one it was attached
 * to when that request was raised (approval_evidence). Readers see one `request_id` either way: of two
 * result columns with one name, better-sqlite3 keeps the last (evidence-attachment.test.ts holds it to
 * that), so every other column of the row comes through as it is.
 */
const SELECT_EVIDENCE = `SELECT e.*, COALESCE(e.request_id, a.request_id) AS request_id
  FROM evidence e LEFT JOIN approval_evidence a ON a.evidence_id = e.id
  WHERE e.organization_id = @organization_id AND e.environment = @environment`;

export class EvidenceStore {
  readonly #insert;
  readonly #attach;
  readonly #get;
  readonly #forRequest;
  readonly #library;
  readonly #markDeleted;
  readonly #liveCopies;
  readonly #unsealed;
  readonly #sealed;

  constructor(db: Db) {
    this.#insert = db.prepare<Record<string, unknown>>(
      `INSERT INTO evidence (id, organization_id, environment, request_id, sha256, name, media_type, size, uploader_type,
         uploader_id, created_at, deleted_at, blob_address, key_version)
       VALUES (@id, @organization_id, @environment, @request_id, @sha256, @name, @media_type, @size, @uploader_type,
         @uploader_id, @created_at, @deleted_at, @blob_address, @key_version)`,
    );
    this.#attach = db.prepare<Record<string, unknown>>(
      `INSERT INTO approval_evidence (evidence_id, request_id, organization_id, environment, attached_at)
       VALUES (@evidence_id, @request_id, @organization_id, @environment, @attached_at)`,
    );
    this.#get = db.prepare<Record<string, unknown>, EvidenceRow>(`${SELECT_EVIDENCE} AND e.id = @id`);
    this.#forRequest = db.prepare<Record<string, unknown>, EvidenceRow>(
      `${SELECT_EVIDENCE} AND e.deleted_at IS NULL AND e.id IN (
         SELECT id FROM evidence WHERE ${TENANT_WHERE} AND request_id = @request_id
         UNION ALL SELECT evidence_id FROM approval_evidence WHERE ${TENANT_WHERE} AND request_id = @request_id)
       ORDER BY e.created_at, e.id`,
    );
    this.#library = db.prepare<Record<string, unknown>, EvidenceRow>(
      `${SELECT_EVIDENCE} AND e.request_id IS NULL AND a.request_id IS NULL AND e.deleted_at IS NULL
       ORDER BY e.created_at DESC, e.id LIMIT 500`,
    );
    this.#markDeleted = db.prepare<Record<string, unknown>>(
      `UPDATE evidence SET deleted_at = @now WHERE ${TENANT_WHERE} AND id = @id AND deleted_at IS NULL`,
    );
    // A blob is shared by every row of its tenant with the same file, and stays while any does.
    this.#liveCopies = db.prepare<Record<string, unknown>, { n: number }>(
      `SELECT count(*) AS n FROM evidence WHERE ${TENANT_WHERE} AND blob_address = @address AND deleted_at IS NULL`,
    );
    this.#unsealed = db.prepare<[], EvidenceRowOfTenant>(
      'SELECT * FROM evidence WHERE blob_address IS NULL AND deleted_at IS NULL ORDER BY created_at LIMIT 100',
    );
    this.#sealed = db.prepare<Record<string, unknown>>(
      `UPDATE evidence SET blob_address = @address, key_version = @key_version
       WHERE ${TENANT_WHERE} AND id = @id AND blob_address IS NULL`,
    );
  }

  /**
   * Maintenance across tenants: live rows whose bytes are still in the old clear, shared layout (from
   * before evidence was encrypted per tenant), at most 100 at a time. Each row names its own tenant.
   */
  unsealed(): EvidenceRowOfTenant[] {
    return this.#unsealed.all();
  }

  /** Records where a row's bytes now live, encrypted; only ever from null (the trigger leaves these columns). */
  markSealed(scope: TenantScope, id: string, address: string, keyVersion: number): void {
    this.#sealed.run({ ...tenantParams(scope), id, address, key_version: keyVersion });
  }

  insert(scope: TenantScope, row: EvidenceRow): void {
    this.#insert.run({ ...tenantParams(scope), ...row });
  }

  /** Binds an unattached file to a request; a file already attached makes this throw (its primary key). */
  attach(scope: TenantScope, evidenceId: string, requestId: string, now: number): void {
    this.#attach.run({
      ...tenantParams(scope),
      evidence_id: evidenceId,
      request_id: requestId,
      attached_at: now,
    });
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

  liveCopies(scope: TenantScope, address: string): number {
    return this.#liveCopies.get({ ...tenantParams(scope), address })?.n ?? 0;
  }
}

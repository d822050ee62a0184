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

  constructor(db: Db) {
    this.#insert = db.prepare<Record<string, unknown>>(
      `INSERT INTO evidence (id, organization_id, environment, request_id, sha256, name, media_type, size, uploader_type,
         uploader_id, created_at, deleted_at)
       VALUES (@id, @organization_id, @environment, @request_id, @sha256, @name, @media_type, @size, @uploader_type,
         @uploader_id, @created_at, @deleted_at)`,
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
    // Across tenants on purpose: a blob is shared by every row with its hash, and stays while any does.
    this.#liveCopies = db.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM evidence WHERE sha256 = ? AND deleted_at IS NULL',
    );
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

  liveCopies(sha256: string): number {
    return this.#liveCopies.get(sha256)?.n ?? 0;
  }
}

import { createHash } from 'node:crypto';
import type { EvidenceMeta } from '../../shared/api/evidence';
import { requestTarget } from '../../shared/api/route';
import { evidenceApi } from '../../shared/api/routes/evidence';
import { checkEvidence, MAX_EVIDENCE_BYTES } from '../../shared/evidence/content-type';
import { fail, ok, type Result } from '../../shared/result';
import type { Principal } from '../access/principal';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { newId } from '../crypto/random';
import type { EvidenceRow } from '../db/evidence';
import type { TenantScope } from '../db/scope';
import { blobAddress, openBlob, sealBlob } from './blob-crypto';
import { MAX_URL_LIFETIME_MS } from './download-urls';
import { sanitizeFileName } from './file-name';

export { MAX_EVIDENCE_BYTES };

const notFound = 'Evidence not found.';

export function principalIdOf(principal: Principal): string {
  return principal.kind === 'user' ? principal.userId : principal.keyId;
}

export function toEvidenceMeta(row: EvidenceRow): EvidenceMeta {
  return {
    id: row.id,
    requestId: row.request_id,
    name: row.name,
    mediaType: row.media_type as EvidenceMeta['mediaType'],
    size: row.size,
    sha256: row.sha256,
    uploader: { type: row.uploader_type, id: row.uploader_id },
    uploadedAt: new Date(row.created_at).toISOString(),
  };
}

/** Evidence files: checked on the way in, written once, handed out through short-lived bound URLs. */
export class EvidenceService {
  constructor(private readonly ctx: PlatformContext) {}

  async upload(
    tenant: TenantScope,
    principal: Principal,
    input: { name: string; requestId?: string; bytes: Buffer },
    context: AuditContext,
  ): Promise<Result<EvidenceMeta>> {
    const { stores, clock, auditLog } = this.ctx;
    const sealed = await this.#seal(tenant, input.bytes);
    if (!sealed.ok) return sealed;
    const { sha256, mediaType, address, keyVersion } = sealed.value;
    return stores.db.inTenant(tenant, async (): Promise<Result<EvidenceMeta>> => {
      if (input.requestId) {
        const request = await stores.approvals.get(tenant, input.requestId);
        if (!request) return fail('not-found', 'Approval request not found.');
        if (request.status !== 'pending')
          return fail('conflict', 'Evidence can only be added to a pending request.');
        // Each decision is signed over the evidence its approver saw: after one, the set must not change.
        if ((await stores.approvals.decisions(tenant, input.requestId)).length > 0)
          return fail(
            'conflict',
            'Evidence can only be added before anyone has decided on the request; raise a new request with it.',
          );
      }
      const row: EvidenceRow = {
        id: newId('evd'),
        request_id: input.requestId ?? null,
        sha256,
        name: sanitizeFileName(input.name),
        media_type: mediaType,
        size: input.bytes.length,
        uploader_type: principal.kind,
        uploader_id: principalIdOf(principal),
        created_at: clock.now(),
        deleted_at: null,
        blob_address: address,
        key_version: keyVersion,
      };
      await stores.evidence.insert(tenant, row);
      await auditLog.append(tenant, context, {
        action: 'evidence.upload',
        resource: { type: 'evidence', id: row.id },
        change: { before: null, after: { ...toEvidenceMeta(row) } },
      });
      return ok(toEvidenceMeta(row));
    });
  }

  /**
   * A file the platform writes itself (an access review's evidence pack), by the same rules as an upload:
   * checked, sealed and stored now, before any transaction; its row and `evidence.upload` entry are
   * written by the returned function, in the caller's transaction.
   */
  async prepareOwnFile(
    tenant: TenantScope,
    name: string,
    bytes: Buffer,
  ): Promise<Result<{ sha256: string; insert(context: AuditContext): Promise<EvidenceMeta> }>> {
    const sealed = await this.#seal(tenant, bytes);
    if (!sealed.ok) return sealed;
    const { sha256, mediaType, address, keyVersion } = sealed.value;
    const insert = async (context: AuditContext): Promise<EvidenceMeta> => {
      const row: EvidenceRow = {
        id: newId('evd'),
        request_id: null,
        sha256,
        name: sanitizeFileName(name),
        media_type: mediaType,
        size: bytes.length,
        uploader_type: context.actor.type,
        uploader_id: context.actor.id,
        created_at: this.ctx.clock.now(),
        deleted_at: null,
        blob_address: address,
        key_version: keyVersion,
      };
      await this.ctx.stores.evidence.insert(tenant, row);
      await this.ctx.auditLog.append(tenant, context, {
        action: 'evidence.upload',
        resource: { type: 'evidence', id: row.id },
        change: { before: null, after: { ...toEvidenceMeta(row) } },
      });
      return toEvidenceMeta(row);
    };
    return ok({ sha256, insert });
  }

  /** Checks a file by its bytes, encrypts it under the tenant's data key and stores it at its address. */
  async #seal(
    tenant: TenantScope,
    bytes: Buffer,
  ): Promise<Result<{ sha256: string; mediaType: string; address: string; keyVersion: number }>> {
    const checked = checkEvidence(bytes);
    if (!checked.ok) return checked;
    // Encrypted and stored before the row that names it: a crash leaves at most an unreferenced blob.
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const dataKey = await this.ctx.evidenceKeys.current(tenant);
    const address = blobAddress(dataKey, sha256);
    this.ctx.blobs.put(tenant, address, sealBlob(dataKey, tenant, sha256, bytes));
    return ok({ sha256, mediaType: checked.value, address, keyVersion: dataKey.version });
  }

  async list(tenant: TenantScope, requestId?: string): Promise<EvidenceMeta[]> {
    const rows = requestId
      ? await this.ctx.stores.evidence.forRequest(tenant, requestId)
      : await this.ctx.stores.evidence.library(tenant);
    return rows.map(toEvidenceMeta);
  }

  /** A download URL good for this caller, this object and under five minutes. Issuing one is audited. */
  async issueUrl(
    tenant: TenantScope,
    principal: Principal,
    evidenceId: string,
    context: AuditContext,
  ): Promise<Result<{ url: string; expiresAt: string }>> {
    const { stores, clock, urlSigner, auditLog } = this.ctx;
    const row = await stores.evidence.get(tenant, evidenceId);
    if (!row || row.deleted_at !== null)
      return fail<{ url: string; expiresAt: string }>('not-found', notFound);
    const expires = clock.now() + MAX_URL_LIFETIME_MS;
    const signature = urlSigner.sign({
      organizationId: tenant.organizationId,
      environment: tenant.environment,
      evidenceId,
      principalId: principalIdOf(principal),
      expires,
    });
    await auditLog.append(tenant, context, {
      action: 'evidence.download_url',
      resource: { type: 'evidence', id: evidenceId },
      change: { before: null, after: { sha256: row.sha256, expiresAt: new Date(expires).toISOString() } },
    });
    // The declared download route, filled in (and checked) the way a client fills in any route.
    const url = requestTarget(evidenceApi.content, {
      params: { org: tenant.organizationSlug, env: tenant.environment, evidenceId },
      query: { expires, signature },
    });
    if (!url.ok) throw new Error('The download route refused its own parameters');
    return ok({ url: url.value, expiresAt: new Date(expires).toISOString() });
  }

  async download(
    tenant: TenantScope,
    principal: Principal,
    evidenceId: string,
    link: { expires: number; signature: string },
  ): Promise<Result<{ meta: EvidenceMeta; bytes: Buffer }>> {
    const { stores, clock, urlSigner } = this.ctx;
    const binding = {
      organizationId: tenant.organizationId,
      environment: tenant.environment,
      evidenceId,
      principalId: principalIdOf(principal),
      expires: link.expires,
    };
    if (!urlSigner.verify(binding, link.signature, clock.now())) {
      return fail('forbidden', 'This download link is expired or not valid for you.');
    }
    const row = await stores.evidence.get(tenant, evidenceId);
    if (!row || row.deleted_at !== null) return fail('not-found', notFound);
    const bytes = await this.readBytes(tenant, row);
    if (!bytes) throw new Error(`Evidence ${row.id} is missing or damaged`);
    return ok({ meta: toEvidenceMeta(row), bytes });
  }

  /** A file's clear bytes, checked against its SHA-256; undefined when missing, damaged or swapped. */
  async readBytes(tenant: TenantScope, row: EvidenceRow): Promise<Buffer | undefined> {
    if (row.blob_address === null || row.key_version === null) return undefined;
    const sealed = this.ctx.blobs.read(tenant, row.blob_address);
    if (!sealed) return undefined;
    const dataKey = await this.ctx.evidenceKeys.version(tenant, row.key_version);
    const bytes = openBlob(dataKey, tenant, row.sha256, sealed);
    return bytes && createHash('sha256').update(bytes).digest('hex') === row.sha256 ? bytes : undefined;
  }

  /** Only ever called by an approved `evidence.delete` request; an access review's pack is never deleted. */
  async delete(tenant: TenantScope, evidenceId: string, context: AuditContext): Promise<Result<string>> {
    const { stores, clock, blobs, auditLog } = this.ctx;
    const row = await stores.evidence.get(tenant, evidenceId);
    if (row && isAccessReviewPack(row)) return fail('forbidden', accessReviewPackIsFinal);
    if (!row || !(await stores.evidence.markDeleted(tenant, evidenceId, clock.now())))
      return fail('not-found', notFound);
    await auditLog.append(tenant, context, {
      action: 'evidence.delete',
      resource: { type: 'evidence', id: evidenceId },
      change: { before: toEvidenceMeta(row), after: null },
    });
    const address = row.blob_address;
    if (address && (await stores.evidence.liveCopies(tenant, address)) === 0) {
      // The file goes once the deletion has committed: a rolled-back deletion keeps its bytes.
      stores.db.afterCommit(() => blobs.remove(tenant, address));
    }
    return ok(`deleted ${evidenceId}`);
  }
}

/** Who writes an access review's evidence pack (reviews/review-service.ts): the pack is immutable evidence. */
export const ACCESS_REVIEW_UPLOADER = 'access-review';
export const accessReviewPackIsFinal =
  'This file is an access review’s evidence pack: it is immutable and cannot be deleted.';

export function isAccessReviewPack(row: Pick<EvidenceRow, 'uploader_type' | 'uploader_id'>): boolean {
  return row.uploader_type === 'system' && row.uploader_id === ACCESS_REVIEW_UPLOADER;
}

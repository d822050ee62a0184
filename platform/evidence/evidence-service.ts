import { createHash } from 'node:crypto';
import type { EvidenceMeta } from '../../shared/api/evidence';
import { requestTarget } from '../../shared/api/route';
import { evidenceApi } from '../../shared/api/routes/evidence';
import { checkEvidence, MAX_EVIDENCE_BYTES } from '../../shared/evidence/content-type';
import { checkEvidencePeriod, dayOf } from '../../shared/evidence/period';
import { fail, ok, type Result } from '../../shared/result';
import { type Principal, personOf } from '../access/principal';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { newId } from '../crypto/random';
import type { EvidenceRow } from '../db/evidence';
import type { TenantScope } from '../db/scope';
import { blobAddress, openBlob, sealBlob } from './blob-crypto';
import { MAX_URL_LIFETIME_MS } from './download-urls';
import { sanitizeFileName } from './file-name';
import { supersedeRefusal } from './supersede-rules';

export { MAX_EVIDENCE_BYTES };

const notFound = 'Evidence not found.';
const alreadySuperseded = 'That file already has a newer version; replace the newest one instead.';

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
    // Rows from before periods were recorded were backfilled with their upload day; this is the same rule.
    period: {
      from: row.period_from ?? dayOf(row.created_at),
      to: row.period_to ?? dayOf(row.created_at),
    },
    expiresOn: row.expires_on,
    supersedes: row.supersedes,
  };
}

/** What an upload says about the file besides its bytes: the request, period, expiry and what it replaces. */
export interface UploadInput {
  readonly name: string;
  readonly requestId?: string;
  readonly periodFrom?: string;
  readonly periodTo?: string;
  readonly expiresOn?: string;
  readonly supersedes?: string;
  readonly bytes: Buffer;
}

/** Evidence files: checked on the way in, written once, handed out through short-lived bound URLs. */
export class EvidenceService {
  constructor(private readonly ctx: PlatformContext) {}

  async upload(
    tenant: TenantScope,
    principal: Principal,
    input: UploadInput,
    context: AuditContext,
  ): Promise<Result<EvidenceMeta>> {
    const { stores, blobs, clock, auditLog } = this.ctx;
    const checked = checkEvidence(input.bytes);
    if (!checked.ok) return checked;
    const mediaType = checked.value;
    // A period is both days or neither; without one, the file is evidence for the day it arrives.
    if ((input.periodFrom === undefined) !== (input.periodTo === undefined))
      return fail('bad-request', 'Give both days of the period, or neither.');
    const today = dayOf(clock.now());
    const period = checkEvidencePeriod({
      from: input.periodFrom ?? today,
      to: input.periodTo ?? today,
      expiresOn: input.expiresOn ?? null,
    });
    if (!period.ok) return period;
    // Encrypted and stored before the row that names it: a crash leaves at most an unreferenced blob.
    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    const dataKey = await this.ctx.evidenceKeys.current(tenant);
    const address = blobAddress(dataKey, sha256);
    await blobs.put(tenant, address, sealBlob(dataKey, tenant, sha256, input.bytes));
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
      // Two new versions of one file at once would fork its chain: the tenant's audit-log lock (which this
      // upload takes anyway to record itself) is taken first, so the check below sees any committed rival.
      if (input.supersedes) await stores.db.lockAuditLog(tenant);
      const replaced = input.supersedes ? await stores.evidence.record(tenant, input.supersedes) : undefined;
      if (input.supersedes) {
        if (!replaced || replaced.deleted_at !== null)
          return fail('not-found', 'The evidence this file would replace was not found.');
        // Who asks is checked before the file's state, so a refused caller learns nothing more than "no".
        const refusal = await supersedeRefusal(this.ctx, tenant, principal, replaced);
        if (refusal) {
          // Audited like refused decisions: an attempt to take over another person's evidence is a signal.
          await auditLog.append(tenant, context, {
            action: 'evidence.supersede_refused',
            resource: { type: 'evidence', id: replaced.id },
            change: { before: null, after: { reason: refusal.reason } },
            outcome: 'failure',
          });
          return fail(refusal.code, refusal.message);
        }
        // One newer version per file: the versions of a document form a chain, never a fork.
        if (replaced.superseded_by !== null) return fail('conflict', alreadySuperseded);
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
        uploader_person_id: personOf(principal),
        created_at: clock.now(),
        deleted_at: null,
        blob_address: address,
        key_version: dataKey.version,
        period_from: period.value.from,
        period_to: period.value.to,
        expires_on: period.value.expiresOn ?? null,
        supersedes: replaced?.id ?? null,
      };
      // The database has the last word on one successor per file (evidence_one_successor), whichever path
      // wrote a rival: the lock above serializes uploads, the index also holds writes that do not take it.
      if (!(await stores.evidence.insert(tenant, row))) return fail('conflict', alreadySuperseded);
      await auditLog.append(tenant, context, {
        action: 'evidence.upload',
        resource: { type: 'evidence', id: row.id },
        change: { before: null, after: { ...toEvidenceMeta(row) } },
      });
      if (replaced) {
        // The older file is not touched: what changes is the record that it has a successor.
        await auditLog.append(tenant, context, {
          action: 'evidence.supersede',
          resource: { type: 'evidence', id: replaced.id },
          change: {
            before: { supersededBy: null, sha256: replaced.sha256 },
            after: { supersededBy: row.id, sha256: row.sha256 },
          },
        });
      }
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
    /** The days it is evidence for (an access review: from its start to its close). */
    period: { readonly from: string; readonly to: string },
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
        // Written by the platform itself: no person is accountable for the file as an uploader.
        uploader_person_id: null,
        created_at: this.ctx.clock.now(),
        deleted_at: null,
        blob_address: address,
        key_version: keyVersion,
        period_from: period.from,
        period_to: period.to,
        expires_on: null,
        supersedes: null,
      };
      if (!(await this.ctx.stores.evidence.insert(tenant, row)))
        throw new Error('The evidence pack could not be stored');
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
    await this.ctx.blobs.put(tenant, address, sealBlob(dataKey, tenant, sha256, bytes));
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
    const sealed = await this.ctx.blobs.read(tenant, row.blob_address);
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
    // The bytes go with the deletion: a rolled-back deletion keeps them.
    if (address && (await stores.evidence.liveCopies(tenant, address)) === 0)
      await blobs.discard(tenant, address);
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

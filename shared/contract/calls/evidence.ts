import { z } from 'zod';
import { ApprovalId } from '../../api/common';
import {
  EvidenceCatalog,
  EvidenceCatalogQuery,
  EvidenceCoverage,
  EvidenceId,
  EvidenceMeta,
  EvidenceRecord,
  IsoDay,
} from '../../api/evidence';
import { call, FileId, GrantedFile, ProfileRef, TaskId, TenantCall } from '../spec';

export const CachedEvidence = z.object({
  snapshotId: z.string(),
  name: z.string(),
  mediaType: z.string(),
  size: z.number(),
  sha256: z.string(),
  requestId: z.string().nullable(),
  cachedAt: z.number(),
  lastUsedAt: z.number(),
});

const CacheStats = z.object({ entries: z.number(), bytes: z.number(), quotaBytes: z.number() });

/** A platform file with whether this computer holds it (readable offline). */
export const CatalogEntry = EvidenceRecord.extend({ cached: z.boolean() });
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const evidenceCalls = {
  'evidence.open': call({
    summary:
      'Opens an evidence file: from the encrypted cache when it holds it (checked against the published hash), otherwise downloaded from the platform (its metadata from its own route) with `progress` events under `taskId`, then cached. `evidence.cancelOpen` stops a download; a cancelled one leaves nothing behind.',
    input: z.strictObject({
      ...TenantCall,
      evidenceId: EvidenceId,
      taskId: TaskId.optional(),
    }),
    output: z.discriminatedUnion('outcome', [
      z.object({
        outcome: z.literal('opened'),
        evidence: CachedEvidence,
        /** The file's bytes, base64: the renderer shows images, PDF, text, CSV and JSON, and offers the rest as a download. */
        content: z.string(),
        source: z.enum(['cache', 'platform']),
      }),
      z.object({ outcome: z.literal('cancelled') }),
    ]),
    errors: [
      'bad-request',
      'unauthenticated',
      'forbidden',
      'not-found',
      'conflict',
      'payload-too-large',
      'unavailable',
    ],
  }),
  'evidence.cancelOpen': call({
    summary: 'Stops the download of an evidence file being opened; nothing of it is kept.',
    input: z.strictObject({ taskId: TaskId }),
    output: z.object({ cancelled: z.boolean() }),
    errors: ['bad-request'],
  }),
  'evidence.catalog': call({
    summary:
      "The tenant's evidence from the platform, newest first, a page at a time, by name, request, type, uploader, period overlap and status; each marked when this computer holds it.",
    input: z.strictObject({
      ...TenantCall,
      filter: EvidenceCatalogQuery.omit({ limit: true }).partial(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    output: EvidenceCatalog.extend({ evidence: z.array(CatalogEntry) }),
    errors: ['bad-request', 'unauthenticated', 'forbidden', 'not-found', 'unavailable'],
  }),
  'evidence.get': call({
    summary: "One evidence file's metadata and status, from its own route.",
    input: z.strictObject({ ...TenantCall, evidenceId: EvidenceId }),
    output: CatalogEntry,
    errors: ['bad-request', 'unauthenticated', 'forbidden', 'not-found', 'unavailable'],
  }),
  'evidence.coverage': call({
    summary: 'How many current files cover each month of the last twelve, and what expires next.',
    input: z.strictObject({ ...TenantCall }),
    output: EvidenceCoverage,
    errors: ['bad-request', 'unauthenticated', 'forbidden', 'not-found', 'unavailable'],
  }),
  'files.chooseEvidence': call({
    summary:
      'Asks the person for an evidence file (the system open dialog); the renderer gets an id, a name and a size, never a path. The headless host takes uploads instead.',
    input: z.strictObject({}),
    output: z.object({ file: GrantedFile.nullable() }),
    errors: ['bad-request', 'not-found'],
  }),
  'evidence.upload': call({
    summary:
      "Uploads a chosen file as evidence, with `progress` events under the task id; `evidence.cancelUpload` stops it. The main process checks it first by the platform's rules (PNG, JPEG, GIF, WebP, PDF, JSON or plain text from its bytes; at most 10 MiB) and says why it refuses one. Without `requestId` the file waits to be attached by `approvals.create`.",
    input: z.strictObject({
      ...TenantCall,
      taskId: TaskId,
      fileId: FileId,
      requestId: ApprovalId.optional(),
      /** The period the file supports (both days or neither) and the last day it is good for. */
      periodFrom: IsoDay.optional(),
      periodTo: IsoDay.optional(),
      expiresOn: IsoDay.optional(),
      /** The file this one replaces, as a new version. */
      supersedes: EvidenceId.optional(),
    }),
    output: z.discriminatedUnion('outcome', [
      z.object({ outcome: z.literal('uploaded'), evidence: EvidenceMeta }),
      z.object({ outcome: z.literal('cancelled') }),
    ]),
    errors: [
      'bad-request',
      'not-found',
      'payload-too-large',
      'unsupported-media-type',
      'unauthenticated',
      'forbidden',
      'conflict',
      'unavailable',
    ],
  }),
  'evidence.cancelUpload': call({
    summary: 'Stops a running evidence upload.',
    input: z.strictObject({ taskId: TaskId }),
    output: z.object({ cancelled: z.boolean() }),
    errors: ['bad-request'],
  }),
  'evidence.listCached': call({
    summary:
      'The evidence this console holds for a tenant, searchable by name or type, without decrypting any.',
    input: z.strictObject({ ...TenantCall, query: z.string().max(200).optional() }),
    output: z.object({ evidence: z.array(CachedEvidence) }),
    errors: ['bad-request', 'internal'],
  }),
  'evidence.list': call({
    summary: "The platform's evidence for a tenant (optionally one request's).",
    input: z.strictObject({ ...TenantCall, requestId: ApprovalId.optional() }),
    output: z.object({ evidence: z.array(EvidenceMeta) }),
    errors: ['bad-request', 'unauthenticated', 'forbidden', 'unavailable'],
  }),
  'cache.status': call({
    summary: 'How much the evidence cache holds, and its quota.',
    input: z.strictObject({}),
    output: CacheStats,
    errors: ['internal'],
  }),
  'cache.setQuota': call({
    summary: 'Sets the cache size limit; least-recently-used snapshots are evicted at once to fit.',
    input: z.strictObject({
      quotaBytes: z
        .number()
        .int()
        .min(1024 * 1024)
        .max(1024 ** 4),
    }),
    output: CacheStats,
    errors: ['bad-request', 'internal'],
  }),
  'cache.clear': call({
    summary: 'Deletes every cached snapshot.',
    input: z.strictObject({}),
    output: CacheStats,
    errors: ['internal'],
  }),
  'cache.rotateMasterKey': call({
    summary:
      "Replaces a profile's cache master key and re-wraps every data key, with `progress` events; an interrupted rotation resumes safely.",
    input: z.strictObject({ profile: ProfileRef, taskId: TaskId }),
    output: z.object({ rewrapped: z.number() }),
    errors: ['bad-request', 'conflict', 'internal'],
  }),
  'cache.cancelRotation': call({
    summary:
      'Stops a running master-key rotation between two data keys; what is done stays done, and the rest is finished on the next start or rotation.',
    input: z.strictObject({ taskId: TaskId }),
    output: z.object({ cancelled: z.boolean() }),
    errors: ['bad-request'],
  }),
} as const;

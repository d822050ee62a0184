import { z } from 'zod';
import { Environment } from '../domain/environments';
import { evidenceStatuses, isIsoDay } from '../evidence/period';
import { ApprovalId, OrgSlug, Timestamp } from './common';

/** A raw request body: evidence travels as its own bytes, never re-encoded. */
export const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'Expected bytes');

export const EvidenceId = z.string().regex(/^evd_[a-z2-7]{26}$/, 'Expected an evidence id');

/** The media types evidence may have, decided from the bytes, never from the name. */
export const evidenceMediaTypes = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/json',
  'text/plain',
] as const;

/** A calendar day, `YYYY-MM-DD` (UTC): what evidence periods and expiries are made of. */
export const IsoDay = z.string().refine(isIsoDay, 'Expected a date written YYYY-MM-DD');

/** The days a file is evidence for, both included. */
export const EvidencePeriod = z.object({ from: IsoDay, to: IsoDay });

export const EvidenceStatus = z.enum(evidenceStatuses);

export const EvidenceMeta = z.object({
  id: EvidenceId,
  requestId: ApprovalId.nullable(),
  name: z.string(),
  mediaType: z.enum(evidenceMediaTypes),
  size: z.number().int(),
  sha256: z.string(),
  uploader: z.object({ type: z.string(), id: z.string() }),
  uploadedAt: Timestamp,
  period: EvidencePeriod,
  /** The last day the file is good for; null when it does not expire. */
  expiresOn: IsoDay.nullable(),
  /** The earlier version this file replaces (which stays, unedited, marked superseded). */
  supersedes: EvidenceId.nullable(),
});
export type EvidenceMeta = z.infer<typeof EvidenceMeta>;

/** A file as the Evidence screen sees it: what was stored, and what it is today. */
export const EvidenceRecord = EvidenceMeta.extend({
  /** The newer version that replaces this one, if any. */
  supersededBy: EvidenceId.nullable(),
  status: EvidenceStatus,
});
export type EvidenceRecord = z.infer<typeof EvidenceRecord>;

export const EvidenceList = z.object({ evidence: z.array(EvidenceMeta) });
export const UploadEvidenceQuery = z.strictObject({
  name: z.string().min(1).max(500),
  requestId: ApprovalId.optional(),
  /** The period the file supports; without one, the day it is uploaded. */
  periodFrom: IsoDay.optional(),
  periodTo: IsoDay.optional(),
  expiresOn: IsoDay.optional(),
  /** The file this one replaces: a new version, never an edit. */
  supersedes: EvidenceId.optional(),
});

/** Where a listing continues: the last file's upload time and id. */
export const EvidenceCursor = z.string().regex(/^\d{1,16}\.evd_[a-z2-7]{26}$/, 'Expected a cursor');

export const EvidenceCatalogQuery = z.strictObject({
  /** Part of the file's name, any case. */
  q: z.string().min(1).max(200).optional(),
  requestId: ApprovalId.optional(),
  mediaType: z.enum(evidenceMediaTypes).optional(),
  /** The uploader's id (a person's or an API key's). */
  uploader: z
    .string()
    .regex(/^(usr|cck_(test|live))_[a-z2-7]{26}$/, 'Expected a person or API key id')
    .optional(),
  /** Files whose period overlaps these days (either bound alone is open on the other side). */
  from: IsoDay.optional(),
  to: IsoDay.optional(),
  status: EvidenceStatus.optional(),
  cursor: EvidenceCursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type EvidenceCatalogQuery = z.output<typeof EvidenceCatalogQuery>;

export const EvidenceCatalog = z.object({
  evidence: z.array(EvidenceRecord),
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: EvidenceCursor.nullable(),
});
export type EvidenceCatalog = z.infer<typeof EvidenceCatalog>;

export const EvidenceCoverage = z.object({
  /** The day the figures are for. */
  asOf: IsoDay,
  /** The last twelve months, oldest first: how many current (not superseded) files cover each. */
  months: z.array(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), files: z.number().int().min(0) })),
  /** The files that expire next (today or later), soonest first. */
  expiringNext: z.array(
    z.object({ id: EvidenceId, name: z.string(), expiresOn: IsoDay, requestId: ApprovalId.nullable() }),
  ),
});
export type EvidenceCoverage = z.infer<typeof EvidenceCoverage>;
export const EvidenceListQuery = z.strictObject({ requestId: ApprovalId.optional() });
export const EvidenceParams = z.strictObject({ org: OrgSlug, env: Environment, evidenceId: EvidenceId });
export const DownloadUrl = z.object({ url: z.string(), expiresAt: Timestamp });
export const DownloadQuery = z.strictObject({
  expires: z.coerce.number().int().positive(),
  signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

import { z } from 'zod';
import { Environment } from '../domain/environments';
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

export const EvidenceMeta = z.object({
  id: EvidenceId,
  requestId: ApprovalId.nullable(),
  name: z.string(),
  mediaType: z.enum(evidenceMediaTypes),
  size: z.number().int(),
  sha256: z.string(),
  uploader: z.object({ type: z.string(), id: z.string() }),
  uploadedAt: Timestamp,
});
export type EvidenceMeta = z.infer<typeof EvidenceMeta>;

export const EvidenceList = z.object({ evidence: z.array(EvidenceMeta) });
export const UploadEvidenceQuery = z.strictObject({
  name: z.string().min(1).max(500),
  requestId: ApprovalId.optional(),
});
export const EvidenceListQuery = z.strictObject({ requestId: ApprovalId.optional() });
export const EvidenceParams = z.strictObject({ org: OrgSlug, env: Environment, evidenceId: EvidenceId });
export const DownloadUrl = z.object({ url: z.string(), expiresAt: Timestamp });
export const DownloadQuery = z.strictObject({
  expires: z.coerce.number().int().positive(),
  signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

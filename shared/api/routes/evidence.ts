import {
  Bytes,
  DownloadQuery,
  DownloadUrl,
  EvidenceCatalog,
  EvidenceCatalogQuery,
  EvidenceCoverage,
  EvidenceList,
  EvidenceListQuery,
  EvidenceMeta,
  EvidenceParams,
  EvidenceRecord,
  UploadEvidenceQuery,
} from '../evidence';
import { TenantParams } from '../organizations';
import { route } from '../route';

const evidence = '/v1/orgs/:org/envs/:env/evidence';

export const evidenceApi = {
  /** The file's raw bytes; the platform decides its type from them, never from the name. */
  upload: route({
    method: 'POST',
    path: evidence,
    params: TenantParams,
    query: UploadEvidenceQuery,
    body: Bytes,
    bodyEncoding: 'bytes',
    status: 201,
    reply: EvidenceMeta,
  }),
  list: route({
    method: 'GET',
    path: evidence,
    params: TenantParams,
    query: EvidenceListQuery,
    status: 200,
    reply: EvidenceList,
  }),
  /**
   * The tenant's evidence, newest first, a page at a time: by name, request, type, uploader, period
   * overlap and status (current, expiring within 30 days, expired, superseded).
   */
  catalog: route({
    method: 'GET',
    path: `${evidence}/catalog`,
    params: TenantParams,
    query: EvidenceCatalogQuery,
    status: 200,
    reply: EvidenceCatalog,
  }),
  /** Per month of the last twelve, how many current files cover it; and what expires next. */
  coverage: route({
    method: 'GET',
    path: `${evidence}/coverage`,
    params: TenantParams,
    status: 200,
    reply: EvidenceCoverage,
  }),
  /** One file's metadata and status, without listing the tenant's evidence. */
  get: route({
    method: 'GET',
    path: `${evidence}/:evidenceId`,
    params: EvidenceParams,
    status: 200,
    reply: EvidenceRecord,
  }),
  /** A download URL for this caller and this file, good for minutes; issuing one is audited. */
  url: route({
    method: 'POST',
    path: `${evidence}/:evidenceId/url`,
    params: EvidenceParams,
    status: 200,
    reply: DownloadUrl,
  }),
  /** The file itself, for download only; reached through the signed URL above, never built by a client. */
  content: route({
    method: 'GET',
    path: `${evidence}/:evidenceId/content`,
    params: EvidenceParams,
    query: DownloadQuery,
    status: 200,
    reply: 'file',
  }),
} as const;

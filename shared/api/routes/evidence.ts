import {
  Bytes,
  DownloadQuery,
  DownloadUrl,
  EvidenceList,
  EvidenceListQuery,
  EvidenceMeta,
  EvidenceParams,
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

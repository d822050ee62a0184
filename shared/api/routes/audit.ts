import {
  AuditEntriesPage,
  AuditEntriesQuery,
  CheckpointReply,
  ConsistencyQuery,
  ConsistencyReply,
  ExportQuery,
  InclusionQuery,
  InclusionReply,
  KeyAnnouncements,
  VerifierKeys,
} from '../audit';
import { TenantParams } from '../organizations';
import { route } from '../route';

const audit = '/v1/orgs/:org/envs/:env/audit';

export const auditApi = {
  verifierKeys: route({ method: 'GET', path: '/v1/audit/verifier-keys', status: 200, reply: VerifierKeys }),
  entries: route({
    method: 'GET',
    path: `${audit}/entries`,
    params: TenantParams,
    query: AuditEntriesQuery,
    status: 200,
    reply: AuditEntriesPage,
  }),
  checkpoint: route({
    method: 'GET',
    path: `${audit}/checkpoint`,
    params: TenantParams,
    status: 200,
    reply: CheckpointReply,
  }),
  keyAnnouncements: route({
    method: 'GET',
    path: `${audit}/key-announcements`,
    params: TenantParams,
    status: 200,
    reply: KeyAnnouncements,
  }),
  inclusion: route({
    method: 'GET',
    path: `${audit}/proofs/inclusion`,
    params: TenantParams,
    query: InclusionQuery,
    status: 200,
    reply: InclusionReply,
  }),
  consistency: route({
    method: 'GET',
    path: `${audit}/proofs/consistency`,
    params: TenantParams,
    query: ConsistencyQuery,
    status: 200,
    reply: ConsistencyReply,
  }),
  /** The export file (shared/design/audit-format.md) as JSON Lines; its format is the verifier's to check. */
  export: route({
    method: 'GET',
    path: `${audit}/export`,
    params: TenantParams,
    query: ExportQuery,
    status: 200,
    reply: 'stream',
  }),
} as const;

import type { Environment } from '../../shared/domain/environments';
import type { RoleName } from '../../shared/domain/permissions';

/**
 * The platform's tables as both engines hold them, for Kysely to type every query against. Times are
 * milliseconds since the epoch; binary columns are Buffers (SQLite BLOB, PostgreSQL bytea). Columns only
 * one engine has (SQLite's rowid and FTS5 table, PostgreSQL's tsvector) are not here: engines/ reaches them.
 */
export interface Tables {
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  api_keys: ApiKeysTable;
  token_families: TokenFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  audit_entries: AuditEntriesTable;
  audit_nodes: AuditNodesTable;
  audit_checkpoints: AuditCheckpointsTable;
  approval_policies: ApprovalPoliciesTable;
  device_keys: DeviceKeysTable;
  approval_requests: ApprovalRequestsTable;
  approval_decisions: ApprovalDecisionsTable;
  approval_comments: ApprovalCommentsTable;
  approval_results: ApprovalResultsTable;
  approval_evidence: ApprovalEvidenceTable;
  evidence: EvidenceTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  oauth_codes: OAuthCodesTable;
  throttles: ThrottlesTable;
  known_sign_in_sources: KnownSignInSourcesTable;
  tenant_data_keys: TenantDataKeysTable;
  rate_limits: RateLimitsTable;
  evidence_blobs: EvidenceBlobsTable;
  invitations: InvitationsTable;
  elevations: ElevationsTable;
  review_campaigns: ReviewCampaignsTable;
  review_items: ReviewItemsTable;
}

/** The columns every environment-owned row carries. */
export interface TenantColumns {
  organization_id: string;
  environment: Environment;
}

export interface OrganizationsTable {
  id: string;
  slug: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  totp_seed_sealed: Buffer;
  totp_last_step: number;
  created_at: number;
  disabled_at: number | null;
  last_sign_in_at: number | null;
}

export interface MembershipsTable {
  organization_id: string;
  user_id: string;
  role: RoleName;
  created_at: number;
  /** While set, the member is refused everywhere in the organization (and so are their API keys). */
  suspended_at: number | null;
}

export interface ApiKeysTable extends TenantColumns {
  id: string;
  name: string;
  secret_sha256: Buffer;
  scopes: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
  grace_until: number | null;
  replaced_by: string | null;
  /** Whom the key acts as once handed over (api_key.transfer); null while that is its creator. */
  owner_id: string | null;
  /** When the key was handed over and lost its secret; cleared by nothing: a rotation replaces the key. */
  handed_over_at: number | null;
}

export interface TokenFamiliesTable {
  id: string;
  user_id: string;
  created_at: number;
  revoked_at: number | null;
}

export interface RefreshTokensTable {
  id: string;
  family_id: string;
  secret_sha256: Buffer;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface AuditEntriesTable extends TenantColumns {
  seq: number;
  ts: number;
  action: string;
  actor_id: string;
  resource_type: string;
  resource_id: string;
  canonical: string;
}

export interface AuditNodesTable extends TenantColumns {
  last_leaf: number;
  level: number;
  hash: Buffer;
}

export interface AuditCheckpointsTable extends TenantColumns {
  size: number;
  root: Buffer;
  note: string;
  created_at: number;
}

export interface ApprovalPoliciesTable {
  organization_id: string;
  lanes: string;
  red_approvals: number;
  expiry_days: number;
  audit_retention_days: number | null;
  max_elevation_hours: number | null;
}

export interface DeviceKeysTable {
  id: string;
  user_id: string;
  name: string;
  public_key: Buffer;
  created_at: number;
  revoked_at: number | null;
  /** When a decision was last signed with it. */
  last_used_at: number | null;
}

export interface ApprovalRequestsTable extends TenantColumns {
  id: string;
  kind: string;
  title: string;
  summary: string;
  payload: string;
  payload_sha256: string;
  lane: 'green' | 'yellow' | 'red';
  required_approvals: number;
  status: 'pending' | 'executed' | 'failed' | 'rejected' | 'withdrawn' | 'expired';
  requester_type: string;
  requester_id: string;
  /** The person accountable: the requester, or the creator of the API key that raised it. */
  requester_person_id: string;
  reverses: string | null;
  created_at: number;
  expires_at: number;
  closed_at: number | null;
  outcome: string | null;
}

export interface ApprovalDecisionsTable extends TenantColumns {
  request_id: string;
  approver_id: string;
  decision: 'approve' | 'reject';
  comment: string;
  device_key_id: string;
  signed: string;
  signature: string;
  idempotency_key: string;
  decided_at: number;
}

export interface ApprovalCommentsTable extends TenantColumns {
  id: string;
  request_id: string;
  author_id: string;
  body: string;
  created_at: number;
}

export interface ApprovalResultsTable extends TenantColumns {
  request_id: string;
  sealed: Buffer | null;
  read_at: number | null;
}

export interface ApprovalEvidenceTable extends TenantColumns {
  evidence_id: string;
  request_id: string;
  attached_at: number;
}

export interface EvidenceTable extends TenantColumns {
  id: string;
  request_id: string | null;
  sha256: string;
  name: string;
  media_type: string;
  size: number;
  uploader_type: string;
  uploader_id: string;
  /**
   * The person accountable for the upload when it was written (an API key's creator); null for files the
   * platform wrote itself.
   */
  uploader_person_id: string | null;
  created_at: number;
  deleted_at: number | null;
  /** The encrypted bytes' address in this tenant's storage, and the data key version that sealed them. */
  blob_address: string | null;
  key_version: number | null;
  /** The days the file is evidence for (YYYY-MM-DD, both included); null only before the upgrade's backfill. */
  period_from: string | null;
  period_to: string | null;
  /** The last day the file is good for; null when it does not expire. */
  expires_on: string | null;
  /** The earlier version this file replaces. */
  supersedes: string | null;
}

export interface WebhooksTable extends TenantColumns {
  url: string;
  secret_sealed: Buffer;
  created_at: number;
}

export interface WebhookDeliveriesTable extends TenantColumns {
  id: string;
  request_id: string;
  body: string;
  status: 'pending' | 'delivered' | 'gave-up';
  attempts: number;
  next_attempt_at: number;
  created_at: number;
}

export interface WebhookAttemptsTable extends TenantColumns {
  delivery_id: string;
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
}

export interface OAuthCodesTable {
  code_sha256: Buffer;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  nonce: string;
  user_id: string;
  auth_time: number;
  expires_at: number;
  used_at: number | null;
  family_id: string | null;
}

export interface ThrottlesTable {
  key: string;
  failures: number;
  window_start: number;
  locked_until: number;
  lockouts: number;
}

export interface KnownSignInSourcesTable {
  user_id: string;
  source: string;
  last_at: number;
}

export interface TenantDataKeysTable extends TenantColumns {
  version: number;
  master_key_id: string;
  wrapped_key: Buffer;
  created_at: number;
}

export interface RateLimitsTable {
  key: string;
  hits: number;
  window_ends: number;
}

/** PostgreSQL only (SQLite keeps evidence bytes in the data directory): a blob's encrypted bytes by chunk. */
export interface EvidenceBlobsTable extends TenantColumns {
  address: string;
  chunk: number;
  bytes: Buffer;
}

export interface InvitationsTable {
  organization_id: string;
  id: string;
  email: string;
  display_name: string;
  role: RoleName;
  invited_by: string;
  /** The environment of the member.invite request that made it. */
  environment: Environment;
  request_id: string;
  secret_sha256: Buffer;
  totp_seed_sealed: Buffer;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_user_id: string | null;
  revoked_at: number | null;
  revoked_by: string | null;
  /** The SHA-256 of the latest page visit's one-time nonce; the seed that visit showed is sealed above. */
  visit_nonce_sha256: Buffer | null;
}

export interface ElevationsTable {
  organization_id: string;
  id: string;
  user_id: string;
  role: RoleName;
  base_role: RoleName;
  reason: string;
  environment: Environment;
  request_id: string;
  started_at: number;
  ends_at: number;
  ended_at: number | null;
  end_reason: string | null;
  ended_by: string | null;
}

export interface ReviewCampaignsTable {
  organization_id: string;
  id: string;
  title: string;
  /** JSON: the kinds of grant it covers. */
  covers: string;
  /** JSON: the reviewers' user ids. */
  reviewers: string;
  deadline: number;
  created_by: string;
  created_at: number;
  closed_at: number | null;
  close_reason: 'completed' | 'deadline' | 'closed-early' | null;
  closed_by: string | null;
  /** JSON: the evidence pack's files (ids, names, hashes) once written. */
  pack: string | null;
}

export interface ReviewItemsTable {
  organization_id: string;
  campaign_id: string;
  id: string;
  seq: number;
  subject_type: 'member' | 'api_key' | 'device_key';
  subject_id: string;
  subject_person_id: string;
  environment: Environment | null;
  /** JSON: the grant as it was at the campaign's start. */
  snapshot: string;
  reviewer_id: string;
  decision: 'keep' | 'revoke' | 'change' | null;
  reason: string | null;
  new_role: RoleName | null;
  decided_at: number | null;
  request_id: string | null;
  request_environment: Environment | null;
}

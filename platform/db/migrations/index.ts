import { migration as identity } from './0001_identity';
import { migration as auditLog } from './0002_audit_log';
import { migration as approvals } from './0003_approvals';
import { migration as evidence } from './0004_evidence';
import { migration as webhooks } from './0005_webhooks';
import { migration as approvalSearch } from './0006_approval_search';
import { migration as finalDecisions } from './0007_final_decisions';
import { migration as oauthCodes } from './0008_oauth_codes';
import { migration as requesterPerson } from './0009_requester_person_and_throttles';
import { migration as tenantSearch } from './0010_tenant_search';
import { migration as evidenceAtRest } from './0011_evidence_at_rest';
import { migration as evidenceAttachments } from './0012_evidence_attachments';
import { migration as tenantColumns } from './0013_tenant_columns';
import { migration as rateLimits } from './0014_rate_limits';
import { migration as evidenceBlobs } from './0015_evidence_blobs';
import { migration as rowLevelSecurity } from './0016_row_level_security';
import { migration as tenantLeadingKeys } from './0017_tenant_leading_keys';
import { migration as memberLifecycle } from './0020_member_lifecycle';
import { migration as accessReviews } from './0021_access_reviews';
import { migration as lifecycleHardening } from './0022_lifecycle_hardening';
import { migration as evidencePeriods } from './0030_evidence_periods';
import { migration as evidenceSupersedeRules } from './0031_evidence_supersede_rules';
import type { Migration } from './migration';

/**
 * Every schema step, in order. Listed here rather than found on disk, so the set a build carries is the
 * set it was typed against. Before steps had names, SQLite counted them in `PRAGMA user_version`: version
 * N means the first N of these were applied.
 */
export const migrations: readonly Migration[] = [
  identity,
  auditLog,
  approvals,
  evidence,
  webhooks,
  approvalSearch,
  finalDecisions,
  oauthCodes,
  requesterPerson,
  tenantSearch,
  evidenceAtRest,
  evidenceAttachments,
  tenantColumns,
  rateLimits,
  evidenceBlobs,
  rowLevelSecurity,
  tenantLeadingKeys,
  memberLifecycle,
  accessReviews,
  lifecycleHardening,
  evidencePeriods,
  evidenceSupersedeRules,
];

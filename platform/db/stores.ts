import { ApiKeyStore } from './api-keys';
import { ApprovalStore } from './approvals';
import { AuditStore } from './audit';
import type { Database } from './database';
import { DeviceKeyStore } from './device-keys';
import { DirectoryStore } from './directory';
import { ElevationStore } from './elevations';
import { EvidenceStore } from './evidence';
import { EvidenceBlobStore } from './evidence-blobs';
import { InvitationStore } from './invitations';
import { MembershipStore } from './memberships';
import { OAuthCodeStore } from './oauth-codes';
import { OrganizationStore } from './organizations';
import { PolicyStore } from './policies';
import { RateLimitStore } from './rate-limits';
import { RefreshTokenStore } from './refresh-tokens';
import { ReviewStore } from './reviews';
import { TenantKeyStore } from './tenant-keys';
import { ThrottleStore } from './throttles';
import { UserStore } from './users';
import { WebhookStore } from './webhooks';

/** Every SQL statement the platform runs lives behind one of these stores. */
export interface Stores {
  readonly db: Database;
  readonly organizations: OrganizationStore;
  readonly users: UserStore;
  readonly memberships: MembershipStore;
  readonly apiKeys: ApiKeyStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly audit: AuditStore;
  readonly approvals: ApprovalStore;
  readonly deviceKeys: DeviceKeyStore;
  readonly policies: PolicyStore;
  readonly evidence: EvidenceStore;
  /** PostgreSQL only: evidence bytes (SQLite keeps them in the data directory). */
  readonly evidenceBlobs: EvidenceBlobStore;
  readonly webhooks: WebhookStore;
  readonly oauthCodes: OAuthCodeStore;
  readonly throttles: ThrottleStore;
  readonly rateLimits: RateLimitStore;
  readonly tenantKeys: TenantKeyStore;
  readonly directory: DirectoryStore;
  readonly invitations: InvitationStore;
  readonly elevations: ElevationStore;
  readonly reviews: ReviewStore;
}

export function createStores(db: Database): Stores {
  return {
    db,
    organizations: new OrganizationStore(db),
    users: new UserStore(db),
    memberships: new MembershipStore(db),
    apiKeys: new ApiKeyStore(db),
    refreshTokens: new RefreshTokenStore(db),
    audit: new AuditStore(db),
    approvals: new ApprovalStore(db),
    deviceKeys: new DeviceKeyStore(db),
    policies: new PolicyStore(db),
    evidence: new EvidenceStore(db),
    evidenceBlobs: new EvidenceBlobStore(db),
    webhooks: new WebhookStore(db),
    oauthCodes: new OAuthCodeStore(db),
    throttles: new ThrottleStore(db),
    rateLimits: new RateLimitStore(db),
    tenantKeys: new TenantKeyStore(db),
    directory: new DirectoryStore(db),
    invitations: new InvitationStore(db),
    elevations: new ElevationStore(db),
    reviews: new ReviewStore(db),
  };
}

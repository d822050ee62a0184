import { z } from 'zod';
import { Environment } from '../domain/environments';
import { ApiKeyScope, RoleName } from '../domain/permissions';
import { ApiKeyId, ApiKeyStatus } from './api-keys';
import { ApprovalId, Id, OrgSlug, Timestamp } from './common';

/**
 * Member lifecycle over HTTP: invitations (made by executed member.invite requests, listed and revoked
 * here), elevations (made by executed member.elevate requests, read and ended early here) and an
 * organization's grants with their last use. Removal, suspension, resumption and hand-over are approval
 * requests of their kinds (shared/approvals/kinds.ts); nothing here grants access.
 */

/** A grant unused this long is flagged. */
export const UNUSED_GRANT_DAYS = 90;

export const InvitationId = z.string().regex(/^inv_[a-z2-7]{26}$/, 'Expected an invitation id');
export const ElevationId = z.string().regex(/^elv_[a-z2-7]{26}$/, 'Expected an elevation id');

export const InvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);

export const Invitation = z.object({
  id: InvitationId,
  email: z.string(),
  displayName: z.string(),
  role: RoleName,
  status: InvitationStatus,
  invitedBy: Id,
  /** The member.invite request that made it, and its environment. */
  requestId: ApprovalId,
  environment: Environment,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  acceptedAt: Timestamp.nullable(),
  acceptedUserId: Id.nullable(),
  revokedAt: Timestamp.nullable(),
  revokedBy: Id.nullable(),
});
export type Invitation = z.infer<typeof Invitation>;
export const InvitationList = z.object({ invitations: z.array(Invitation) });
export const InvitationListQuery = z.strictObject({ status: z.enum(['pending', 'all']).default('pending') });
export const InvitationParams = z.strictObject({ org: OrgSlug, invitationId: InvitationId });

export const ElevationEndReason = z.enum(['expired', 'ended-early', 'role-changed', 'suspended', 'removed']);

export const Elevation = z.object({
  id: ElevationId,
  userId: Id,
  role: RoleName,
  /** The membership's own role when it began, which applies again when it ends. */
  baseRole: RoleName,
  reason: z.string(),
  requestId: ApprovalId,
  environment: Environment,
  startedAt: Timestamp,
  endsAt: Timestamp,
  /** In force now: not ended early, and its time has not run out. */
  active: z.boolean(),
  endedAt: Timestamp.nullable(),
  endReason: ElevationEndReason.nullable(),
  endedBy: z.string().nullable(),
});
export type Elevation = z.infer<typeof Elevation>;
export const ElevationList = z.object({ elevations: z.array(Elevation) });
export const ElevationListQuery = z.strictObject({ status: z.enum(['active', 'all']).default('active') });
export const ElevationParams = z.strictObject({ org: OrgSlug, elevationId: ElevationId });

/** Whether the person behind a grant can use it now. */
export const PersonStatus = z.enum(['active', 'suspended', 'removed']);

/** Every grant of a tenant now, with its last use: the Members and API keys screens' flags. */
export const Grants = z.object({
  asOf: Timestamp,
  members: z.array(
    z.object({
      userId: Id,
      displayName: z.string(),
      email: z.string(),
      role: RoleName,
      /** The role in force now (an elevation's while it lasts). */
      effectiveRole: RoleName,
      status: PersonStatus,
      lastSignInAt: Timestamp.nullable(),
      unused90Days: z.boolean(),
    }),
  ),
  apiKeys: z.array(
    z.object({
      id: ApiKeyId,
      name: z.string(),
      scopes: z.array(ApiKeyScope),
      status: ApiKeyStatus,
      /** Whom the key acts as (its creator unless handed over), and whether that person can use it now. */
      ownerId: Id,
      ownerStatus: PersonStatus,
      createdBy: Id,
      lastUsedAt: Timestamp.nullable(),
      unused90Days: z.boolean(),
    }),
  ),
  deviceKeys: z.array(
    z.object({
      id: z.string(),
      userId: Id,
      name: z.string(),
      createdAt: Timestamp,
      lastUsedAt: Timestamp.nullable(),
      unused90Days: z.boolean(),
    }),
  ),
});
export type Grants = z.infer<typeof Grants>;

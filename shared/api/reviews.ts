import { z } from 'zod';
import { Environment } from '../domain/environments';
import { RoleName } from '../domain/permissions';
import { multiLineText, singleLineText } from '../text/free-text';
import { ApprovalStatus } from './approvals';
import { ApprovalId, Id, OrgSlug, Timestamp } from './common';
import { EvidenceMeta } from './evidence';

/**
 * Access reviews: a campaign snapshots an organization's grants when it starts; each item (one grant) is
 * assigned to a reviewer who is not its subject, who keeps, revokes or changes it with a reason. Revoke
 * and change raise ordinary approval requests in their lanes, linked to the item. A closed campaign's
 * evidence pack (JSON and CSV) is stored as evidence of the organization's live environment.
 */

export const CampaignId = z.string().regex(/^rvc_[a-z2-7]{26}$/, 'Expected a review campaign id');
export const ReviewItemId = z.string().regex(/^rvi_[a-z2-7]{26}$/, 'Expected a review item id');

/** What a campaign may cover. */
export const ReviewCoverage = z.enum(['members', 'api_keys', 'device_keys']);
export type ReviewCoverage = z.infer<typeof ReviewCoverage>;
export const SubjectType = z.enum(['member', 'api_key', 'device_key']);

/** A campaign runs at least an hour and at most half a year. */
export const MAX_CAMPAIGN_DAYS = 180;

export const StartCampaign = z.strictObject({
  title: singleLineText(1, 200),
  covers: z
    .array(ReviewCoverage)
    .min(1)
    .max(3)
    .refine((c) => new Set(c).size === c.length, 'Name each kind of grant once'),
  reviewers: z
    .array(Id)
    .min(1)
    .max(50)
    .refine((r) => new Set(r).size === r.length, 'Name each reviewer once'),
  deadline: Timestamp,
});
export type StartCampaign = z.infer<typeof StartCampaign>;

export const ReviewerProgress = z.object({
  reviewerId: Id,
  total: z.number().int(),
  decided: z.number().int(),
});

export const EvidencePack = z.object({
  /** The environment whose evidence holds it (the organization's live one). */
  environment: Environment,
  files: z.array(EvidenceMeta),
});
export type EvidencePack = z.infer<typeof EvidencePack>;

export const Campaign = z.object({
  id: CampaignId,
  title: z.string(),
  covers: z.array(ReviewCoverage),
  reviewers: z.array(Id),
  deadline: Timestamp,
  createdBy: Id,
  createdAt: Timestamp,
  status: z.enum(['open', 'closed']),
  closedAt: Timestamp.nullable(),
  closeReason: z.enum(['completed', 'deadline', 'closed-early']).nullable(),
  closedBy: z.string().nullable(),
  progress: z.object({
    total: z.number().int(),
    decided: z.number().int(),
    kept: z.number().int(),
    revoked: z.number().int(),
    changed: z.number().int(),
    /** Items whose grant changed since the snapshot. */
    changedSinceSnapshot: z.number().int(),
    byReviewer: z.array(ReviewerProgress),
  }),
  /** The caller's own undecided items in it: what the Reviews screen reminds them of. */
  myUndecided: z.number().int(),
});
export type Campaign = z.infer<typeof Campaign>;
export const CampaignList = z.object({ campaigns: z.array(Campaign) });
export const CampaignParams = z.strictObject({ org: OrgSlug, campaignId: CampaignId });
export const ReviewItemParams = z.strictObject({
  org: OrgSlug,
  campaignId: CampaignId,
  itemId: ReviewItemId,
});

export const ReviewItem = z.object({
  id: ReviewItemId,
  campaignId: CampaignId,
  seq: z.number().int(),
  deadline: Timestamp,
  subject: z.object({
    type: SubjectType,
    /** The member's user id, the API key's id or the device key's id. */
    id: z.string(),
    /** Whose grant it is: the member, the key's owner, the device key's owner. */
    personId: Id,
    /** An API key's environment; null for members and device keys (they span both). */
    environment: Environment.nullable(),
    name: z.string(),
  }),
  /** The grant as it was when the campaign started: a role, or scopes, and its last use then. */
  snapshot: z.object({
    role: RoleName.nullable(),
    scopes: z.array(z.string()).nullable(),
    lastUsedAt: Timestamp.nullable(),
    unused90Days: z.boolean(),
  }),
  /** The grant differs now from the snapshot (changed, revoked, removed). */
  changedSinceSnapshot: z.boolean(),
  reviewerId: Id,
  decision: z.enum(['keep', 'revoke', 'change']).nullable(),
  reason: z.string().nullable(),
  newRole: RoleName.nullable(),
  decidedAt: Timestamp.nullable(),
  /** The request a revoke or change raised, and where it stands now. */
  request: z.object({ id: ApprovalId, environment: Environment, status: ApprovalStatus }).nullable(),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

export const ReviewItemList = z.object({ items: z.array(ReviewItem), nextCursor: z.string().nullable() });
export const ReviewItemQuery = z.strictObject({
  /** `me`: the caller's items (a person); `all`: every item, for the outcome. */
  reviewer: z.enum(['me', 'all']).default('me'),
  campaignId: CampaignId.optional(),
  state: z.enum(['undecided', 'decided', 'all']).default('all'),
  subjectType: SubjectType.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^rvc_[a-z2-7]{26}\.\d{1,9}$/, 'Expected a cursor from the previous page')
    .optional(),
});

export const DecideItem = z.strictObject({
  decision: z.enum(['keep', 'revoke', 'change']),
  reason: multiLineText(1, 2000),
  /** For `change` of a member: the role to change to, with fewer permissions than the one reviewed. */
  role: RoleName.optional(),
});
export type DecideItem = z.infer<typeof DecideItem>;

export const PackReply = z.object({ pack: EvidencePack.nullable() });

import { z } from 'zod';
import {
  Campaign,
  CampaignId,
  CampaignList,
  DecideItem,
  PackReply,
  ReviewItem,
  ReviewItemId,
  ReviewItemList,
  StartCampaign,
  SubjectType,
} from '../../api/reviews';
import { call, TenantCall, tenantCallErrors } from '../spec';

const errors = tenantCallErrors;

/** Access reviews: campaigns, the caller's items and their decisions, and a closed campaign's pack. */
export const reviewCalls = {
  'reviews.list': call({
    summary: "The organization's review campaigns with their progress per reviewer.",
    input: z.strictObject({ ...TenantCall }),
    output: CampaignList,
    errors,
  }),
  'reviews.start': call({
    summary: 'Starts a campaign: the platform snapshots the grants it covers and assigns each to a reviewer.',
    input: z.strictObject({ ...TenantCall, campaign: StartCampaign }),
    output: Campaign,
    errors,
  }),
  'reviews.items': call({
    summary: "The caller's review items (or every item of a campaign, for its outcome), a page at a time.",
    input: z.strictObject({
      ...TenantCall,
      reviewer: z.enum(['me', 'all']),
      campaignId: CampaignId.optional(),
      state: z.enum(['undecided', 'decided', 'all']).optional(),
      subjectType: SubjectType.optional(),
      cursor: z.string().max(100).optional(),
    }),
    output: ReviewItemList,
    errors,
  }),
  'reviews.decide': call({
    summary:
      'Keeps, revokes or changes one item with a reason; revoke and change raise an ordinary request in its lane, linked to the item.',
    input: z.strictObject({
      ...TenantCall,
      campaignId: CampaignId,
      itemId: ReviewItemId,
      decision: DecideItem,
    }),
    output: ReviewItem,
    errors,
  }),
  'reviews.close': call({
    summary:
      'Closes a campaign before its deadline (its starter, an owner or an admin); the pack is written.',
    input: z.strictObject({ ...TenantCall, campaignId: CampaignId }),
    output: Campaign,
    errors,
  }),
  'reviews.pack': call({
    summary: "A closed campaign's evidence pack (its CSV and JSON evidence files); null while it is open.",
    input: z.strictObject({ ...TenantCall, campaignId: CampaignId }),
    output: PackReply,
    errors,
  }),
} as const;

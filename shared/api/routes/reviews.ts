import { OrgParams } from '../organizations';
import {
  Campaign,
  CampaignList,
  CampaignParams,
  DecideItem,
  PackReply,
  ReviewItem,
  ReviewItemList,
  ReviewItemParams,
  ReviewItemQuery,
  StartCampaign,
} from '../reviews';
import { route } from '../route';

const campaigns = '/v1/orgs/:org/reviews';
const one = `${campaigns}/:campaignId`;

export const reviewsApi = {
  start: route({
    method: 'POST',
    path: campaigns,
    params: OrgParams,
    body: StartCampaign,
    status: 201,
    reply: Campaign,
  }),
  list: route({ method: 'GET', path: campaigns, params: OrgParams, status: 200, reply: CampaignList }),
  get: route({ method: 'GET', path: one, params: CampaignParams, status: 200, reply: Campaign }),
  /** The caller's items (or, for the outcome, every item), paged by keyset and filtered. */
  items: route({
    method: 'GET',
    path: '/v1/orgs/:org/review-items',
    params: OrgParams,
    query: ReviewItemQuery,
    status: 200,
    reply: ReviewItemList,
  }),
  decide: route({
    method: 'POST',
    path: `${one}/items/:itemId/decision`,
    params: ReviewItemParams,
    body: DecideItem,
    status: 200,
    reply: ReviewItem,
  }),
  /** Closes before the deadline, what is undecided listed as such: the starter, or an owner or admin. */
  close: route({
    method: 'POST',
    path: `${one}/close`,
    params: CampaignParams,
    status: 200,
    reply: Campaign,
  }),
  /** The evidence pack's files once the campaign is closed; null while it is open. */
  pack: route({ method: 'GET', path: `${one}/pack`, params: CampaignParams, status: 200, reply: PackReply }),
} as const;

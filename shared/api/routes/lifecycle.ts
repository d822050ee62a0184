import { z } from 'zod';
import {
  Elevation,
  ElevationList,
  ElevationListQuery,
  ElevationParams,
  Grants,
  Invitation,
  InvitationList,
  InvitationListQuery,
  InvitationParams,
} from '../lifecycle';
import { OrgParams, TenantParams } from '../organizations';
import { route } from '../route';

/**
 * Form and query fields of the enrollment page, checked field by field by the route itself so that every
 * problem is answered as a page (the page has no script and speaks HTML only).
 */
export const PageFields = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** The platform's own enrollment page: the one-time link opens it; the form posts back to it. */
export const enrollmentApi = {
  page: route({
    method: 'GET',
    path: '/enroll',
    query: PageFields,
    status: 200,
    reply: 'html',
    errors: 'none',
  }),
  submit: route({
    method: 'POST',
    path: '/enroll',
    body: PageFields,
    bodyEncoding: 'form',
    status: 200,
    reply: 'html',
    errors: 'none',
  }),
} as const;

export const lifecycleApi = {
  invitations: route({
    method: 'GET',
    path: '/v1/orgs/:org/invitations',
    params: OrgParams,
    query: InvitationListQuery,
    status: 200,
    reply: InvitationList,
  }),
  /** Direct and audited: revoking lowers access (no one joins), so it needs no approval. */
  revokeInvitation: route({
    method: 'POST',
    path: '/v1/orgs/:org/invitations/:invitationId/revoke',
    params: InvitationParams,
    status: 200,
    reply: Invitation,
  }),
  elevations: route({
    method: 'GET',
    path: '/v1/orgs/:org/elevations',
    params: OrgParams,
    query: ElevationListQuery,
    status: 200,
    reply: ElevationList,
  }),
  /** Direct and audited: ending an elevation early lowers access, so it needs no approval. */
  endElevation: route({
    method: 'POST',
    path: '/v1/orgs/:org/elevations/:elevationId/end',
    params: ElevationParams,
    status: 200,
    reply: Elevation,
  }),
  /** Every grant of the tenant now (members, API keys, device keys) with last use and 90-day flags. */
  grants: route({
    method: 'GET',
    path: '/v1/orgs/:org/envs/:env/grants',
    params: TenantParams,
    status: 200,
    reply: Grants,
  }),
} as const;

import { lifecycleApi, reviewsApi } from '../../../../shared/api/routes';
import type { lifecycleCalls } from '../../../../shared/contract/calls/lifecycle';
import type { reviewCalls } from '../../../../shared/contract/calls/reviews';
import type { HandlersOf } from '../dispatcher';
import { type HandlerServices, tenantParams } from './services';

/** Invitations, elevations and grants: read and lowered here; raising access goes through approvals. */
export function lifecycleHandlers({ profiles }: HandlerServices): HandlersOf<typeof lifecycleCalls> {
  return {
    'invitations.list': async ({ profile, tenant, status }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(lifecycleApi.invitations, {
        params: { org: tenant.organization },
        query: { status: status ?? 'pending' },
      });
    },
    'invitations.revoke': async ({ profile, tenant, invitationId }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(lifecycleApi.revokeInvitation, {
        params: { org: tenant.organization, invitationId },
      });
    },
    'elevations.list': async ({ profile, tenant, status }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(lifecycleApi.elevations, {
        params: { org: tenant.organization },
        query: { status: status ?? 'active' },
      });
    },
    'elevations.end': async ({ profile, tenant, elevationId }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(lifecycleApi.endElevation, {
        params: { org: tenant.organization, elevationId },
      });
    },
    'grants.get': async ({ profile, tenant }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(lifecycleApi.grants, { params: tenantParams(tenant) });
    },
  };
}

/** Access reviews over the platform's review routes. */
export function reviewHandlers({ profiles }: HandlerServices): HandlersOf<typeof reviewCalls> {
  return {
    'reviews.list': async ({ profile, tenant }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(reviewsApi.list, { params: { org: tenant.organization } });
    },
    'reviews.start': async ({ profile, tenant, campaign }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(reviewsApi.start, { params: { org: tenant.organization }, body: campaign });
    },
    'reviews.items': async ({ profile, tenant, reviewer, campaignId, state, subjectType, cursor }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(reviewsApi.items, {
        params: { org: tenant.organization },
        query: {
          reviewer,
          state: state ?? 'all',
          limit: 200,
          ...(campaignId ? { campaignId } : {}),
          ...(subjectType ? { subjectType } : {}),
          ...(cursor ? { cursor } : {}),
        },
      });
    },
    'reviews.decide': async ({ profile, tenant, campaignId, itemId, decision }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(reviewsApi.decide, {
        params: { org: tenant.organization, campaignId, itemId },
        body: decision,
      });
    },
    'reviews.close': async ({ profile, tenant, campaignId }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(reviewsApi.close, { params: { org: tenant.organization, campaignId } });
    },
    'reviews.pack': async ({ profile, tenant, campaignId }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(reviewsApi.pack, { params: { org: tenant.organization, campaignId } });
    },
  };
}

import type { JsonRoute, RouteInput, RouteReply } from '../../../../shared/api/route';
import { apiKeysApi, approvalsApi } from '../../../../shared/api/routes';
import type { apiKeyCalls, KeyWrite } from '../../../../shared/contract/calls/api-keys';
import type { ProfileRef, TenantRef } from '../../../../shared/contract/spec';
import { ok, type Result } from '../../../../shared/result';
import type { PlatformClient } from '../../platform/platform-client';
import type { HandlersOf } from '../dispatcher';
import type { EventBus } from '../event-bus';
import { announced, type HandlerServices, tenantParams } from './services';

/**
 * A direct key write where the lane is green; where the platform answers `approval-required`, the same
 * change is raised as an approval request, so the admin's intent is never lost.
 */
async function writeOrRequest<R extends JsonRoute>(
  { client, events, profile }: { client: PlatformClient; events: EventBus; profile: ProfileRef },
  tenant: TenantRef,
  direct: { route: R; input: RouteInput<R>; toWrite: (value: RouteReply<R>) => KeyWrite },
  approval: { kind: string; title: string; payload: Record<string, unknown> },
): Promise<Result<KeyWrite>> {
  const written = await client.call(direct.route, direct.input);
  if (written.ok) return ok(direct.toWrite(written.value));
  if (written.error.code !== 'approval-required') return written;
  const request = await client.call(approvalsApi.create, {
    params: tenantParams(tenant),
    body: {
      kind: approval.kind,
      title: approval.title,
      summary: written.error.message,
      payload: approval.payload,
    },
  });
  announced(events, profile, tenant, request);
  return request.ok ? ok({ outcome: 'approval-requested', request: request.value }) : request;
}

export function apiKeyHandlers({ profiles, events }: HandlerServices): HandlersOf<typeof apiKeyCalls> {
  const withKey = (value: RouteReply<typeof apiKeysApi.create>): KeyWrite => ({ outcome: 'done', ...value });
  return {
    'apiKeys.list': async ({ profile, tenant }) => {
      const client = await profiles.client(profile);
      return client.ok ? client.value.call(apiKeysApi.list, { params: tenantParams(tenant) }) : client;
    },
    'apiKeys.create': async ({ profile, tenant, request }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return writeOrRequest(
        { client: client.value, events, profile },
        tenant,
        {
          route: apiKeysApi.create,
          input: { params: tenantParams(tenant), body: request },
          toWrite: withKey,
        },
        { kind: 'api_key.create', title: `Create API key "${request.name}"`, payload: request },
      );
    },
    'apiKeys.rotate': async ({ profile, tenant, keyId, request }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return writeOrRequest(
        { client: client.value, events, profile },
        tenant,
        {
          route: apiKeysApi.rotate,
          input: { params: { ...tenantParams(tenant), keyId }, body: request },
          toWrite: withKey,
        },
        { kind: 'api_key.rotate', title: `Rotate API key ${keyId}`, payload: { keyId, ...request } },
      );
    },
    'apiKeys.revoke': async ({ profile, tenant, keyId }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return writeOrRequest(
        { client: client.value, events, profile },
        tenant,
        {
          route: apiKeysApi.revoke,
          input: { params: { ...tenantParams(tenant), keyId } },
          toWrite: (key) => ({ outcome: 'done', key, secret: null }),
        },
        { kind: 'api_key.revoke', title: `Revoke API key ${keyId}`, payload: { keyId } },
      );
    },
  };
}

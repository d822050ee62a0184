import type { z } from 'zod';
import { ApiKey, ApiKeyList, ApiKeyWithSecret } from '../../../../shared/api/api-keys';
import { ApprovalRequest } from '../../../../shared/api/approvals';
import type { apiKeyCalls, KeyWrite } from '../../../../shared/contract/calls/api-keys';
import type { TenantRef } from '../../../../shared/contract/spec';
import { ok, type Result } from '../../../../shared/result';
import type { PlatformClient } from '../../platform/platform-client';
import type { HandlersOf } from '../dispatcher';
import { type HandlerServices, tenantPath } from './services';

/**
 * A direct key write where the lane is green; where the platform answers `approval-required`, the same
 * change is raised as an approval request, so the admin's intent is never lost.
 */
async function writeOrRequest<S extends z.ZodType>(
  client: PlatformClient,
  tenant: TenantRef,
  direct: { path: string; body: unknown; schema: S; toWrite: (value: z.infer<S>) => KeyWrite },
  approval: { kind: string; title: string; payload: Record<string, unknown> },
): Promise<Result<KeyWrite>> {
  const written = await client.request('POST', tenantPath(tenant, direct.path), direct.schema, direct.body);
  if (written.ok) return ok(direct.toWrite(written.value));
  if (written.error.code !== 'approval-required') return written;
  const request = await client.request('POST', tenantPath(tenant, 'approvals'), ApprovalRequest, {
    kind: approval.kind,
    title: approval.title,
    summary: written.error.message,
    payload: approval.payload,
  });
  return request.ok ? ok({ outcome: 'approval-requested', request: request.value }) : request;
}

export function apiKeyHandlers({ profiles }: HandlerServices): HandlersOf<typeof apiKeyCalls> {
  const withKey = (value: z.infer<typeof ApiKeyWithSecret>): KeyWrite => ({ outcome: 'done', ...value });
  return {
    'apiKeys.list': async ({ profile, tenant }) => {
      const client = await profiles.client(profile);
      return client.ok ? client.value.request('GET', tenantPath(tenant, 'api-keys'), ApiKeyList) : client;
    },
    'apiKeys.create': async ({ profile, tenant, request }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return writeOrRequest(
        client.value,
        tenant,
        { path: 'api-keys', body: request, schema: ApiKeyWithSecret, toWrite: withKey },
        { kind: 'api_key.create', title: `Create API key "${request.name}"`, payload: request },
      );
    },
    'apiKeys.rotate': async ({ profile, tenant, keyId, request }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return writeOrRequest(
        client.value,
        tenant,
        { path: `api-keys/${keyId}/rotate`, body: request, schema: ApiKeyWithSecret, toWrite: withKey },
        { kind: 'api_key.rotate', title: `Rotate API key ${keyId}`, payload: { keyId, ...request } },
      );
    },
    'apiKeys.revoke': async ({ profile, tenant, keyId }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return writeOrRequest(
        client.value,
        tenant,
        {
          path: `api-keys/${keyId}/revoke`,
          body: {},
          schema: ApiKey,
          toWrite: (key) => ({ outcome: 'done', key, secret: null }),
        },
        { kind: 'api_key.revoke', title: `Revoke API key ${keyId}`, payload: { keyId } },
      );
    },
  };
}

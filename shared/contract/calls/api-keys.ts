import { z } from 'zod';
import { ApiKey, ApiKeyId, ApiKeyList, CreateApiKeyRequest, RotateApiKeyRequest } from '../../api/api-keys';
import { ApprovalRequest } from '../../api/approvals';
import { call, TenantCall, tenantCallErrors } from '../spec';

/**
 * A key write answers with the new secret (shown once, never kept by the console) when the tenant's
 * policy puts it in the green lane, or with the approval request raised in its place otherwise.
 */
const KeyWrite = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('done'), key: ApiKey, secret: z.string().nullable() }),
  z.object({ outcome: z.literal('approval-requested'), request: ApprovalRequest }),
]);
export type KeyWrite = z.infer<typeof KeyWrite>;

const errors = tenantCallErrors;

export const apiKeyCalls = {
  'apiKeys.list': call({
    summary: "The tenant's API keys: scopes, status, last use, expiry and grace; never a secret.",
    input: z.strictObject({ ...TenantCall }),
    output: ApiKeyList,
    errors,
  }),
  'apiKeys.create': call({
    summary: 'Creates a key, or raises the approval request the policy asks for.',
    input: z.strictObject({ ...TenantCall, request: CreateApiKeyRequest }),
    output: KeyWrite,
    errors,
  }),
  'apiKeys.rotate': call({
    summary: 'Rotates a key with a grace period for the old one, or raises the approval request.',
    input: z.strictObject({ ...TenantCall, keyId: ApiKeyId, request: RotateApiKeyRequest }),
    output: KeyWrite,
    errors,
  }),
  'apiKeys.revoke': call({
    summary: 'Revokes a key at once, or raises the approval request.',
    input: z.strictObject({ ...TenantCall, keyId: ApiKeyId }),
    output: KeyWrite,
    errors,
  }),
} as const;

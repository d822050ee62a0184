import { z } from 'zod';
import { Environment } from '../domain/environments';
import { ApiKeyScope } from '../domain/permissions';
import { singleLineText } from '../text/free-text';
import { Id, OrgSlug, Timestamp } from './common';

/** Public part of an API key: `cck_<environment>_<26 base32 chars>`; the full key is `<public id>.<secret>`. */
export const ApiKeyId = z.string().regex(/^cck_(test|live)_[a-z2-7]{26}$/, 'Expected an API key id');

export const ApiKeyStatus = z.enum(['active', 'grace', 'expired', 'revoked']);

export const ApiKey = z.object({
  id: ApiKeyId,
  name: z.string(),
  environment: Environment,
  scopes: z.array(ApiKeyScope),
  status: ApiKeyStatus,
  createdBy: Id,
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  /** After a rotation: when this key stops working, and the key that replaced it. */
  graceUntil: Timestamp.nullable(),
  replacedBy: ApiKeyId.nullable(),
  /**
   * When the key was handed to a new owner (its creator left): from then on it has no working secret until
   * that owner rotates it, whatever its status says of its lifetime.
   */
  handedOverAt: Timestamp.nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyList = z.object({ keys: z.array(ApiKey) });

/** The only response that ever carries a key's secret, once, at creation or rotation. */
export const ApiKeyWithSecret = z.object({ key: ApiKey, secret: z.string() });
export type ApiKeyWithSecret = z.infer<typeof ApiKeyWithSecret>;

const MAX_KEY_LIFETIME_DAYS = 3650;

export const CreateApiKeyRequest = z.strictObject({
  name: singleLineText(1, 100),
  scopes: z.array(ApiKeyScope).min(1).max(32),
  /** Days until the key expires; omitted means it never expires. */
  expiresInDays: z.number().int().min(1).max(MAX_KEY_LIFETIME_DAYS).optional(),
});
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

export const RotateApiKeyRequest = z.strictObject({
  /** How long the old key keeps working, in seconds; 0 ends it at once. Default 24 hours, at most 30 days. */
  gracePeriodSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 24 * 3600)
    .default(24 * 3600),
});

export const ApiKeyParams = z.strictObject({ org: OrgSlug, env: Environment, keyId: ApiKeyId });

/** What a key may know of itself: enough for a console to name the profile it signs in with. */
export const ApiKeySelf = z.object({
  id: ApiKeyId,
  organization: OrgSlug,
  environment: Environment,
  scopes: z.array(ApiKeyScope),
  expiresAt: Timestamp.nullable(),
});
export type ApiKeySelf = z.infer<typeof ApiKeySelf>;

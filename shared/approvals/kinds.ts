import { z } from 'zod';
import { ApiKeyId } from '../api/api-keys';
import { Id } from '../api/common';
import { ApiKeyScope, RoleName } from '../domain/permissions';

export const Lane = z.enum(['green', 'yellow', 'red']);
export type Lane = z.infer<typeof Lane>;

/** Writes the platform carries out itself once a request is approved, each with its payload schema. */
export const builtInPayloads = {
  'member.role_change': z.strictObject({ userId: Id, role: RoleName }),
  'api_key.create': z.strictObject({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(ApiKeyScope).min(1).max(32),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  }),
  'api_key.rotate': z.strictObject({
    keyId: ApiKeyId,
    gracePeriodSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600),
  }),
  'api_key.revoke': z.strictObject({ keyId: ApiKeyId }),
  'audit.retention': z.strictObject({ days: z.number().int().min(30).max(36_500) }),
  'evidence.delete': z.strictObject({
    evidenceId: z.string().regex(/^evd_[a-z2-7]{26}$/, 'Expected an evidence id'),
  }),
} as const;

export type BuiltInKind = keyof typeof builtInPayloads;
export const builtInKinds = Object.keys(builtInPayloads) as BuiltInKind[];

/** Integrations' own kinds: `custom.<name>`, any JSON object payload, executed by the integration. */
export const CustomKind = z.string().regex(/^custom\.[a-z][a-z0-9_.-]{0,62}$/, 'Expected custom.<name>');
export const ApprovalKind = z.union([z.enum(builtInKinds as [BuiltInKind, ...BuiltInKind[]]), CustomKind]);

export function isBuiltIn(kind: string): kind is BuiltInKind {
  return Object.hasOwn(builtInPayloads, kind);
}

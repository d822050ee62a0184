import { z } from 'zod';
import { ApiKeyId } from '../api/api-keys';
import { Id } from '../api/common';
import { Environment } from '../domain/environments';
import { ApiKeyScope, type Permission, RoleName } from '../domain/permissions';
import { multiLineText, singleLineText } from '../text/free-text';

export const Lane = z.enum(['green', 'yellow', 'red']);
export type Lane = z.infer<typeof Lane>;

/** A kind's lane in each environment. */
export const KindLanes = z.strictObject({ test: Lane, live: Lane });

/** The fewest approvals the red lane may ask for: below two, one person could act alone. */
export const MIN_RED_APPROVALS = 2;

/** How long an elevation may last unless the policy says otherwise, and the most any policy may allow. */
export const DEFAULT_MAX_ELEVATION_HOURS = 8;
export const MAX_ELEVATION_HOURS_LIMIT = 168;

/**
 * A change to the organization's approval policy, or to where an environment's executed custom writes are
 * sent (its webhook target; null removes it). Always a red request: the policy is how the two-person rule
 * is kept, so it changes only under that rule.
 */
export const PolicyChange = z
  .strictObject({
    lanes: z.record(z.string().max(80), KindLanes).optional(),
    redApprovals: z
      .number()
      .int()
      .min(
        MIN_RED_APPROVALS,
        `The red lane needs at least ${MIN_RED_APPROVALS} approvals, so no one acts alone`,
      )
      .max(10)
      .optional(),
    expiryDays: z.number().int().min(1).max(90).optional(),
    /** The longest time-limited elevation (member.elevate) a person may be granted, in hours. */
    maxElevationHours: z.number().int().min(1).max(MAX_ELEVATION_HOURS_LIMIT).optional(),
    webhook: z.strictObject({ environment: Environment, url: z.url().max(2000).nullable() }).optional(),
  })
  .refine((change) => Object.keys(change).length > 0, 'A policy change must change something');
export type PolicyChange = z.infer<typeof PolicyChange>;

/** Writes the platform carries out itself once a request is approved, each with its payload schema. */
export const builtInPayloads = {
  'member.role_change': z.strictObject({ userId: Id, role: RoleName }),
  'api_key.create': z.strictObject({
    name: singleLineText(1, 100),
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
  'policy.update': PolicyChange,
  // Member lifecycle (issue 13). Each is carried out by the platform once its lane is satisfied.
  'member.invite': z.strictObject({
    email: z.email().max(254),
    role: RoleName,
    displayName: singleLineText(1, 100),
  }),
  'member.remove': z.strictObject({ userId: Id }),
  'member.suspend': z.strictObject({ userId: Id }),
  'member.resume': z.strictObject({ userId: Id }),
  /** The requester asks for a role for a while; the policy's maxElevationHours bounds the duration. */
  'member.elevate': z.strictObject({
    role: RoleName.exclude(['owner']),
    durationMinutes: z
      .number()
      .int()
      .min(15)
      .max(MAX_ELEVATION_HOURS_LIMIT * 60),
    reason: multiLineText(1, 1000),
  }),
  /** Hands a key over to another member: from then on it acts as them (a key acts as its owner). */
  'api_key.transfer': z.strictObject({ keyId: ApiKeyId, toUserId: Id }),
  /** An administrator ends a member's device key (an access review's revoke, or offboarding by hand). */
  'device_key.revoke': z.strictObject({
    userId: Id,
    deviceKeyId: z.string().regex(/^dev_[a-z2-7]{26}$/, 'Expected a device key id'),
  }),
} as const;

export type BuiltInKind = keyof typeof builtInPayloads;

/** The permission a requester needs for each built-in kind, on top of approvals:request. */
export const kindPermission: Readonly<Record<BuiltInKind, Permission>> = {
  'member.role_change': 'members:manage',
  'api_key.create': 'keys:manage',
  'api_key.rotate': 'keys:manage',
  'api_key.revoke': 'keys:manage',
  'audit.retention': 'policy:manage',
  'evidence.delete': 'evidence:upload',
  'policy.update': 'policy:manage',
  'member.invite': 'members:manage',
  'member.remove': 'members:manage',
  'member.suspend': 'members:manage',
  'member.resume': 'members:manage',
  // Any member who may raise requests may ask for more access for a while; the lane decides.
  'member.elevate': 'approvals:request',
  'api_key.transfer': 'keys:manage',
  'device_key.revoke': 'members:manage',
};
export const builtInKinds = Object.keys(builtInPayloads) as BuiltInKind[];

/** Integrations' own kinds: `custom.<name>`, any JSON object payload, executed by the integration. */
export const CustomKind = z.string().regex(/^custom\.[a-z][a-z0-9_.-]{0,62}$/, 'Expected custom.<name>');
export const ApprovalKind = z.union([z.enum(builtInKinds as [BuiltInKind, ...BuiltInKind[]]), CustomKind]);

export function isBuiltIn(kind: string): kind is BuiltInKind {
  return Object.hasOwn(builtInPayloads, kind);
}

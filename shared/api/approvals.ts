import { z } from 'zod';
import { ApprovalKind, Lane } from '../approvals/kinds';
import { Environment } from '../domain/environments';
import { ApprovalId, Id, OrgSlug, Timestamp } from './common';

export { ApprovalId };

import { multiLineText, signedText, singleLineText } from '../text/free-text';
import { EvidenceId, EvidenceMeta } from './evidence';

export const DeviceKeyId = z.string().regex(/^dev_[a-z2-7]{26}$/, 'Expected a device key id');

export const ApprovalStatus = z.enum(['pending', 'executed', 'failed', 'rejected', 'withdrawn', 'expired']);

export const CreateApprovalRequest = z.strictObject({
  kind: ApprovalKind,
  title: singleLineText(1, 200),
  summary: multiLineText(0, 2000).default(''),
  payload: z.record(z.string(), z.unknown()),
  /** The executed request this one undoes. */
  reverses: ApprovalId.optional(),
  /**
   * Evidence the requester uploaded beforehand (without a request), attached as the request is created,
   * in the same transaction: bound before anyone can decide, so every decision signs over all of it.
   */
  evidenceIds: z.array(EvidenceId).max(20).optional(),
});
export type CreateApprovalRequest = z.infer<typeof CreateApprovalRequest>;

/** The approver id of a break-glass co-signature by the platform's operator, signed with the audit key. */
export const OPERATOR_APPROVER = 'platform-operator';
export const OPERATOR_SIGNING_KEY = 'audit-key';

export const Decision = z.object({
  approverId: z.union([Id, z.literal(OPERATOR_APPROVER)]),
  decision: z.enum(['approve', 'reject']),
  comment: z.string(),
  deviceKeyId: z.union([DeviceKeyId, z.literal(OPERATOR_SIGNING_KEY)]),
  decidedAt: Timestamp,
  /** The canonical statement that was signed, and the Ed25519 signature over it (base64). */
  signed: z.string(),
  signature: z.string(),
});

export const ApprovalRequest = z.object({
  id: ApprovalId,
  environment: Environment,
  kind: z.string(),
  title: z.string(),
  summary: z.string(),
  payload: z.record(z.string(), z.unknown()),
  payloadHash: z.string(),
  lane: Lane,
  requiredApprovals: z.number().int(),
  approvals: z.number().int(),
  status: ApprovalStatus,
  /** Who raised it (a person or an API key), and the person accountable (the key's creator for a key). */
  requester: z.object({ type: z.string(), id: z.string(), personId: z.string() }),
  reverses: ApprovalId.nullable(),
  /** The newest request that reverses this one, whatever its status; null while none does. */
  reversedBy: ApprovalId.nullable(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  closedAt: Timestamp.nullable(),
  outcome: z.string().nullable(),
  decisions: z.array(Decision),
  evidence: z.array(EvidenceMeta),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

export const ApprovalList = z.object({
  requests: z.array(ApprovalRequest.omit({ decisions: true, evidence: true })),
  nextCursor: z.string().nullable(),
});

export const ApprovalListQuery = z.strictObject({
  status: z
    .enum(['pending', 'executed', 'failed', 'rejected', 'withdrawn', 'expired', 'closed', 'all'])
    .default('pending'),
  lane: Lane.optional(),
  kind: z.string().max(80).optional(),
  mine: z.enum(['to-decide']).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});

export const ApprovalParams = z.strictObject({ org: OrgSlug, env: Environment, requestId: ApprovalId });

export const DecideRequest = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: signedText(4000).default(''),
  deviceKeyId: DeviceKeyId,
  decidedAt: Timestamp,
  /** Base64 Ed25519 signature over the decision statement (shared/approvals/decision-statement.ts). */
  signature: z.string().max(200),
  /** A fresh code from the approver's authenticator; required in the red lane. */
  totp: z
    .string()
    .regex(/^[0-9]{6}$/)
    .optional(),
  /** The same key on a retry returns the first result and never counts twice. */
  idempotencyKey: z.string().min(8).max(100),
});
export type DecideRequest = z.infer<typeof DecideRequest>;

export const CommentRequest = z.strictObject({ body: multiLineText(1, 4000) });

export const TimelineEvent = z.object({
  seq: z.number().int(),
  ts: Timestamp,
  action: z.string(),
  actor: z.object({ type: z.string(), id: z.string() }),
  change: z.unknown(),
});
export const Timeline = z.object({ events: z.array(TimelineEvent) });

export const ApprovalResult = z.object({ secret: z.string().nullable() });

export const DeviceKey = z.object({
  id: DeviceKeyId,
  name: z.string(),
  publicKey: z.string(),
  createdAt: Timestamp,
  revokedAt: Timestamp.nullable(),
  /** When a decision was last signed with it. */
  lastUsedAt: Timestamp.nullable(),
});
export type DeviceKey = z.infer<typeof DeviceKey>;
export const DeviceKeyList = z.object({ keys: z.array(DeviceKey) });
export const RegisterDeviceKey = z.strictObject({
  name: singleLineText(1, 100),
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'Expected a base64 Ed25519 public key'),
});
export const DeviceKeyParams = z.strictObject({ keyId: DeviceKeyId });

export const Policy = z.object({
  lanes: z.record(z.string(), z.object({ test: Lane, live: Lane })),
  redApprovals: z.number().int().min(2).max(10),
  expiryDays: z.number().int().min(1).max(90),
  auditRetentionDays: z.number().int().nullable(),
  /**
   * The longest elevation (member.elevate) the organization allows, in hours. This platform always sends
   * it; it is optional so that what was written before it existed still reads.
   */
  maxElevationHours: z.number().int().min(1).optional(),
});
export type Policy = z.infer<typeof Policy>;
export const DeliveryList = z.object({
  deliveries: z.array(
    z.object({
      id: z.string(),
      status: z.enum(['pending', 'delivered', 'gave-up']),
      attempts: z.array(
        z.object({
          attempt: z.number().int(),
          at: Timestamp,
          outcome: z.enum(['delivered', 'failed']),
        }),
      ),
    }),
  ),
});

import { z } from 'zod';
import { Environment } from '../../domain/environments';
import { RoleName } from '../../domain/permissions';

/**
 * The entries the package's checks read, as the platform writes them (platform/approvals,
 * platform/devices, platform/organizations, platform/evidence, platform/reviews). Parsed with zod: a log's entries are
 * signed by the platform, but a package is hostile input until its log has verified.
 */

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const Base64 = z.string().max(200);

export const Statement = z.strictObject({
  requestId: z.string().max(100),
  decision: z.enum(['approve', 'reject']),
  payloadHash: Sha256Hex,
  evidenceHashes: z.array(Sha256Hex).max(1000),
  commentHash: Sha256Hex,
  decidedAt: z.string().max(40),
});
export type Statement = z.infer<typeof Statement>;

const Base = {
  seq: z.number().int().min(0),
  ts: z.string().max(40),
  organization: z.string(),
  environment: z.string(),
};

export const DecisionEntry = z.object({
  ...Base,
  action: z.literal('approval.decide'),
  actor: z.object({ type: z.string(), id: z.string().max(100) }),
  resource: z.object({ type: z.literal('approval_request'), id: z.string().max(100) }),
  change: z.object({
    after: z.object({ statement: Statement, publicKey: Base64, comment: z.string() }),
  }),
  signature: z.object({ keyId: z.string().max(100), value: Base64, payloadHash: z.string().max(100) }),
});
export type DecisionEntry = z.infer<typeof DecisionEntry>;

export const BreakGlassEntry = z.object({
  ...Base,
  action: z.literal('approval.break_glass'),
  resource: z.object({ type: z.literal('approval_request'), id: z.string().max(100) }),
  change: z.object({
    after: z.object({
      statement: Statement,
      reason: z.string(),
      verifierKey: z.string().max(500),
      signature: Base64,
    }),
  }),
});
export type BreakGlassEntry = z.infer<typeof BreakGlassEntry>;

const Attachment = z.object({ id: z.string().max(100), sha256: Sha256Hex });

export const RequestEntry = z.object({
  ...Base,
  action: z.literal('approval.request'),
  resource: z.object({ type: z.literal('approval_request'), id: z.string().max(100) }),
  change: z.object({
    after: z.object({
      kind: z.string().max(100),
      payloadHash: Sha256Hex,
      evidence: z.array(Attachment).max(1000).optional(),
    }),
  }),
});
export type RequestEntry = z.infer<typeof RequestEntry>;

export const EvidenceUploadEntry = z.object({
  ...Base,
  action: z.literal('evidence.upload'),
  resource: z.object({ type: z.literal('evidence'), id: z.string().max(100) }),
  change: z.object({
    after: z.object({
      id: z.string().max(100),
      requestId: z.string().max(100).nullable(),
      sha256: Sha256Hex,
    }),
  }),
});

export const EvidenceDeleteEntry = z.object({
  ...Base,
  action: z.literal('evidence.delete'),
  change: z.object({ before: z.object({ sha256: Sha256Hex }) }),
});

/** A closed access-review campaign (platform/reviews): its evidence pack, stored in the live environment. */
export const ReviewCloseEntry = z.object({
  ...Base,
  action: z.literal('review.close'),
  resource: z.object({ type: z.literal('review_campaign'), id: z.string().max(100) }),
  change: z.object({
    after: z.object({
      pack: z
        .array(z.object({ evidence: z.string().max(100), sha256: Sha256Hex, environment: Environment }))
        .max(100),
    }),
  }),
});
export type ReviewCloseEntry = z.infer<typeof ReviewCloseEntry>;

export const DeviceKeyEntry = z.object({
  ...Base,
  action: z.enum(['device_key.register', 'device_key.revoke']),
  resource: z.object({ type: z.literal('device_key'), id: z.string().max(100) }),
  change: z.object({
    after: z.object({ owner: z.string().max(100), publicKey: z.string().max(100).optional() }),
  }),
});
export type DeviceKeyEntry = z.infer<typeof DeviceKeyEntry>;

export const MemberEntry = z.object({
  ...Base,
  action: z.enum(['member.add', 'member.role_change', 'member.remove']),
  resource: z.object({ type: z.literal('user'), id: z.string().max(100) }),
  change: z.object({ after: z.object({ role: RoleName }).nullable() }),
});
export type MemberEntry = z.infer<typeof MemberEntry>;

/** The actions the package verifier asks the log walk for (see VerifyOptions.onEntry). */
export const visitedActions = [
  'approval.request',
  'approval.decide',
  'approval.break_glass',
  'evidence.upload',
  'evidence.delete',
  'review.close',
  'device_key.',
  'member.',
] as const;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The line as JSON, or undefined; never throws. */
export function parseLine(line: Uint8Array | string): { action?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(typeof line === 'string' ? line : decoder.decode(line));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

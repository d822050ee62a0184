import type { ApprovalRequest } from '../../shared/api/approvals';
import { nodeAuditCrypto } from '../../shared/audit/node-crypto';
import type { ApprovalRecord, DecisionRow } from '../db/approvals';
import type { TenantScope } from '../db/scope';

/** How approval requests and decisions look from outside, and how a decision's signature is checked. */

export interface ApprovalSignature {
  readonly keyId: string;
  readonly algorithm: 'Ed25519';
  readonly value: string;
  readonly payloadHash: string;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function toApi(
  tenant: TenantScope,
  row: ApprovalRecord,
  decisions: DecisionRow[],
): Omit<ApprovalRequest, 'evidence'> {
  return {
    id: row.id,
    environment: tenant.environment,
    kind: row.kind,
    title: row.title,
    summary: row.summary,
    payload: JSON.parse(row.payload),
    payloadHash: row.payload_sha256,
    lane: row.lane,
    requiredApprovals: row.required_approvals,
    approvals: decisions.filter((d) => d.decision === 'approve').length,
    status: row.status,
    requester: { type: row.requester_type, id: row.requester_id, personId: row.requester_person_id },
    reverses: row.reverses,
    reversedBy: row.reversed_by,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    closedAt: iso(row.closed_at),
    outcome: row.outcome,
    decisions: decisions.map((d) => ({
      approverId: d.approver_id,
      decision: d.decision,
      comment: d.comment,
      deviceKeyId: d.device_key_id,
      decidedAt: new Date(d.decided_at).toISOString(),
      signed: d.signed,
      signature: d.signature,
    })),
  };
}

/** Ed25519 over the statement with the approver's registered public key (the audit code's own check). */
export function verifyDeviceSignature(
  publicKey: Buffer,
  message: Uint8Array,
  signatureBase64: string,
): boolean {
  return nodeAuditCrypto.verifyEd25519(publicKey, message, Buffer.from(signatureBase64, 'base64'));
}

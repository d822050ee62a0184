import { OPERATOR_APPROVER, OPERATOR_SIGNING_KEY } from '../../shared/api/approvals';
import { decisionStatementBytes } from '../../shared/approvals/decision-statement';
import { roleAllows } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { orgOf, type TenantScope } from '../db/scope';
import type { WebhookService } from '../webhooks/webhook-service';
import { executeRequest, recordApprovalEvent } from './approval-execution';
import { sha256Hex } from './approval-service';

/**
 * The break-glass path for an organization too small to meet its own red lane: a `policy.update` needs N
 * approvals from people other than the proposer, and an organization with fewer such people could never
 * change its policy. The platform's operator, who is not a member, may then add one co-signature, and only
 * as the last one: every other member who may decide must already have approved. So a proposer is never
 * alone (the operator is the second person), and the operator never stands in for a member who could
 * decide. The co-signature is signed with the audit key auditors pin and carries the operator's reason.
 */
export function breakGlassApprove(
  ctx: PlatformContext,
  webhooks: WebhookService,
  tenant: TenantScope,
  requestId: string,
  reason: string,
  context: AuditContext,
): Promise<Result<{ outcome: string }>> {
  const { stores, clock } = ctx;
  if (reason.trim().length < 10)
    return Promise.resolve(fail('bad-request', 'Give the reason for the break-glass approval.'));
  return stores.db.inTenant(tenant, async (): Promise<Result<{ outcome: string }>> => {
    await stores.db.lockRequest(tenant, requestId);
    const row = await stores.approvals.get(tenant, requestId);
    if (!row) return fail('not-found', 'Approval request not found.');
    if (row.kind !== 'policy.update') {
      return fail('forbidden', 'Only a policy change can be completed by the operator.');
    }
    if (row.status !== 'pending' || row.expires_at <= clock.now()) {
      return fail(
        'conflict',
        `This request is already ${row.status === 'pending' ? 'expired' : row.status}.`,
      );
    }
    const deciders = (await stores.memberships.list(orgOf(tenant))).filter(
      (m) => m.user_id !== row.requester_person_id && roleAllows(m.role, 'approvals:decide'),
    );
    if (deciders.length >= row.required_approvals) {
      return fail(
        'forbidden',
        `The organization has ${deciders.length} people who may decide this; it needs no operator.`,
      );
    }
    const approvedBy = new Set(
      (await stores.approvals.decisions(tenant, requestId))
        .filter((d) => d.decision === 'approve')
        .map((d) => d.approver_id),
    );
    const missing = deciders.filter((m) => !approvedBy.has(m.user_id));
    if (missing.length > 0) {
      return fail(
        'conflict',
        `Every member who may decide must approve first; still waiting for ${missing.map((m) => m.email).join(', ')}.`,
      );
    }
    const decidedAt = new Date(clock.now()).toISOString();
    const statement = {
      requestId,
      decision: 'approve' as const,
      payloadHash: row.payload_sha256,
      evidenceHashes: (await stores.evidence.forRequest(tenant, requestId)).map((e) => e.sha256),
      commentHash: sha256Hex(reason),
      decidedAt,
    };
    const signed = decisionStatementBytes(statement);
    const signature = ctx.auditKeys.signOperatorStatement(signed);
    await stores.approvals.insertDecision(tenant, {
      request_id: requestId,
      approver_id: OPERATOR_APPROVER,
      decision: 'approve',
      comment: reason,
      device_key_id: OPERATOR_SIGNING_KEY,
      signed: Buffer.from(signed).toString('utf8'),
      signature: signature.signature,
      idempotency_key: `break-glass-${requestId}`,
      decided_at: clock.now(),
    });
    await recordApprovalEvent(ctx, tenant, requestId, context, 'approval.break_glass', {
      statement,
      reason,
      eligibleDeciders: deciders.length,
      requiredApprovals: row.required_approvals,
      verifierKey: signature.verifierKey,
      publicKey: signature.publicKey,
      signature: signature.signature,
    });
    await executeRequest(ctx, webhooks, tenant, row, context);
    const closed = await stores.approvals.get(tenant, requestId);
    return ok({ outcome: closed?.outcome ?? 'executed' });
  });
}

import { type BuiltInKind, isBuiltIn, kindPermission } from '../../shared/approvals/kinds';
import { roleAllows } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import type { ApprovalRow } from '../db/approvals';
import { orgOf, type TenantScope } from '../db/scope';
import type { WebhookService } from '../webhooks/webhook-service';
import type { ApprovalSignature } from './approval-view';
import { type Execution, executeBuiltIn } from './executors';

/** One step of a request's life, as an entry of its tenant's audit log (its timeline reads them back). */
export function recordApprovalEvent(
  ctx: PlatformContext,
  tenant: TenantScope,
  requestId: string,
  context: AuditContext,
  action: string,
  after: unknown,
  signature?: ApprovalSignature,
): Promise<void> {
  return ctx.auditLog
    .append(tenant, context, {
      action,
      resource: { type: 'approval_request', id: requestId },
      change: { before: null, after },
      ...(signature ? { signature } : {}),
    })
    .then(() => undefined);
}

/**
 * Whether the person who raised a built-in request may still ask for it now that it is carried out: an
 * active member (not removed, not suspended) whose role in force (an elevation's while it lasts) allows
 * the kind. A request an access review raised rests on the review instead: its reviewer must still be one
 * who may decide. Approvals do not lend the requester an authority they have lost meanwhile.
 */
async function requesterMayStill(
  ctx: PlatformContext,
  tenant: TenantScope,
  row: ApprovalRow,
  kind: BuiltInKind,
  raisedByReview: boolean,
): Promise<Result<void>> {
  const standing = await ctx.stores.memberships.standing(
    tenant.organizationId,
    row.requester_person_id,
    ctx.clock.now(),
  );
  if (!standing || standing.suspendedAt !== null)
    return fail('forbidden', 'The requester is no longer an active member of the organization.');
  const needed = kindPermission[kind];
  if (roleAllows(standing.role, needed)) return ok(undefined);
  const viaReview =
    raisedByReview || (await ctx.stores.reviews.itemForRequest(orgOf(tenant), row.id)) !== undefined;
  if (viaReview && roleAllows(standing.role, 'approvals:decide')) return ok(undefined);
  return fail('forbidden', `The requester may no longer ask for ${kind}: it needs ${needed}.`);
}

/**
 * Carries out an approved request inside the transaction of the approval that completed it: built-in kinds
 * here, with the requester's authority as it stands now; custom kinds by queueing their webhook delivery
 * (sent after commit). A secret it produced is sealed for the requester to collect once.
 */
export async function executeRequest(
  ctx: PlatformContext,
  webhooks: WebhookService,
  tenant: TenantScope,
  row: ApprovalRow,
  context: AuditContext,
  /** Raised by an access review's decision (its item is linked once the request exists). */
  raisedByReview = false,
): Promise<void> {
  const { stores, clock, sealedBox } = ctx;
  let execution: Result<Execution>;
  const allowed = isBuiltIn(row.kind)
    ? await requesterMayStill(ctx, tenant, row, row.kind, raisedByReview)
    : ok(undefined);
  if (!allowed.ok) {
    execution = allowed;
  } else if (isBuiltIn(row.kind)) {
    execution = await executeBuiltIn(
      ctx,
      tenant,
      row.kind,
      JSON.parse(row.payload),
      { userId: row.requester_person_id },
      context,
      { id: row.id },
    );
  } else {
    await webhooks.enqueue(tenant, row);
    execution = ok({ outcome: 'handed to the integration' });
  }
  const status = execution.ok ? 'executed' : 'failed';
  const outcome = execution.ok ? execution.value.outcome : execution.error.message;
  await stores.approvals.close(tenant, row.id, status, clock.now(), outcome);
  if (execution.ok && execution.value.secret) {
    await stores.approvals.putResult(
      tenant,
      row.id,
      sealedBox.seal(Buffer.from(execution.value.secret), `approval-result:${row.id}`),
    );
  }
  await recordApprovalEvent(
    ctx,
    tenant,
    row.id,
    context,
    status === 'executed' ? 'approval.execute' : 'approval.fail',
    {
      status,
      outcome,
    },
  );
}

import type { CreateApprovalRequest } from '../../shared/api/approvals';
import type { DecideItem, ReviewItem } from '../../shared/api/reviews';
import { kindPermission } from '../../shared/approvals/kinds';
import type { Environment } from '../../shared/domain/environments';
import { type Permission, type RoleName, rolePermissions } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import { ApprovalService } from '../approvals/approval-service';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import type { ReviewItemRow } from '../db/reviews';
import { type OrgScope, tenantScope } from '../db/scope';
import { recordInBothLogs } from '../lifecycle/membership-facts';
import type { WebhookService } from '../webhooks/webhook-service';
import { changeDetector } from './current';
import { ReviewService } from './review-service';
import type { GrantSnapshot } from './snapshot';
import { toItem } from './views';

/** A change in a review lowers access: the new role's permissions are a strict subset of the old one's. */
export function lowers(from: RoleName, to: RoleName): boolean {
  const before = new Set(rolePermissions[from]);
  const after = rolePermissions[to];
  return after.length < before.size && after.every((p) => before.has(p));
}

/** The ordinary request a revoke or change raises, and the environment it is raised in. */
function requestFor(
  item: ReviewItemRow,
  input: DecideItem,
  campaignTitle: string,
): Result<{ environment: Environment; body: CreateApprovalRequest }> {
  const was = JSON.parse(item.snapshot) as GrantSnapshot;
  const summary = `${input.reason}\n\nAccess review “${campaignTitle}”, item ${item.seq} (${item.id}).`;
  const body = (kind: string, title: string, payload: Record<string, unknown>) => ({
    kind,
    title: `Access review: ${title}`.slice(0, 200),
    summary: summary.slice(0, 2000),
    payload,
  });
  if (item.subject_type === 'member') {
    if (input.decision === 'revoke')
      return ok({
        environment: 'live',
        body: body('member.remove', `remove ${was.name}`, { userId: item.subject_id }),
      });
    const role = input.role;
    if (!role) return fail('bad-request', 'Say which role the member should have instead.');
    if (!was.role || !lowers(was.role as RoleName, role))
      return fail(
        'bad-request',
        `A review lowers access: ${role} must have fewer permissions than ${was.role}.`,
      );
    return ok({
      environment: 'live',
      body: body('member.role_change', `${was.name} becomes ${role}`, { userId: item.subject_id, role }),
    });
  }
  if (input.decision === 'change')
    return fail('bad-request', 'A key is kept or revoked; change applies to members’ roles.');
  if (item.subject_type === 'api_key' && item.environment) {
    return ok({
      environment: item.environment,
      body: body('api_key.revoke', `revoke API key “${was.name}”`, { keyId: item.subject_id }),
    });
  }
  return ok({
    environment: 'live',
    body: body('device_key.revoke', `revoke device key “${was.name}”`, {
      userId: item.subject_person_id,
      deviceKeyId: item.subject_id,
    }),
  });
}

/**
 * A reviewer's decision on one item, written once. No one reviews their own access: the item's subject is
 * refused (and the attempt recorded), whoever it is assigned to. Revoke and change raise an ordinary request
 * in its lane, as the reviewer, linked to the item both ways: the item names the request, the request's
 * `approval.request` entry names the item. The review is the request's authority to be raised (a compliance
 * officer may propose removing a member); its lane still decides whether it happens.
 */
export class ItemDecisions {
  constructor(
    private readonly ctx: PlatformContext,
    private readonly webhooks: WebhookService,
  ) {}

  /**
   * Whether the item's grant is the reviewer's own: its subject at the snapshot, or, for an API key, the
   * person it acts as now (a key handed to the reviewer after the snapshot is theirs to keep or lose).
   */
  async #isOwnAccess(org: OrgScope, item: ReviewItemRow, reviewerId: string): Promise<boolean> {
    if (item.subject_person_id === reviewerId) return true;
    if (item.subject_type !== 'api_key' || !item.environment) return false;
    const key = await this.ctx.stores.apiKeys.get(tenantScope(org, item.environment), item.subject_id);
    return key !== undefined && (key.owner_id ?? key.created_by) === reviewerId;
  }

  async decide(
    org: OrgScope,
    campaignId: string,
    itemId: string,
    reviewerId: string,
    input: DecideItem,
    context: AuditContext,
  ): Promise<Result<ReviewItem>> {
    const { stores, clock, auditLog } = this.ctx;
    const decided = await stores.db.inTenant(org, async (): Promise<Result<ReviewItemRow>> => {
      const campaign = await stores.reviews.getCampaign(org, campaignId);
      const item = campaign && (await stores.reviews.getItem(org, campaignId, itemId));
      if (!campaign || !item) return fail('not-found', 'Review item not found.');
      if (await this.#isOwnAccess(org, item, reviewerId)) {
        await recordInBothLogs(auditLog, org, context, {
          action: 'review.decide_refused',
          resource: { type: 'review_item', id: item.id },
          change: { before: null, after: { reason: 'own-access', campaign: campaignId } },
          outcome: 'failure',
        });
        return fail('forbidden', 'No one reviews their own access: this item is for another reviewer.');
      }
      if (item.reviewer_id !== reviewerId)
        return fail('forbidden', 'This item is assigned to another reviewer.');
      if (campaign.closed_at !== null) return fail('conflict', 'This campaign is closed.');
      if (campaign.deadline <= clock.now()) return fail('conflict', 'This campaign’s deadline has passed.');
      if (item.decision !== null)
        return fail('conflict', 'This item is already decided; decisions are final.');
      let raised: { id: string; environment: Environment } | null = null;
      if (input.decision !== 'keep') {
        const planned = requestFor(item, input, campaign.title);
        if (!planned.ok) return planned;
        const { environment, body } = planned.value;
        const needed = kindPermission[body.kind as keyof typeof kindPermission];
        const created = await new ApprovalService(this.ctx, this.webhooks).create(
          tenantScope(org, environment),
          { kind: 'user', userId: reviewerId },
          (p: Permission) => p === needed,
          body,
          context,
          { campaignId, itemId },
        );
        if (!created.ok) return created;
        raised = { id: created.value.id, environment };
      }
      const decision = {
        decision: input.decision,
        reason: input.reason,
        new_role: input.decision === 'change' ? (input.role ?? null) : null,
        decided_at: clock.now(),
        request_id: raised?.id ?? null,
        request_environment: raised?.environment ?? null,
      };
      // Decided by another call meanwhile: throwing rolls back the request raised above with it.
      if (!(await stores.reviews.decide(org, campaignId, itemId, decision)))
        throw new Error('The review item was decided meanwhile');
      await recordInBothLogs(auditLog, org, context, {
        action: 'review.decide',
        resource: { type: 'review_item', id: item.id },
        change: {
          before: null,
          after: {
            campaign: campaignId,
            subject: { type: item.subject_type, id: item.subject_id },
            decision: input.decision,
            reason: input.reason,
            newRole: decision.new_role,
            request: raised,
          },
        },
      });
      return ok({ ...item, ...decision });
    });
    if (!decided.ok) return decided;
    // The last decision closes the campaign (writing its pack); if that fails, the sweeper finishes it.
    const left = await stores.reviews.items(org, { campaignId, state: 'undecided', limit: 1 });
    if (left.length === 0)
      await new ReviewService(this.ctx).close(org, campaignId, 'completed', 'platform', context);
    const campaign = await stores.reviews.getCampaign(org, campaignId);
    const changed = await changeDetector(this.ctx, org);
    return ok(await toItem(this.ctx, org, decided.value, campaign?.deadline ?? 0, changed));
  }
}

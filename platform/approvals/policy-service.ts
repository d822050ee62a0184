import type { Policy } from '../../shared/api/approvals';
import type { PolicyChange } from '../../shared/approvals/kinds';
import { defaultLanes, validateLanes } from '../../shared/approvals/lanes';
import { ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { type OrgScope, tenantScope } from '../db/scope';
import { configureWebhook } from '../webhooks/webhook-service';
import { checkTargetUrl } from '../webhooks/webhook-target';
import { policyOf } from './policy';

/**
 * Reading an organization's approval policy, and carrying out an approved `policy.update`. There is no
 * other way to change it: the policy is how the two-person rule is kept, so it changes only under it.
 */
export class PolicyService {
  constructor(private readonly ctx: PlatformContext) {}

  get(org: OrgScope): Promise<Policy> {
    return policyOf(this.ctx.stores, org);
  }

  /** The policy a change would leave, or why it is refused; checked when raised and again when executed. */
  async check(org: OrgScope, change: PolicyChange): Promise<Result<Policy>> {
    const before = await policyOf(this.ctx.stores, org);
    const lanes = validateLanes({ ...before.lanes, ...change.lanes });
    if (!lanes.ok) return lanes;
    if (change.webhook?.url) {
      const url = checkTargetUrl(change.webhook.url, this.ctx.webhookTargets);
      if (!url.ok) return url;
    }
    return ok({
      ...before,
      lanes: lanes.value,
      redApprovals: change.redApprovals ?? before.redApprovals,
      expiryDays: change.expiryDays ?? before.expiryDays,
      maxElevationHours: change.maxElevationHours ?? before.maxElevationHours,
    });
  }

  /** Carries out an approved change inside the approval's transaction; a new webhook secret goes to the requester. */
  async apply(
    org: OrgScope,
    change: PolicyChange,
    context: AuditContext,
  ): Promise<Result<{ secret: string | null }>> {
    const { stores, auditLog } = this.ctx;
    const before = await policyOf(stores, org);
    const after = await this.check(org, change);
    if (!after.ok) return after;
    const ownLanes = Object.fromEntries(
      Object.entries(after.value.lanes).filter(
        ([kind, lane]) => JSON.stringify(defaultLanes[kind]) !== JSON.stringify(lane),
      ),
    );
    await stores.policies.put(org, {
      lanes: JSON.stringify(ownLanes),
      red_approvals: after.value.redApprovals,
      expiry_days: after.value.expiryDays,
      audit_retention_days: before.auditRetentionDays,
      max_elevation_hours: after.value.maxElevationHours ?? null,
    });
    await auditLog.append(tenantScope(org, 'live'), context, {
      action: 'policy.update',
      resource: { type: 'organization', id: org.organizationId },
      change: { before, after: await policyOf(stores, org) },
    });
    if (!change.webhook) return ok({ secret: null });
    return configureWebhook(
      this.ctx,
      tenantScope(org, change.webhook.environment),
      change.webhook.url,
      context,
    );
  }
}

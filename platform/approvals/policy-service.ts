import type { Policy } from '../../shared/api/approvals';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { type OrgScope, tenantScope } from '../db/scope';
import { defaultLanes, policyOf, validateLanes } from './policy';

/** Reading and changing an organization's approval policy; a change is recorded in its live log. */
export class PolicyService {
  constructor(private readonly ctx: PlatformContext) {}

  get(org: OrgScope): Policy {
    return policyOf(this.ctx.stores, org);
  }

  update(
    org: OrgScope,
    change: Partial<Omit<Policy, 'auditRetentionDays'>>,
    context: AuditContext,
  ): Result<Policy> {
    const { stores, auditLog } = this.ctx;
    const before = policyOf(stores, org);
    const lanes = { ...before.lanes, ...change.lanes };
    const valid = validateLanes(lanes);
    if (!valid.ok) return valid;
    if (change.expiryDays !== undefined && change.expiryDays < 1)
      return fail('bad-request', 'Expiry must be a day or more.');
    return stores.db.transaction((): Result<Policy> => {
      const ownLanes = Object.fromEntries(
        Object.entries(lanes).filter(([k, v]) => JSON.stringify(defaultLanes[k]) !== JSON.stringify(v)),
      );
      stores.policies.put(org, {
        lanes: JSON.stringify(ownLanes),
        red_approvals: change.redApprovals ?? before.redApprovals,
        expiry_days: change.expiryDays ?? before.expiryDays,
        audit_retention_days: before.auditRetentionDays,
      });
      const after = policyOf(stores, org);
      auditLog.append(tenantScope(org, 'live'), context, {
        action: 'policy.update',
        resource: { type: 'organization', id: org.organizationId },
        change: { before, after },
      });
      return ok(after);
    })();
  }
}

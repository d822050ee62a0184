import type { Policy } from '../../shared/api/approvals';
import { DEFAULT_MAX_ELEVATION_HOURS } from '../../shared/approvals/kinds';
import { DEFAULT_EXPIRY_DAYS, DEFAULT_RED_APPROVALS, defaultLanes } from '../../shared/approvals/lanes';
import type { OrgScope } from '../db/scope';
import type { Stores } from '../db/stores';

/** An organization's policy: its own lanes over the defaults (the lane logic is shared/approvals/lanes.ts). */
export async function policyOf(stores: Stores, org: OrgScope): Promise<Policy> {
  const row = await stores.policies.get(org);
  return {
    lanes: { ...defaultLanes, ...(row ? (JSON.parse(row.lanes) as Policy['lanes']) : {}) },
    redApprovals: row?.red_approvals ?? DEFAULT_RED_APPROVALS,
    expiryDays: row?.expiry_days ?? DEFAULT_EXPIRY_DAYS,
    auditRetentionDays: row?.audit_retention_days ?? null,
    maxElevationHours: row?.max_elevation_hours ?? DEFAULT_MAX_ELEVATION_HOURS,
  };
}

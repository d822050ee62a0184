import type { Policy } from '../../shared/api/approvals';
import { isBuiltIn, type Lane } from '../../shared/approvals/kinds';
import type { Environment } from '../../shared/domain/environments';
import { fail, ok, type Result } from '../../shared/result';
import type { OrgScope } from '../db/scope';
import type { Stores } from '../db/stores';

const rank: Readonly<Record<Lane, number>> = { green: 0, yellow: 1, red: 2 };

/** What an organization gets until it says otherwise: nothing touching live is waved through. */
export const defaultLanes: Readonly<Record<string, { test: Lane; live: Lane }>> = {
  'member.role_change': { test: 'yellow', live: 'red' },
  'api_key.create': { test: 'green', live: 'yellow' },
  'api_key.rotate': { test: 'green', live: 'yellow' },
  'api_key.revoke': { test: 'green', live: 'yellow' },
  'audit.retention': { test: 'red', live: 'red' },
  'evidence.delete': { test: 'red', live: 'red' },
  'policy.update': { test: 'red', live: 'red' },
  'custom.*': { test: 'yellow', live: 'yellow' },
};

/** Kinds whose lane no policy can change: the policy itself is changed only under the two-person rule. */
const fixedLanes: Readonly<Record<string, Lane>> = { 'policy.update': 'red' };

export const DEFAULT_RED_APPROVALS = 2;
export const DEFAULT_EXPIRY_DAYS = 7;

export function policyOf(stores: Stores, org: OrgScope): Policy {
  const row = stores.policies.get(org);
  return {
    lanes: { ...defaultLanes, ...(row ? (JSON.parse(row.lanes) as Policy['lanes']) : {}) },
    redApprovals: row?.red_approvals ?? DEFAULT_RED_APPROVALS,
    expiryDays: row?.expiry_days ?? DEFAULT_EXPIRY_DAYS,
    auditRetentionDays: row?.audit_retention_days ?? null,
  };
}

/** The lane a kind takes in an environment. Live never ranks below test, whatever the policy says. */
export function laneFor(policy: Policy, kind: string, environment: Environment): Lane {
  const fixed = fixedLanes[kind];
  if (fixed) return fixed;
  const lanes = policy.lanes[kind] ??
    (isBuiltIn(kind) ? undefined : policy.lanes['custom.*']) ?? { test: 'red', live: 'red' };
  if (environment === 'test') return lanes.test;
  return rank[lanes.live] >= rank[lanes.test] ? lanes.live : lanes.test;
}

export function requiredApprovals(policy: Policy, lane: Lane): number {
  return lane === 'green' ? 0 : lane === 'yellow' ? 1 : policy.redApprovals;
}

/** Lanes for known kinds only, fixed lanes left as they are, and never a live lane below the test lane. */
export function validateLanes(lanes: Policy['lanes']): Result<Policy['lanes']> {
  for (const [kind, lane] of Object.entries(lanes)) {
    if (!isBuiltIn(kind) && kind !== 'custom.*' && !/^custom\.[a-z][a-z0-9_.-]{0,62}$/.test(kind)) {
      return fail('bad-request', `Unknown request kind: ${kind}.`);
    }
    const fixed = fixedLanes[kind];
    if (fixed && (lane.test !== fixed || lane.live !== fixed)) {
      return fail('bad-request', `${kind} is always ${fixed} in both environments.`);
    }
    if (rank[lane.live] < rank[lane.test]) {
      return fail('bad-request', `The live lane of ${kind} may not rank below its test lane.`);
    }
  }
  return ok(lanes);
}

/** Kinds whose change reaches both environments at once (a role is the organization's): they take live's lane. */
const organizationWide: ReadonlySet<string> = new Set(['member.role_change', 'policy.update']);

/** The lane of a change raised in `environment`: an organization-wide change always takes the live lane. */
export function laneOfChange(policy: Policy, kind: string, environment: Environment): Lane {
  return laneFor(policy, kind, organizationWide.has(kind) ? 'live' : environment);
}

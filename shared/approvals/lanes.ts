import type { Policy } from '../api/approvals';
import type { Environment } from '../domain/environments';
import { fail, ok, type Result } from '../result';
import { isBuiltIn, type Lane } from './kinds';

/**
 * Which lane a request takes and how many approvals it needs, from the organization's policy. Pure, so the
 * platform (which decides) and the console (which tells the person before they submit) compute the same.
 */

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
  // Lifecycle: a person in or out, paused or back, each seen by a second person. Invitations and
  // elevations to owner or admin are red whatever these say (privilegedGrant).
  'member.invite': { test: 'yellow', live: 'yellow' },
  'member.remove': { test: 'yellow', live: 'yellow' },
  'member.suspend': { test: 'yellow', live: 'yellow' },
  'member.resume': { test: 'yellow', live: 'yellow' },
  'member.elevate': { test: 'yellow', live: 'yellow' },
  // A key acts as its owner: handing one over gives a working credential to another person.
  'api_key.transfer': { test: 'red', live: 'red' },
  'device_key.revoke': { test: 'yellow', live: 'yellow' },
  'custom.*': { test: 'yellow', live: 'yellow' },
};

/** Kinds whose lane no policy can change: the policy itself is changed only under the two-person rule. */
export const fixedLanes: Readonly<Record<string, Lane>> = { 'policy.update': 'red' };

export const DEFAULT_RED_APPROVALS = 2;
export const DEFAULT_EXPIRY_DAYS = 7;

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

/**
 * Kinds whose change reaches both environments at once (a role, a membership, a person's device key are
 * the organization's or the person's): they take live's lane.
 */
const organizationWide: ReadonlySet<string> = new Set([
  'member.role_change',
  'policy.update',
  'member.invite',
  'member.remove',
  'member.suspend',
  'member.resume',
  'member.elevate',
  'device_key.revoke',
]);

/** Roles that can change the policy and manage members and keys. */
const privilegedRoles: ReadonlySet<string> = new Set(['owner', 'admin']);

/**
 * A grant of a privileged role to a person who does not hold it yet (an invitation, an elevation): red
 * whatever the policy says, like a policy change, since such a person could then change the policy.
 */
export function privilegedGrant(kind: string, payload: unknown): boolean {
  if (kind !== 'member.invite' && kind !== 'member.elevate') return false;
  const role = (payload as { role?: unknown } | null)?.role;
  return typeof role === 'string' && privilegedRoles.has(role);
}

/**
 * The lane of a change raised in `environment`: an organization-wide change always takes the live lane,
 * and a privileged grant (given its payload) the red one.
 */
export function laneOfChange(
  policy: Policy,
  kind: string,
  environment: Environment,
  payload?: unknown,
): Lane {
  if (payload !== undefined && privilegedGrant(kind, payload)) return 'red';
  return laneFor(policy, kind, organizationWide.has(kind) ? 'live' : environment);
}

/**
 * What a request of `kind` raised in `environment` will take: its lane and the approvals it needs, as the
 * platform will decide it when the request is created under this policy.
 */
export function lanePreview(
  policy: Policy,
  kind: string,
  environment: Environment,
  payload?: unknown,
): { lane: Lane; requiredApprovals: number } {
  const lane = laneOfChange(policy, kind, environment, payload);
  return { lane, requiredApprovals: requiredApprovals(policy, lane) };
}

import type { Grants } from '../../shared/api/lifecycle';
import type { Permission } from '../../shared/domain/permissions';
import type { PlatformContext } from '../context';
import type { ApiKeyRow } from '../db/api-keys';
import type { DeviceKeyRow } from '../db/device-keys';
import type { MemberRow } from '../db/memberships';
import { orgOf, type TenantScope } from '../db/scope';
import { unusedFor90Days } from '../organizations/membership-service';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export type PersonStatus = Grants['members'][number]['status'];

/** A key's status as the API keys routes tell it (active, in its grace, expired, revoked). */
export function keyStatus(row: ApiKeyRow, now: number): Grants['apiKeys'][number]['status'] {
  if (row.revoked_at !== null) return 'revoked';
  if (row.expires_at !== null && row.expires_at <= now) return 'expired';
  if (row.grace_until !== null) return row.grace_until > now ? 'grace' : 'expired';
  return 'active';
}

/** What a tenant grants now, the raw rows: what the grants route shows and a review campaign snapshots. */
export interface GrantRows {
  readonly now: number;
  readonly members: readonly (MemberRow & { effectiveRole: MemberRow['role'] })[];
  /** Working keys only (active or in their grace). */
  readonly apiKeys: readonly ApiKeyRow[];
  /** Unrevoked device keys of the organization's members. */
  readonly deviceKeys: readonly DeviceKeyRow[];
  statusOf(userId: string): PersonStatus;
}

export async function grantRows(ctx: PlatformContext, tenant: TenantScope): Promise<GrantRows> {
  const { stores, clock } = ctx;
  const now = clock.now();
  const org = orgOf(tenant);
  const elevated = new Map((await stores.elevations.list(org, now)).map((e) => [e.user_id, e.role]));
  const members = (await stores.memberships.list(org)).map((m) => ({
    ...m,
    effectiveRole: elevated.get(m.user_id) ?? m.role,
  }));
  const byId = new Map(members.map((m) => [m.user_id, m]));
  const statusOf = (userId: string): PersonStatus => {
    const member = byId.get(userId);
    if (!member) return 'removed';
    return member.suspended_at === null ? 'active' : 'suspended';
  };
  const apiKeys = (await stores.apiKeys.list(tenant)).filter((k) => {
    const status = keyStatus(k, now);
    return status === 'active' || status === 'grace';
  });
  const deviceKeys = await stores.deviceKeys.activeOf(members.map((m) => m.user_id));
  return { now, members, apiKeys, deviceKeys, statusOf };
}

/** The grants route: every grant of the tenant now, with its last use and the 90-day flag. */
export async function tenantGrants(ctx: PlatformContext, tenant: TenantScope): Promise<Grants> {
  const rows = await grantRows(ctx, tenant);
  const { now } = rows;
  return {
    asOf: new Date(now).toISOString(),
    members: rows.members.map((m) => ({
      userId: m.user_id,
      displayName: m.display_name,
      email: m.email,
      role: m.role,
      effectiveRole: m.effectiveRole,
      status: rows.statusOf(m.user_id),
      lastSignInAt: iso(m.last_sign_in_at),
      unused90Days: unusedFor90Days(m.last_sign_in_at, m.created_at, now),
    })),
    apiKeys: rows.apiKeys.map((k) => {
      const ownerId = k.owner_id ?? k.created_by;
      return {
        id: k.id,
        name: k.name,
        scopes: JSON.parse(k.scopes) as Permission[],
        status: keyStatus(k, now),
        ownerId,
        ownerStatus: rows.statusOf(ownerId),
        createdBy: k.created_by,
        lastUsedAt: iso(k.last_used_at),
        unused90Days: unusedFor90Days(k.last_used_at, k.created_at, now),
      };
    }),
    deviceKeys: rows.deviceKeys.map((d) => ({
      id: d.id,
      userId: d.user_id,
      name: d.name,
      createdAt: new Date(d.created_at).toISOString(),
      lastUsedAt: iso(d.last_used_at),
      unused90Days: unusedFor90Days(d.last_used_at, d.created_at, now),
    })),
  };
}

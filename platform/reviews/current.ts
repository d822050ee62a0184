import { environments } from '../../shared/domain/environments';
import type { PlatformContext } from '../context';
import type { ApiKeyRow } from '../db/api-keys';
import type { ReviewItemRow } from '../db/reviews';
import { type OrgScope, tenantScope } from '../db/scope';
import { keyStatus } from '../lifecycle/grants';
import type { GrantSnapshot } from './snapshot';

/**
 * The organization's grants as they are now, read once, to tell which items' grants changed since the
 * campaign's snapshot (a role changed, a member suspended or removed, a key revoked, re-scoped or handed
 * over, a device key revoked).
 */
export async function changeDetector(
  ctx: PlatformContext,
  org: OrgScope,
): Promise<(item: ReviewItemRow) => boolean> {
  const { stores, clock } = ctx;
  const now = clock.now();
  const members = new Map((await stores.memberships.list(org)).map((m) => [m.user_id, m]));
  const keys = new Map<string, ApiKeyRow>();
  for (const environment of environments) {
    for (const key of await stores.apiKeys.list(tenantScope(org, environment))) keys.set(key.id, key);
  }
  const devices = new Set((await stores.deviceKeys.activeOf([...members.keys()])).map((d) => d.id));
  return (item) => {
    const was = JSON.parse(item.snapshot) as GrantSnapshot;
    if (item.subject_type === 'member') {
      const member = members.get(item.subject_id);
      return !member || member.role !== was.role || (member.suspended_at !== null) !== was.suspended;
    }
    if (item.subject_type === 'device_key') return !devices.has(item.subject_id);
    const key = keys.get(item.subject_id);
    if (!key) return true;
    const status = keyStatus(key, now);
    return (
      (status !== 'active' && status !== 'grace') ||
      key.scopes !== JSON.stringify(was.scopes) ||
      (key.owner_id ?? key.created_by) !== was.ownerId
    );
  };
}

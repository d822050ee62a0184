import type { ApprovalRequest } from '../../shared/api/approvals';
import type { ProfileRef, TenantRef } from '../../shared/contract/contract';
import type { ContractClient } from '../contract/client';
import type { TenantScope } from './tenant-scoped';

/** What a link to another request shows: its title and where it stands, not its id. */
export interface LinkedRequest {
  readonly id: string;
  readonly title: string;
  readonly status: ApprovalRequest['status'];
}

/**
 * The requests `request` reverses and is reversed by, by id. Each is found by the queue's own search
 * (an exact id matches exactly one request), which is lighter than reading it with its timeline.
 */
export async function linkedRequests(
  client: ContractClient,
  where: TenantScope,
  request: Pick<ApprovalRequest, 'reverses' | 'reversedBy'>,
): Promise<Record<string, LinkedRequest>> {
  const ids = [request.reverses, request.reversedBy].filter((id): id is string => id !== null);
  const found = await Promise.all(
    ids.map((id) => client.call('approvals.list', { ...where, query: { q: id, status: 'all', limit: 1 } })),
  );
  const linked: Record<string, LinkedRequest> = {};
  for (const answer of found) {
    const row = answer.ok ? answer.value.requests[0] : undefined;
    if (row && ids.includes(row.id)) linked[row.id] = { id: row.id, title: row.title, status: row.status };
  }
  return linked;
}

/**
 * Whether an `approvals.changed` event speaks of the tenant a window shows. Any profile's write counts
 * (another window may be signed in as someone else), as long as it is the same platform's tenant.
 */
export function sameTenant(where: TenantScope, changed: { profile: ProfileRef; tenant: TenantRef }): boolean {
  return (
    where.profile.platformOrigin === changed.profile.platformOrigin &&
    where.tenant.organization === changed.tenant.organization &&
    where.tenant.environment === changed.tenant.environment
  );
}

import type { Permission } from '../../shared/domain/permissions';
import { roleAllows } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import type { TenantScope } from '../db/scope';
import { keyStatus } from './grants';

/**
 * Hands a working key over to another member (api_key.transfer): from then on it acts as them, with no
 * more than their role allows. Chosen over revoke-and-reissue because the integration holding the key
 * keeps working through an offboarding; since the key then carries another person's authority, the
 * kind is red by default. The new owner must be an active member whose role allows every scope of the
 * key: a hand-over never silently narrows what an integration relies on.
 */
export async function transferApiKey(
  ctx: PlatformContext,
  tenant: TenantScope,
  keyId: string,
  toUserId: string,
  context: AuditContext,
): Promise<Result<string>> {
  const { stores, clock, auditLog } = ctx;
  const now = clock.now();
  const key = await stores.apiKeys.get(tenant, keyId);
  if (!key) return fail('not-found', 'API key not found.');
  const status = keyStatus(key, now);
  if (status !== 'active' && status !== 'grace')
    return fail('conflict', `Only a working key can be handed over; this one is ${status}.`);
  const from = key.owner_id ?? key.created_by;
  if (from === toUserId) return fail('conflict', 'The key already acts as this person.');
  const standing = await stores.memberships.standing(tenant.organizationId, toUserId, now);
  if (!standing || standing.suspendedAt !== null)
    return fail('forbidden', 'A key can be handed over only to an active member.');
  const beyond = (JSON.parse(key.scopes) as Permission[]).filter((s) => !roleAllows(standing.baseRole, s));
  if (beyond.length > 0)
    return fail('forbidden', `The new owner's role does not allow: ${beyond.join(', ')}.`);
  if (!(await stores.apiKeys.transfer(tenant, keyId, toUserId)))
    return fail('conflict', 'The key changed meanwhile; try again.');
  await auditLog.append(tenant, context, {
    action: 'api_key.transfer',
    resource: { type: 'api_key', id: keyId },
    change: { before: { owner: from }, after: { owner: toUserId } },
  });
  return ok(`${keyId} now acts as ${toUserId}`);
}

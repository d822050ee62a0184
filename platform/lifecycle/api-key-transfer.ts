import type { Permission } from '../../shared/domain/permissions';
import { roleAllows } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { sha256 } from '../crypto/hash';
import { newSecret } from '../crypto/random';
import type { TenantScope } from '../db/scope';
import { keyStatus } from './grants';

/**
 * Hands a working key over to another member (api_key.transfer): from then on it acts as them, with no
 * more than their role allows. The secret handed out before is someone else's (often a departed person's),
 * so it stops working at once, with no grace: the key works again once its new owner rotates it
 * (api_key.rotate, which only they may do) and collects the successor's secret, which only they can read.
 * The new owner must be an active member whose role allows every scope of the key (a hand-over never
 * silently narrows what an integration relies on), and may not be one of its approvers: a person does
 * not approve a credential for themselves. The kind is red by default.
 */
export async function transferApiKey(
  ctx: PlatformContext,
  tenant: TenantScope,
  keyId: string,
  toUserId: string,
  context: AuditContext,
  request: { id: string },
): Promise<Result<string>> {
  const { stores, clock, auditLog } = ctx;
  const now = clock.now();
  const key = await stores.apiKeys.get(tenant, keyId);
  if (!key) return fail('not-found', 'API key not found.');
  const status = keyStatus(key, now);
  if (status !== 'active')
    return fail('conflict', `Only an active key can be handed over; this one is ${status}.`);
  const approvers = (await stores.approvals.decisions(tenant, request.id))
    .filter((d) => d.decision === 'approve')
    .map((d) => d.approver_id);
  if (approvers.includes(toUserId))
    return fail('forbidden', 'The new owner of a key may not approve its hand-over.');
  const from = key.owner_id ?? key.created_by;
  if (from === toUserId) return fail('conflict', 'The key already acts as this person.');
  const standing = await stores.memberships.standing(tenant.organizationId, toUserId, now);
  if (!standing || standing.suspendedAt !== null)
    return fail('forbidden', 'A key can be handed over only to an active member.');
  const beyond = (JSON.parse(key.scopes) as Permission[]).filter((s) => !roleAllows(standing.baseRole, s));
  if (beyond.length > 0)
    return fail('forbidden', `The new owner's role does not allow: ${beyond.join(', ')}.`);
  // The digest of a secret that is thrown away at once: no presented secret matches it.
  const locked = sha256(newSecret());
  if (!(await stores.apiKeys.transfer(tenant, keyId, toUserId, locked, now)))
    return fail('conflict', 'The key changed meanwhile; try again.');
  await auditLog.append(tenant, context, {
    action: 'api_key.transfer',
    resource: { type: 'api_key', id: keyId },
    change: {
      before: { owner: from },
      // The key works again only once its new owner rotates it (api_key.rotate).
      after: { owner: toUserId, oldSecretInvalidated: true },
    },
  });
  return ok(`${keyId} now belongs to ${toUserId}; its old secret no longer works until they rotate it`);
}

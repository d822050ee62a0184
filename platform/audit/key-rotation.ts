import { KEY_ANNOUNCEMENT_ACTION } from '../../shared/audit/format';
import { environments } from '../../shared/domain/environments';
import type { PlatformContext } from '../context';
import { orgScope, tenantScope } from '../db/scope';
import { systemContext } from './audit-context';

/**
 * Rotates the checkpoint-signing key. The successor is announced in every tenant's log and a checkpoint
 * covering the announcement is signed under the old key; only then does the new key start signing, so
 * a verifier holding the old key can follow the change.
 */
export async function rotateAuditSigningKey(
  ctx: PlatformContext,
): Promise<{ previous: string; current: string }> {
  const previous = ctx.auditKeys.current.verifierKey;
  const successor = ctx.auditKeys.prepareSuccessor();
  await ctx.stores.db.transaction(async () => {
    for (const org of await ctx.stores.organizations.listAll()) {
      for (const environment of environments) {
        const tenant = tenantScope(orgScope(org.id, org.slug), environment);
        await ctx.auditLog.append(tenant, systemContext, {
          action: KEY_ANNOUNCEMENT_ACTION,
          resource: { type: 'audit_signing_key', id: successor.verifierKey.split('+')[0] ?? '' },
          change: { before: { verifierKey: previous }, after: { verifierKey: successor.verifierKey } },
        });
        await ctx.stores.db.inTenant(tenant, () => ctx.auditLog.publish(tenant));
      }
    }
  });
  successor.activate();
  return { previous, current: successor.verifierKey };
}

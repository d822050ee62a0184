import type { Directory } from '../../shared/api/directory';
import type { PlatformContext } from '../context';
import { orgOf, type TenantScope } from '../db/scope';

/**
 * Everyone a tenant's history names, so that old requests, decisions and comments show names: the
 * organization's members with their roles, and the people who acted here and have since left (their
 * names are kept; their role is gone). And the tenant's API keys, revoked ones too, with their owners.
 */
export async function tenantDirectory(ctx: PlatformContext, tenant: TenantScope): Promise<Directory> {
  const { stores } = ctx;
  const members = (await stores.memberships.list(orgOf(tenant))).map((m) => ({
    id: m.user_id,
    displayName: m.display_name,
    email: m.email,
    role: m.role,
    removed: false,
  }));
  const former = (await stores.directory.formerPeople(tenant)).map((p) => ({
    id: p.id,
    displayName: p.display_name,
    email: p.email,
    role: null,
    removed: true,
  }));
  return {
    people: [...members, ...former],
    apiKeys: (await stores.apiKeys.list(tenant)).map((k) => ({
      id: k.id,
      name: k.name,
      // Whom the key acts as: its creator unless handed over (api_key.transfer).
      ownerId: k.owner_id ?? k.created_by,
      environment: k.environment,
    })),
  };
}

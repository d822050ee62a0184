import type { Environment } from '../../shared/domain/environments';
import { type Permission, type RoleName, roleAllows } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import { type OrgScope, orgScope, type TenantScope, tenantScope } from '../db/scope';
import type { Stores } from '../db/stores';
import type { Principal } from './principal';

const noSuchOrganization = 'Organization not found.';

export interface OrgAccess {
  readonly scope: OrgScope;
  /** The caller's role when a person is asking; API keys have scopes, not roles. */
  readonly role: RoleName | undefined;
}

/**
 * Turns a principal and a requested organization (and environment) into a scope, or refuses. An
 * organization the caller does not belong to answers exactly like one that does not exist.
 */
export class AccessControl {
  constructor(private readonly stores: Stores) {}

  org(principal: Principal, slug: string, permission: Permission): Result<OrgAccess> {
    const org = this.stores.organizations.findBySlug(slug);
    if (!org) return fail('not-found', noSuchOrganization);
    const scope = orgScope(org.id, org.slug);
    if (principal.kind === 'api-key') {
      if (principal.organizationId !== org.id) return fail('not-found', noSuchOrganization);
      if (!principal.grantedScopes.includes(permission))
        return fail('forbidden', `This API key lacks the ${permission} scope.`);
      if (!principal.scopes.includes(permission))
        return fail('forbidden', `The person who created this API key may no longer use ${permission}.`);
      return ok({ scope, role: undefined });
    }
    const role = this.stores.memberships.roleOf(org.id, principal.userId);
    if (!role) return fail('not-found', noSuchOrganization);
    if (!roleAllows(role, permission)) return fail('forbidden', `Your role does not allow ${permission}.`);
    return ok({ scope, role });
  }

  tenant(
    principal: Principal,
    slug: string,
    environment: Environment,
    permission: Permission,
  ): Result<OrgAccess & { tenant: TenantScope }> {
    const access = this.org(principal, slug, permission);
    // A key in the wrong environment is told so before anything about its scopes.
    if (principal.kind === 'api-key' && principal.environment !== environment) {
      if (!access.ok && access.error.code === 'not-found') return access;
      return fail('wrong-environment', `This API key belongs to the ${principal.environment} environment.`);
    }
    if (!access.ok) return access;
    return ok({ ...access.value, tenant: tenantScope(access.value.scope, environment) });
  }
}

import type { Environment } from '../../shared/domain/environments';
import { type Permission, type RoleName, roleAllows } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { Clock } from '../clock';
import { type OrgScope, orgScope, type TenantScope, tenantScope } from '../db/scope';
import type { Stores } from '../db/stores';
import type { Principal } from './principal';

const noSuchOrganization = 'Organization not found.';

/** Said to a suspended member: they know the organization, so it is not hidden from them (403, not 404). */
export const suspendedMessage =
  'Your membership of this organization is suspended; an administrator of it can resume it.';

/** What a route needs: one permission, or any one of several (the directory is for anyone who reads). */
export type Requirement = Permission | { readonly anyOf: readonly Permission[] };

function needed(requirement: Requirement): { any: readonly Permission[]; label: string } {
  return typeof requirement === 'string'
    ? { any: [requirement], label: requirement }
    : { any: requirement.anyOf, label: `one of ${requirement.anyOf.join(', ')}` };
}

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
  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
  ) {}

  async org(principal: Principal, slug: string, requirement: Requirement): Promise<Result<OrgAccess>> {
    const { any, label } = needed(requirement);
    const org = await this.stores.organizations.findBySlug(slug);
    if (!org) return fail('not-found', noSuchOrganization);
    const scope = orgScope(org.id, org.slug);
    if (principal.kind === 'api-key') {
      if (principal.organizationId !== org.id) return fail('not-found', noSuchOrganization);
      if (!any.some((p) => principal.grantedScopes.includes(p)))
        return fail('forbidden', `This API key lacks the ${label} scope.`);
      if (!any.some((p) => principal.scopes.includes(p)))
        return fail('forbidden', `The person who created this API key may no longer use ${label}.`);
      return ok({ scope, role: undefined });
    }
    // The role in force now: an elevation's while it lasts (it lapses by itself at its end).
    const standing = await this.stores.memberships.standing(org.id, principal.userId, this.clock.now());
    if (!standing) return fail('not-found', noSuchOrganization);
    if (standing.suspendedAt !== null) return fail('forbidden', suspendedMessage);
    const role = standing.role;
    if (!any.some((p) => roleAllows(role, p))) return fail('forbidden', `Your role does not allow ${label}.`);
    return ok({ scope, role });
  }

  async tenant(
    principal: Principal,
    slug: string,
    environment: Environment,
    requirement: Requirement,
  ): Promise<Result<OrgAccess & { tenant: TenantScope }>> {
    const access = await this.org(principal, slug, requirement);
    // A key in the wrong environment is told so before anything about its scopes.
    if (principal.kind === 'api-key' && principal.environment !== environment) {
      if (!access.ok && access.error.code === 'not-found') return access;
      return fail('wrong-environment', `This API key belongs to the ${principal.environment} environment.`);
    }
    if (!access.ok) return access;
    return ok({ ...access.value, tenant: tenantScope(access.value.scope, environment) });
  }
}

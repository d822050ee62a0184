import type { Environment } from '../../shared/domain/environments';

declare const scoped: unique symbol;

/**
 * Proof that the caller was authorized for an organization. Stores that own organization rows take one of
 * these instead of a bare id, so a query cannot be written without deciding whose data it reads.
 */
export interface OrgScope {
  readonly organizationId: string;
  readonly organizationSlug: string;
  readonly [scoped]: 'org';
}

/** Proof that the caller was authorized for one environment of an organization. */
export interface TenantScope {
  readonly organizationId: string;
  readonly organizationSlug: string;
  readonly environment: Environment;
  readonly [scoped]: 'tenant';
}

/** Only the access layer (and the seeding CLI) mint scopes, after checking who is asking. */
export function orgScope(organizationId: string, organizationSlug: string): OrgScope {
  return { organizationId, organizationSlug } as OrgScope;
}

export function tenantScope(org: OrgScope, environment: Environment): TenantScope {
  return {
    organizationId: org.organizationId,
    organizationSlug: org.organizationSlug,
    environment,
  } as TenantScope;
}

/** The WHERE clause every statement on environment-owned rows carries, bound by `tenantParams`. */
export const TENANT_WHERE = 'organization_id = @organization_id AND environment = @environment';

export function tenantParams(scope: TenantScope): { organization_id: string; environment: Environment } {
  return { organization_id: scope.organizationId, environment: scope.environment };
}

/** The organization a tenant belongs to: authority over an environment implies it over its organization. */
export function orgOf(tenant: TenantScope): OrgScope {
  return orgScope(tenant.organizationId, tenant.organizationSlug);
}

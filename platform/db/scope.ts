import { type RawBuilder, type SqlBool, sql } from 'kysely';
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

/** The organization a tenant belongs to: authority over an environment implies it over its organization. */
export function orgOf(tenant: TenantScope): OrgScope {
  return orgScope(tenant.organizationId, tenant.organizationSlug);
}

export function isTenantScope(scope: TenantScope | OrgScope): scope is TenantScope {
  return 'environment' in scope;
}

/** The values a tenant's new rows carry. */
export function tenantColumns(scope: TenantScope): { organization_id: string; environment: Environment } {
  return { organization_id: scope.organizationId, environment: scope.environment };
}

/**
 * Test only: with `CC_TEST_TENANT_FILTERS=off` in the environment every tenant and organization filter below
 * is TRUE, so that a test (the isolation sweep's second run) shows that PostgreSQL's row-level security
 * alone keeps tenants apart. Read once, when this module loads, so nothing can flip it later; the platform's
 * CLI refuses to start while it is set, and a Database refuses an engine without row-level security.
 */
export const TENANT_FILTERS_OFF_VARIABLE = 'CC_TEST_TENANT_FILTERS';
export const storeTenantFiltersOff = process.env[TENANT_FILTERS_OFF_VARIABLE] === 'off';

/**
 * The tenant filter: every statement on tenant rows carries this condition, built here and nowhere else,
 * so there is one place that decides how stores keep tenants apart (and one place a test can turn the
 * stores' own filters off to show that the database's row-level security alone isolates them).
 * `table` qualifies the columns when the statement names several tables.
 */
export function tenantFilter(scope: TenantScope, table?: string): RawBuilder<SqlBool> {
  if (storeTenantFiltersOff) return sql<SqlBool>`TRUE`;
  return sql<SqlBool>`${column(table, 'organization_id')} = ${scope.organizationId} AND ${column(table, 'environment')} = ${scope.environment}`;
}

/** The organization filter, for rows an organization owns across its environments. */
export function orgFilter(scope: OrgScope | TenantScope, table?: string): RawBuilder<SqlBool> {
  if (storeTenantFiltersOff) return sql<SqlBool>`TRUE`;
  return sql<SqlBool>`${column(table, 'organization_id')} = ${scope.organizationId}`;
}

function column(table: string | undefined, name: string) {
  return sql.ref(table ? `${table}.${name}` : name);
}

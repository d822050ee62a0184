import { type AliasedRawBuilder, PostgresDialect, type PostgresPool, sql } from 'kysely';
import type { Migration } from '../migrations/migration';
import { isTenantScope, orgFilter, type TenantScope, tenantFilter } from '../scope';
import type { ApprovalRequestsTable } from '../tables';
import type { Engine, TenantSetting } from './engine';

/**
 * PostgreSQL: a first cut for part 2 of issue 14, written against Kysely's PostgresPool interface so that
 * `new pg.Pool(...)` plugs in. Not yet run by any test here; what part 2 still has to do is listed in the
 * README's scaling section (the pg driver and its int8 parsing, the roles, row-level security policies
 * over the `app.*` settings below, the test matrix).
 *
 * - Transactions are READ COMMITTED; what must not interleave is locked explicitly: one audit log's
 *   appends by a transaction-scoped advisory lock, one request's decisions by its row (FOR UPDATE), one
 *   membership's role, elevation and suspension by its row (FOR UPDATE).
 * - `setTenant` sets `app.organization_id`, `app.environment` and `app.platform` with SET LOCAL semantics
 *   (set_config(..., true)), which the row-level security policies read.
 */
export function postgresEngine(pool: PostgresPool): Engine {
  return {
    name: 'postgres',
    dialect: new PostgresDialect({ pool }),
    rowLevelSecurity: true,
    begin: 'BEGIN',
    migrationScript: (migration: Migration) => migration.postgres,
    // A query without parameters goes over the simple protocol, which runs several statements.
    runScript: async (db, script) => {
      await sql.raw(script).execute(db);
    },
    lockMigrations: async (db) => {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended('compliance-console/migrations', 0))`.execute(
        db,
      );
    },
    legacyVersion: async () => 0,
    recordVersion: async () => {},
    setTenant: async (db, setting) => {
      const { organization, environment } = settingValues(setting);
      await sql`SELECT set_config('app.organization_id', ${organization}, true),
        set_config('app.environment', ${environment}, true),
        set_config('app.platform', ${setting === 'platform' ? 'on' : 'off'}, true)`.execute(db);
    },
    lockAuditLog: async (db, scope) => {
      const key = `audit/${scope.organizationId}/${scope.environment}`;
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(db);
    },
    lockRequest: async (db, scope, requestId) => {
      await db
        .selectFrom('approval_requests')
        .select('id')
        .where(tenantFilter(scope))
        .where('id', '=', requestId)
        .forUpdate()
        .execute();
    },
    lockMembership: async (db, scope, userId) => {
      await db
        .selectFrom('memberships')
        .select('user_id')
        .where(orgFilter(scope))
        .where('user_id', '=', userId)
        .forUpdate()
        .execute();
    },
    searchedApprovals: (scope, words) => searchedApprovals(scope, words),
  };
}

function settingValues(setting: TenantSetting): { organization: string; environment: string } {
  if (setting === null || setting === 'platform') return { organization: '', environment: '' };
  return {
    organization: setting.organizationId,
    environment: isTenantScope(setting) ? setting.environment : '',
  };
}

/** The tenant's newest 5,000 requests matching every word (the last as a prefix), by the tsvector column. */
function searchedApprovals(
  scope: TenantScope,
  words: readonly string[],
): AliasedRawBuilder<ApprovalRequestsTable, 'r'> {
  // Words are letters and digits only (the store splits them so), so they are safe as tsquery lexemes.
  const query = words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
  return sql<ApprovalRequestsTable>`(SELECT * FROM approval_requests WHERE ${tenantFilter(scope)}
    AND search @@ to_tsquery('simple', ${query}) ORDER BY created_at DESC, id DESC LIMIT 5000)`.as('r');
}

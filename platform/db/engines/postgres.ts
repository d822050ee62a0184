import { type AliasedRawBuilder, type Kysely, PostgresDialect, type PostgresPool, sql } from 'kysely';
import type { Migration } from '../migrations/migration';
import { isTenantScope, orgFilter, type TenantScope, tenantFilter } from '../scope';
import type { ApprovalRequestsTable, Tables } from '../tables';
import type { Engine, TenantSetting } from './engine';

/**
 * PostgreSQL through pg's Pool (see postgres-pool.ts), one per process.
 *
 * - Transactions are READ COMMITTED; what must not interleave is locked explicitly: one audit log's
 *   appends by a transaction-scoped advisory lock, one request's decisions by its row (FOR UPDATE), one
 *   membership's role, elevation and suspension by its row (FOR UPDATE), named read-then-write sequences
 *   (a throttle's counter, an organization's owners) by advisory locks too.
 * - Row-level security: every transaction tells the database whose rows it may touch by setting
 *   `app.organization_id`, `app.environment` and `app.platform` with SET LOCAL semantics (set_config(...,
 *   true)), which the policies of migration 0016 read; they end with the transaction, so a pooled
 *   connection never carries one request's tenant into the next.
 */
export function postgresEngine(pool: PostgresPool): Engine {
  return {
    name: 'postgres',
    dialect: new PostgresDialect({ pool }),
    rowLevelSecurity: true,
    rowLocks: true,
    dataModifyingCtes: true,
    begin: async (db, setting, auditLog) => {
      const values = settingValues(setting);
      const log = auditLog && auditLogKey(auditLog);
      const words = [...Object.values(values), auditLog?.organizationId ?? '', auditLog?.environment ?? ''];
      if (words.every(isPlainWord)) {
        // One round trip: a query without parameters goes over the simple protocol, which runs several
        // statements. Only plain words are written into the text (ids, environments); anything else is bound.
        // The lock comes last: the statements after it see everything committed before it was granted.
        const lock = log ? `; SELECT pg_advisory_xact_lock(hashtextextended(${literal(log)}, 0))` : '';
        await sql.raw(`BEGIN; ${setConfig(values, literal)}${lock}`).execute(db);
        return;
      }
      await sql`BEGIN`.execute(db);
      await setTenant(db, setting);
      if (log) await lockAuditLog(db, log);
    },
    migrationScript: (migration: Migration) => migration.postgres,
    runScript: async (db, script) => {
      // A step runs as the owner, which FORCE ROW LEVEL SECURITY holds to the policies too: a backfill
      // (UPDATE … across every tenant) would see no rows and change nothing. So FORCE is lifted for the
      // step and put back before it commits; the ALTERs lock each table until then, so no other session
      // ever sees the gap. Tables the step itself forces stay forced.
      const forced = await sql<{ name: string }>`SELECT relname AS name FROM pg_class
        WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relforcerowsecurity`.execute(
        db,
      );
      for (const { name } of forced.rows) {
        await sql`ALTER TABLE ${sql.table(name)} NO FORCE ROW LEVEL SECURITY`.execute(db);
      }
      await sql.raw(script).execute(db);
      for (const { name } of forced.rows) {
        await sql`ALTER TABLE ${sql.table(name)} FORCE ROW LEVEL SECURITY`.execute(db);
      }
    },
    lockMigrations: async (db) => {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended('compliance-console/migrations', 0))`.execute(
        db,
      );
    },
    legacyVersion: async () => 0,
    recordVersion: async () => {},
    setTenant,
    lock: async (db, name, mode) => {
      if (mode === 'shared') {
        await sql`SELECT pg_advisory_xact_lock_shared(hashtextextended(${name}, 0))`.execute(db);
      } else {
        await sql`SELECT pg_advisory_xact_lock(hashtextextended(${name}, 0))`.execute(db);
      }
    },
    lockAuditLog: (db, scope) => lockAuditLog(db, auditLogKey(scope)),
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

interface SettingValues {
  organization: string;
  environment: string;
  platform: 'on' | 'off';
}

function settingValues(setting: TenantSetting): SettingValues {
  const platform = setting === 'platform' ? 'on' : 'off';
  if (setting === null || setting === 'platform') return { organization: '', environment: '', platform };
  return {
    organization: setting.organizationId,
    environment: isTenantScope(setting) ? setting.environment : '',
    platform,
  };
}

async function setTenant(db: Kysely<Tables>, setting: TenantSetting): Promise<void> {
  const values = settingValues(setting);
  await sql`SELECT set_config('app.organization_id', ${values.organization}, true),
    set_config('app.environment', ${values.environment}, true),
    set_config('app.platform', ${values.platform}, true)`.execute(db);
}

/** The advisory lock that serializes appends to one tenant's audit log, by name. */
function auditLogKey(scope: TenantScope): string {
  return `audit/${scope.organizationId}/${scope.environment}`;
}

async function lockAuditLog(db: Kysely<Tables>, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(db);
}

function isPlainWord(value: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(value);
}

function literal(value: string): string {
  return `'${value}'`;
}

function setConfig(values: SettingValues, quote: (value: string) => string): string {
  return `SELECT set_config('app.organization_id', ${quote(values.organization)}, true),
    set_config('app.environment', ${quote(values.environment)}, true),
    set_config('app.platform', ${quote(values.platform)}, true)`;
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

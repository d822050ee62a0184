import type BetterSqlite3 from 'better-sqlite3';
import { type AliasedRawBuilder, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import type { Migration } from '../migrations/migration';
import type { TenantScope } from '../scope';
import type { ApprovalRequestsTable } from '../tables';
import type { Engine } from './engine';

/** Prepared statements kept per SQL text: the stores' statements are few and run again and again. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 behind Kysely's SqliteDialect, which prepares every statement it runs; this keeps the
 * prepared ones instead (preparing costs more than running a small indexed query).
 */
function cachingDatabase(db: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => db.close(),
    prepare(text) {
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statement = db.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/** The tenant's one token in the search index, as the `approval_search` trigger writes it. */
function searchTenantToken(scope: TenantScope): string {
  return `${scope.organizationId.replaceAll('_', '')}${scope.environment}`;
}

/**
 * SQLite: one connection, so one transaction at a time in this process (Kysely queues the rest), and
 * BEGIN IMMEDIATE against other processes; no row-level security (the stores' tenant filters are the
 * isolation); FTS5 for search. The file's pragmas are set by the caller that opened it.
 */
export function sqliteEngine(db: BetterSqlite3.Database): Engine {
  return {
    name: 'sqlite',
    dialect: new SqliteDialect({ database: cachingDatabase(db) }),
    rowLevelSecurity: false,
    rowLocks: false,
    dataModifyingCtes: false,
    begin: async (kysely) => {
      await sql`BEGIN IMMEDIATE`.execute(kysely);
    },
    migrationScript: (migration: Migration) => migration.sqlite,
    // better-sqlite3 prepares one statement at a time; a script goes to exec, on the same (only) connection.
    runScript: async (_db, script) => {
      db.exec(script);
    },
    // BEGIN IMMEDIATE already keeps a second process out until this one commits.
    lockMigrations: async () => {},
    legacyVersion: async (kysely) => {
      const { rows } = await sql<{ user_version: number }>`PRAGMA user_version`.execute(kysely);
      return rows[0]?.user_version ?? 0;
    },
    recordVersion: async (kysely, applied) => {
      await sql.raw(`PRAGMA user_version = ${Math.trunc(applied)}`).execute(kysely);
    },
    setTenant: async () => {},
    // One connection runs one transaction at a time, and BEGIN IMMEDIATE keeps other processes' write
    // transactions out until this one ends: appends, decisions and named sequences are already serialized.
    lock: async () => {},
    lockAuditLog: async () => {},
    lockRequest: async () => {},
    lockMembership: async () => {},
    searchedApprovals: (scope, words) => searchedApprovals(scope, words),
  };
}

/**
 * The index matches this tenant's token first, so only its own rows are candidates; the newest 5,000 of
 * them drive the query (a search box, not a report), joined back to their requests by rowid. CROSS JOIN
 * keeps SQLite from starting at the requests instead. The stores' tenant filter still applies outside.
 */
function searchedApprovals(
  scope: TenantScope,
  words: readonly string[],
): AliasedRawBuilder<ApprovalRequestsTable, 'r'> {
  // Each word quoted: what people type, never FTS5 syntax. Whole words match exactly, which FTS5 can skip
  // through; only the word being typed is a prefix.
  const phrase = words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ');
  const match = `tenant : "${searchTenantToken(scope)}" AND {title summary} : (${phrase})`;
  return sql<ApprovalRequestsTable>`(SELECT r.* FROM (SELECT rowid AS hit FROM approval_search
    WHERE approval_search MATCH ${match} ORDER BY rowid DESC LIMIT 5000) AS s
    CROSS JOIN approval_requests r ON r.rowid = s.hit)`.as('r');
}

import type { AliasedRawBuilder, Dialect, Kysely } from 'kysely';
import type { Migration } from '../migrations/migration';
import type { OrgScope, TenantScope } from '../scope';
import type { ApprovalRequestsTable, Tables } from '../tables';

/**
 * Whose rows a transaction may touch, as the database is told it for row-level security: one tenant, one
 * organization (rows it owns across environments), `platform` for maintenance that reads across tenants
 * (each row naming its own), or null for rows that belong to no tenant (people, sessions, throttles).
 */
export type TenantSetting = TenantScope | OrgScope | 'platform' | null;

/**
 * What a statement's text starts with when it runs often and its text never changes (it takes its rows as
 * parameters): an engine that can keeps it parsed and planned per connection (PostgreSQL: a named prepared
 * statement); to any other it is a comment.
 */
export const PREPARED_MARK = '/* prepared */';

/**
 * What differs between SQLite and PostgreSQL and nothing else; every statement the stores run is built once
 * with Kysely on top of this. One module per engine implements it.
 */
export interface Engine {
  readonly name: 'sqlite' | 'postgres';
  readonly dialect: Dialect;
  /**
   * Whether the database enforces tenancy itself (PostgreSQL's row-level security), so that every statement
   * on tenant rows must run in a transaction that has told it the tenant (`setTenant`).
   */
  readonly rowLevelSecurity: boolean;
  /**
   * Whether statements can lock rows (FOR UPDATE, SKIP LOCKED). SQLite runs one write transaction at a time,
   * so it has nothing to lock and no such syntax; the stores add those clauses only where this holds.
   */
  readonly rowLocks: boolean;
  /** Whether one statement can write two tables (INSERT inside WITH): PostgreSQL yes, SQLite no. */
  readonly dataModifyingCtes: boolean;
  /**
   * Opens a transaction on `db` (one connection) and, with row-level security, tells it whose rows it may
   * touch. SQLite takes the write lock at once (BEGIN IMMEDIATE): a transaction that read first and wrote
   * later could otherwise fail against another process's write instead of waiting for it. With `auditLog`,
   * it also takes that log's lock (as `lockAuditLog`), in the same round trip where it can.
   */
  begin(db: Kysely<Tables>, setting: TenantSetting, auditLog?: TenantScope): Promise<void>;
  /** A migration step's own text for this engine. */
  migrationScript(migration: Migration): string;
  /** Runs a script of several statements inside the current transaction (`db` is bound to it). */
  runScript(db: Kysely<Tables>, script: string): Promise<void>;
  /** Keeps concurrent migration runs (several processes starting at once) from applying a step twice. */
  lockMigrations(db: Kysely<Tables>): Promise<void>;
  /** How many steps a database had applied before steps were named (SQLite's PRAGMA user_version). */
  legacyVersion(db: Kysely<Tables>): Promise<number>;
  /** Records how many steps are applied in the engine's own way too, for older builds reading it. */
  recordVersion(db: Kysely<Tables>, applied: number): Promise<void>;
  /** Tells the database whose rows the current transaction may touch (see TenantSetting). */
  setTenant(db: Kysely<Tables>, setting: TenantSetting): Promise<void>;
  /**
   * A named lock held until the transaction ends: exclusive, or shared with other shared holders. For
   * read-then-write sequences that no row can guard (a counter not yet inserted, a count over rows).
   */
  lock(db: Kysely<Tables>, name: string, mode: 'exclusive' | 'shared'): Promise<void>;
  /** Serializes appends to one tenant's audit log until the transaction ends. */
  lockAuditLog(db: Kysely<Tables>, scope: TenantScope): Promise<void>;
  /** Serializes decisions on one approval request until the transaction ends. */
  lockRequest(db: Kysely<Tables>, scope: TenantScope, requestId: string): Promise<void>;
  /** Serializes changes to one membership (role, elevation, suspension) until the transaction ends. */
  lockMembership(db: Kysely<Tables>, scope: OrgScope, userId: string): Promise<void>;
  /**
   * The tenant's approval requests whose title or summary matches every word (the last one as a prefix,
   * since it is still being typed), as the table `r`; the newest 5,000 matches at most.
   */
  searchedApprovals(
    scope: TenantScope,
    words: readonly string[],
  ): AliasedRawBuilder<ApprovalRequestsTable, 'r'>;
}

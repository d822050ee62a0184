import { AsyncLocalStorage } from 'node:async_hooks';
import { renameSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import type { Engine, TenantSetting } from './engines/engine';
import { sqliteEngine } from './engines/sqlite';
import { DatabaseError } from './errors';
import { migrate } from './migrate';
import { type OrgScope, storeTenantFiltersOff, TENANT_FILTERS_OFF_VARIABLE, type TenantScope } from './scope';
import type { Tables } from './tables';

/**
 * How many times a transaction runs in all when PostgreSQL aborts it as a deadlock victim. Transactions do
 * nothing outside the database until they commit (afterCommit), so running one again is safe.
 */
const MAX_ATTEMPTS = 3;

/** The transaction the current async call chain runs in. */
interface OpenTransaction {
  readonly db: Kysely<Tables>;
  /** Whose rows the database was last told this transaction may touch (engines with row-level security). */
  setting: TenantSetting;
  readonly afterCommit: (() => void)[];
  /** False once committed or rolled back: work started inside and still running later uses no transaction. */
  open: boolean;
}

/**
 * The platform's database on either engine. Stores build their statements with Kysely and run them through
 * `tenant` / `global` / `platform`, which pick the current transaction if there is one: the transaction is
 * carried by AsyncLocalStorage, so a store is never handed a connection and services never pass one along.
 *
 * Transactions nest by joining: an inner `transaction` or `inTenant` runs inside the outer one, which alone
 * commits. A transaction must not wait on anything but the database (password hashing, DNS, key unwrapping,
 * HTTP): on SQLite it holds the only connection, and every other request waits for it. Such work is done
 * before the transaction opens, as the services do.
 */
export class Database {
  readonly #root: Kysely<Tables>;
  readonly #current = new AsyncLocalStorage<OpenTransaction>();

  constructor(readonly engine: Engine) {
    if (storeTenantFiltersOff && !engine.rowLevelSecurity) {
      // Without the stores' filters, only row-level security keeps tenants apart, and this engine has none.
      throw new Error(`${TENANT_FILTERS_OFF_VARIABLE} is for tests on PostgreSQL only.`);
    }
    this.#root = new Kysely<Tables>({ dialect: engine.dialect });
  }

  /** A transaction for rows of no one tenant (people, sessions), or for work that names its tenants itself. */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.#active() ? fn() : this.#begin(null, fn);
  }

  /**
   * The tenant-scoped entry point: a transaction in which the database is told the tenant (PostgreSQL: SET
   * LOCAL for row-level security; SQLite: nothing to tell). Inside another transaction it joins it and tells
   * the database this tenant for the length of `fn`, then the one before.
   */
  inTenant<T>(scope: TenantScope | OrgScope, fn: () => Promise<T>): Promise<T> {
    const open = this.#active();
    return open ? this.#as(open, scope, fn) : this.#begin(scope, fn);
  }

  /**
   * `inTenant` with the tenant's audit log locked (see `lockAuditLog`) before `fn` runs: a new transaction
   * takes the lock in the round trip that opens it.
   */
  inAuditLog<T>(scope: TenantScope, fn: () => Promise<T>): Promise<T> {
    const open = this.#active();
    if (open) {
      return this.#as(open, scope, async () => {
        await this.lockAuditLog(scope);
        return fn();
      });
    }
    return this.#begin(scope, fn, scope);
  }

  /** Whether the current async call chain runs inside an open transaction (which a write would join). */
  inTransaction(): boolean {
    return this.#active() !== undefined;
  }

  /** Runs `fn` once the outermost transaction has committed (at once outside one); not if it rolls back. */
  afterCommit(fn: () => void): void {
    const open = this.#active();
    if (open) open.afterCommit.push(fn);
    else fn();
  }

  /**
   * Serializes appends to the tenant's audit log until the transaction ends: the next sequence number is
   * read and written in one transaction. SQLite runs one transaction at a time, so this is a no-op there;
   * PostgreSQL takes a transaction-scoped advisory lock per log.
   */
  async lockAuditLog(scope: TenantScope): Promise<void> {
    await this.engine.lockAuditLog(this.#required('lockAuditLog').db, scope);
  }

  /**
   * A named lock until the transaction ends, for a read-then-write that no row guards (a counter that may
   * not exist yet, a count over rows): a no-op on SQLite, which runs one write transaction at a time; a
   * transaction-scoped advisory lock on PostgreSQL.
   */
  async lock(name: string, mode: 'exclusive' | 'shared' = 'exclusive'): Promise<void> {
    await this.engine.lock(this.#required('lock').db, name, mode);
  }

  /** Serializes decisions on one request (a no-op on SQLite; on PostgreSQL its row, FOR UPDATE). */
  async lockRequest(scope: TenantScope, requestId: string): Promise<void> {
    await this.engine.lockRequest(this.#required('lockRequest').db, scope, requestId);
  }

  /**
   * Serializes changes to one membership until the transaction ends: an elevation granted alongside a role
   * change cannot commit after the change ended the elevations (a no-op on SQLite, whose one connection
   * runs one transaction at a time; on PostgreSQL the membership's row, FOR UPDATE).
   */
  async lockMembership(scope: OrgScope, userId: string): Promise<void> {
    await this.engine.lockMembership(this.#required('lockMembership').db, scope, userId);
  }

  /** For stores: statements on one tenant's (or one organization's) rows. */
  tenant<T>(scope: TenantScope | OrgScope, run: (db: Kysely<Tables>) => Promise<T>): Promise<T> {
    return this.#statement(scope, run);
  }

  /** For stores: statements on rows that belong to no tenant (people, sessions, throttles, organizations). */
  global<T>(run: (db: Kysely<Tables>) => Promise<T>): Promise<T> {
    return run(this.#active()?.db ?? this.#root);
  }

  /**
   * For stores: platform work that reads across tenants (deliveries due, evidence to seal, keys to re-wrap,
   * an API key before its tenant is known); each row names its own tenant.
   */
  platform<T>(run: (db: Kysely<Tables>) => Promise<T>): Promise<T> {
    return this.#statement('platform', run);
  }

  async close(): Promise<void> {
    await this.#root.destroy();
  }

  #active(): OpenTransaction | undefined {
    const open = this.#current.getStore();
    return open?.open ? open : undefined;
  }

  #required(what: string): OpenTransaction {
    const open = this.#active();
    if (!open) throw new Error(`${what} needs a transaction`);
    return open;
  }

  #statement<T>(setting: TenantSetting, run: (db: Kysely<Tables>) => Promise<T>): Promise<T> {
    const open = this.#active();
    if (!this.engine.rowLevelSecurity) return run(open?.db ?? this.#root);
    // The database must know whose rows these are: in the transaction under way, or in one of its own.
    if (open) return this.#as(open, setting, () => run(open.db));
    return this.#begin(setting, () => run(this.#required('a statement').db));
  }

  async #as<T>(open: OpenTransaction, setting: TenantSetting, fn: () => Promise<T>): Promise<T> {
    if (!this.engine.rowLevelSecurity || sameSetting(open.setting, setting)) return fn();
    const previous = open.setting;
    await this.engine.setTenant(open.db, setting);
    open.setting = setting;
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      // Told the one before again if the transaction is still usable; after a failed statement PostgreSQL
      // refuses everything until rollback, and the error that matters is the first.
      if (open.open) {
        await this.engine.setTenant(open.db, previous).then(
          () => {
            open.setting = previous;
          },
          () => {},
        );
      }
      throw error;
    }
    if (open.open) {
      await this.engine.setTenant(open.db, previous);
      open.setting = previous;
    }
    return value;
  }

  async #begin<T>(setting: TenantSetting, fn: () => Promise<T>, auditLog?: TenantScope): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(setting, fn, auditLog);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !(error instanceof DatabaseError && error.retryable)) throw error;
      }
    }
  }

  async #once<T>(setting: TenantSetting, fn: () => Promise<T>, auditLog?: TenantScope): Promise<T> {
    const { value, afterCommit } = await this.#root.connection().execute(async (db) => {
      const open: OpenTransaction = { db, setting: null, afterCommit: [], open: true };
      try {
        await this.engine.begin(db, this.engine.rowLevelSecurity ? setting : null, auditLog);
        if (this.engine.rowLevelSecurity) open.setting = setting;
        const value = await this.#current.run(open, fn);
        await sql`COMMIT`.execute(db);
        open.open = false;
        return { value, afterCommit: open.afterCommit };
      } catch (error) {
        open.open = false;
        // The engine may have ended the transaction itself (SQLite does on some errors): nothing to undo then.
        await sql`ROLLBACK`.execute(db).catch(() => {});
        throw error;
      }
    });
    for (const callback of afterCommit) callback();
    return value;
  }
}

function sameSetting(a: TenantSetting, b: TenantSetting): boolean {
  if (a === null || b === null || a === 'platform' || b === 'platform') return a === b;
  const envA = 'environment' in a ? a.environment : undefined;
  const envB = 'environment' in b ? b.environment : undefined;
  return a.organizationId === b.organizationId && envA === envB;
}

/**
 * Opens (creating if needed) the embedded platform database, a SQLite file, and brings its schema up to
 * date. WAL lets readers in other processes (the CLI) go on while the platform writes.
 */
export async function openSqliteDatabase(
  file: string,
  options: { migrate?: boolean } = {},
): Promise<Database> {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const database = new Database(sqliteEngine(sqlite));
  if (options.migrate === false) return database;
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/**
 * A consistent copy of a SQLite database file in `destination`, by SQLite's online backup API, while the
 * platform goes on serving. All pages go in one step, inside one read transaction: in WAL mode that is a
 * snapshot that writers do not wait for (copied in small steps, the backup would start over at every write
 * and never finish under a steady load). Written to a temporary name and renamed, so `destination` is
 * never a half-written copy.
 */
export async function backupSqliteDatabase(file: string, destination: string): Promise<{ pages: number }> {
  const source = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  const temporary = `${destination}.${process.pid}.partial`;
  try {
    const { totalPages } = await source.backup(temporary, { progress: () => 0x7fffffff });
    renameSync(temporary, destination);
    return { pages: totalPages };
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  } finally {
    source.close();
  }
}

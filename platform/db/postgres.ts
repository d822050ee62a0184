import { sql } from 'kysely';
import { Database } from './database';
import { postgresEngine } from './engines/postgres';
import { createPostgresPool, type PostgresConnection } from './engines/postgres-pool';
import { migrate } from './migrate';
import { migrations } from './migrations';

export type { PostgresConnection };

/** Tables the application role may read and add to, never change or remove from: written once. */
const writtenOnce = [
  'audit_entries',
  'audit_nodes',
  'audit_checkpoints',
  'approval_decisions',
  'approval_comments',
  'approval_evidence',
];

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/** A pool on a PostgreSQL database, as whichever role the URL names; nothing checked, nothing migrated. */
export function openPostgresDatabase(connection: PostgresConnection): Database {
  return new Database(postgresEngine(createPostgresPool(connection)));
}

/**
 * What the platform checks before it serves from PostgreSQL: that it is the application role the README
 * describes (it owns nothing and cannot bypass row-level security, so the policies bind it) and that the
 * schema is this build's newest (migrations run separately, as the owner). Returns what is wrong, in words
 * an operator can act on; empty when all is well.
 */
export async function applicationRoleProblems(database: Database): Promise<string[]> {
  const problems: string[] = [];
  const role = await database.global(async (db) => {
    const { rows } = await sql<{ name: string; superuser: boolean; bypassrls: boolean }>`
      SELECT rolname AS name, rolsuper AS superuser, rolbypassrls AS bypassrls
      FROM pg_roles WHERE rolname = current_user`.execute(db);
    return rows[0];
  });
  if (!role) return ['the role the platform connects as could not be read'];
  if (role.superuser) problems.push(`${role.name} is a superuser, which ignores row-level security`);
  if (role.bypassrls) problems.push(`${role.name} has BYPASSRLS, which ignores row-level security`);
  const owned = await database.global(async (db) => {
    // Owning a table, or being able to act as its owner, means being able to turn its policies off.
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'p')
        AND pg_has_role(current_user, c.relowner, 'MEMBER')`.execute(db);
    return rows[0]?.n ?? 0;
  });
  if (owned > 0)
    problems.push(`${role.name} owns (or may act as the owner of) ${owned} tables; use the application role`);
  const pending = await pendingMigrations(database);
  if (pending.length > 0)
    problems.push(`the schema lacks ${pending.join(', ')}: run migrate as the owner role first`);
  return problems;
}

/** Steps this build has that the database has not applied; a step this build does not know is an error. */
async function pendingMigrations(database: Database): Promise<string[]> {
  const applied = await database.platform(async (db) => {
    const exists = await sql<{
      t: string | null;
    }>`SELECT to_regclass('schema_migrations')::text AS t`.execute(db);
    if (!exists.rows[0]?.t) return [];
    const { rows } = await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(db);
    return rows.map((row) => row.name);
  });
  const unknown = applied.find((name) => !migrations.some((m) => m.name === name));
  if (unknown) throw new Error(`The database has schema step ${unknown}, from a newer build.`);
  return migrations.filter((m) => !applied.includes(m.name)).map((m) => m.name);
}

/**
 * `migrate` on PostgreSQL, run as the owner role: applies the steps, then gives the application role what
 * it needs and no more. Every table: SELECT, INSERT, UPDATE, DELETE (never TRUNCATE, never DDL, which only
 * an owner has); the written-once tables lose UPDATE and DELETE (their triggers refuse them too, but a
 * privilege the role lacks cannot be misused at all); evidence rows are never deleted; the migrations'
 * record is read-only. Granted again on every run, so tables a later step adds are covered.
 */
export async function migratePostgres(database: Database, applicationRole: string) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(applicationRole)) {
    throw new Error('The application role must be a plain lower-case PostgreSQL role name.');
  }
  const run = await migrate(database);
  const role = sql.id(applicationRole);
  await database.transaction(() =>
    database.global(async (db) => {
      const exists = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_roles
        WHERE rolname = ${applicationRole}`.execute(db);
      if ((exists.rows[0]?.n ?? 0) === 0)
        throw new Error(`There is no role ${applicationRole}: create it first (see the README).`);
      await sql`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`.execute(db);
      await sql`GRANT USAGE ON SCHEMA public TO ${role}`.execute(db);
      await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`.execute(db);
      const once = sql.join(writtenOnce.map((table) => sql.id(table)));
      await sql`REVOKE UPDATE, DELETE ON ${once} FROM ${role}`.execute(db);
      await sql`REVOKE DELETE ON evidence FROM ${role}`.execute(db);
      await sql`REVOKE UPDATE ON evidence_blobs FROM ${role}`.execute(db);
      await sql`REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ${role}`.execute(db);
    }),
  );
  return run;
}

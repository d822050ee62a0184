import { type Kysely, sql } from 'kysely';
import type { Database } from './database';
import { migrations as allMigrations } from './migrations';
import type { Migration } from './migrations/migration';
import type { Tables } from './tables';

/** Which steps a database has applied, by name. */
type MigrationTables = {
  schema_migrations: { name: string; applied_at: number };
};

export interface MigrationRun {
  /** Steps applied by this run, in order. */
  readonly applied: readonly string[];
  /** Steps the database has now. */
  readonly total: number;
}

/**
 * Brings a database up to the newest step (or to `upTo` steps, for tests that need an older schema). Each
 * step runs in its own transaction with the record that it ran, so a crash leaves every step either wholly
 * applied or not at all, and the next run goes on from there. A database from before steps had names
 * (SQLite's `user_version` N) is recorded as having the first N. A database that has a step this build does
 * not know was migrated by a newer build, and is refused rather than half understood.
 */
export async function migrate(
  database: Database,
  options: { upTo?: number; steps?: readonly Migration[] } = {},
): Promise<MigrationRun> {
  const steps = (options.steps ?? allMigrations).slice(0, options.upTo);
  const { engine } = database;
  await step(database, async (db) => {
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`.execute(db);
    if ((await appliedNames(db)).length > 0) return;
    const legacy = await engine.legacyVersion(db);
    const known = (options.steps ?? allMigrations).slice(0, legacy);
    if (known.length < legacy)
      throw new Error(`The database is at schema version ${legacy}; this build knows fewer.`);
    for (const migration of known) await record(db, migration.name, 0);
  });
  const applied: string[] = [];
  for (const migration of steps) {
    const done = await step(database, async (db) => {
      const names = await appliedNames(db);
      const unknown = names.find((name) => !allMigrations.some((m) => m.name === name));
      if (unknown) throw new Error(`The database has schema step ${unknown}, from a newer build.`);
      if (names.includes(migration.name)) return false;
      await engine.runScript(db, engine.migrationScript(migration));
      await record(db, migration.name, Date.now());
      await engine.recordVersion(db, names.length + 1);
      return true;
    });
    if (done) applied.push(migration.name);
  }
  const total = await database.platform(async (db) => (await appliedNames(db)).length);
  return { applied, total };
}

function step<T>(database: Database, run: (db: Kysely<Tables>) => Promise<T>): Promise<T> {
  return database.transaction(() =>
    database.platform(async (db) => {
      await database.engine.lockMigrations(db);
      return run(db);
    }),
  );
}

async function appliedNames(db: Kysely<Tables>): Promise<string[]> {
  const rows = await db
    .withTables<MigrationTables>()
    .selectFrom('schema_migrations')
    .select('name')
    .orderBy('name')
    .execute();
  return rows.map((row) => row.name);
}

async function record(db: Kysely<Tables>, name: string, at: number): Promise<void> {
  await db
    .withTables<MigrationTables>()
    .insertInto('schema_migrations')
    .values({ name, applied_at: at })
    .execute();
}

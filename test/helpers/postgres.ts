import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migratePostgres, openPostgresDatabase } from '../../platform/db/postgres';

/**
 * Which engine the platform suites run on in this process: `npm test` runs them once on SQLite and once on
 * PostgreSQL (vitest.config.ts, one project each), and the project sets this.
 */
export const testEngine: 'sqlite' | 'postgres' =
  process.env.CC_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** The roles .ci/postgres.sh creates on the loopback test cluster; these passwords guard nothing else. */
const roles = {
  admin: { user: 'cc_test_admin', password: 'cc-test-admin' },
  owner: { user: 'compliance_owner', password: 'cc-test-owner' },
  app: { user: 'compliance_app', password: 'cc-test-app' },
} as const;

export const APPLICATION_ROLE = roles.app.user;

export type TestRole = keyof typeof roles;

const port = process.env.CC_TEST_POSTGRES_PORT ?? '5432';

export function postgresUrl(role: TestRole, database: string): string {
  const { user, password } = roles[role];
  return `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
}

/** The one line `npm test` prints when there is no PostgreSQL to test against. */
export const POSTGRES_MISSING =
  'PostgreSQL is not reachable on 127.0.0.1:' +
  `${port} as cc_test_admin: run \`sudo bash .ci/postgres.sh\` (installs Debian's postgresql, starts a loopback cluster and creates the test roles), then npm test again.`;

/** Test databases are named for the process that made them, so a later run can tell which are stale. */
const PREFIX = 'cc_t_';

export async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl('admin', 'postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  readonly name: string;
  /** What the platform connects as: the application role. */
  readonly appUrl: string;
  /** The owner role, which migrated it. */
  readonly ownerUrl: string;
  /**
   * Test-only reads and tampering past the platform, as the admin (a superuser, so row-level security
   * does not hide rows from it, while triggers still fire): the way tests reach the SQLite file directly.
   */
  readonly inspector: Kysely<unknown>;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file: created by the admin role, owned and migrated by the owner role,
 * used by the application role, and dropped at the end. Nothing is left for, or taken from, another run.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `${PREFIX}${process.pid}_${randomBytes(5).toString('hex')}`;
  await withAdmin(async (client) => {
    await client.query(`CREATE DATABASE ${name} OWNER compliance_owner`);
    // Test databases are thrown away: commits need not wait for the disk (the cluster's own settings stay).
    await client.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  });
  if (options.migrate !== false) {
    const owner = openPostgresDatabase({ url: postgresUrl('owner', name) });
    try {
      await migratePostgres(owner, APPLICATION_ROLE);
    } finally {
      await owner.close();
    }
  }
  const pool = new pg.Pool({ connectionString: postgresUrl('admin', name), max: 2 });
  // An idle connection ended by the database's drop (WITH FORCE) is no test's failure.
  pool.on('error', () => {});
  const inspector = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  return {
    name,
    appUrl: postgresUrl('app', name),
    ownerUrl: postgresUrl('owner', name),
    inspector,
    async drop() {
      await inspector.destroy();
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * Drops test databases whose process is gone (a run that was killed before it could clean up), so the
 * cluster does not fill up; databases of processes still running (another run at the same time) stay.
 */
export async function dropStaleTestDatabases(): Promise<void> {
  await withAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`,
    );
    for (const { datname } of rows) {
      const pid = Number(datname.slice(PREFIX.length).split('_')[0]);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
      await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { defineConfig } from 'vitest/config';

/** The platform's suites, which run on each engine (test/helpers/platform.ts reads CC_TEST_ENGINE). */
const platformSuites = ['test/platform/**/*.test.ts'];

/** The isolation sweeps, run once more on PostgreSQL with the stores' tenant filters off (scope.ts). */
const isolationSweeps = [
  'test/platform/access/isolation.test.ts',
  'test/platform/approvals/search-isolation.test.ts',
];

/** SQLite-only by nature: the upgrade path of SQLite files that older builds left, SQLite's backup. */
const sqliteOnly = ['test/platform/db/upgrade.test.ts', 'test/platform/db/backup.test.ts'];

/** PostgreSQL-only by nature: several platform processes on one database. */
const postgresOnly = ['test/platform/postgres/**'];

const shared = {
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'], exclude: postgresOnly },
      },
      {
        test: {
          ...shared,
          name: 'postgres',
          include: platformSuites,
          exclude: sqliteOnly,
          env: { CC_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/helpers/postgres-setup.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'postgres-rls-only',
          include: isolationSweeps,
          env: { CC_TEST_ENGINE: 'postgres', CC_TEST_TENANT_FILTERS: 'off' },
          globalSetup: ['test/helpers/postgres-setup.ts'],
        },
      },
    ],
  },
});

import { dropStaleTestDatabases, POSTGRES_MISSING, testEngine, withAdmin } from './postgres';

/**
 * Vitest's global setup for the PostgreSQL projects: fails the run at once, in one line that says what to
 * do, when there is no PostgreSQL to test against (never skipped quietly), and drops databases that killed
 * runs left behind.
 */
export default async function setup(): Promise<void> {
  if (testEngine !== 'postgres') return;
  try {
    await withAdmin((client) => client.query('SELECT 1'));
  } catch {
    process.stderr.write(`\n${POSTGRES_MISSING}\n\n`);
    process.exit(1);
  }
  await dropStaleTestDatabases();
}

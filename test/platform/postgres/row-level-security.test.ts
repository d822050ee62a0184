import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../platform/db/database';
import { applicationRoleProblems, openPostgresDatabase } from '../../../platform/db/postgres';
import type { TenantScope } from '../../../platform/db/scope';
import { tenantOf } from '../../helpers/audit';
import { rawSql, startPlatform, type TestPlatform } from '../../helpers/platform';

/**
 * PostgreSQL's own isolation, past every store: the application role, told one tenant per transaction,
 * reads only that tenant's rows from every tenant table, reads nothing when told none, and cannot write a
 * row of another tenant. Every table with an organization column is covered, including tables added later.
 */
let platform: TestPlatform;
let app: Database;
let tables: { name: string; environment: boolean }[];

beforeAll(async () => {
  platform = await startPlatform();
  // The demo's two organizations, both environments: some of everything.
  app = openPostgresDatabase({ url: platform.database?.appUrl as string });
  tables = (
    await rawSql<{ name: string; environment: boolean }>(
      platform,
      sql`SELECT c.table_name AS name, bool_or(e.column_name IS NOT NULL) AS environment
        FROM information_schema.columns c
        LEFT JOIN information_schema.columns e ON e.table_name = c.table_name
          AND e.table_schema = c.table_schema AND e.column_name = 'environment'
        WHERE c.table_schema = 'public' AND c.column_name = 'organization_id'
        GROUP BY c.table_name ORDER BY c.table_name`,
    )
  ).map((t) => ({ name: t.name, environment: Boolean(t.environment) }));
});
afterAll(async () => {
  await app.close();
  await platform.stop();
});

async function rowsAs(scope: TenantScope | null, table: string) {
  const read = (db: Parameters<Parameters<Database['global']>[0]>[0]) =>
    sql<{ organization_id: string; environment?: string }>`SELECT * FROM ${sql.table(table)}`
      .execute(db)
      .then((result) => result.rows);
  return scope ? app.inTenant(scope, () => app.tenant(scope, read)) : app.global(read);
}

describe('row-level security on PostgreSQL', () => {
  it('the platform connects as a role that owns nothing and cannot bypass the policies', async () => {
    expect(await applicationRoleProblems(app)).toEqual([]);
    const [role] = await rawSql<{ rolsuper: boolean; rolbypassrls: boolean }>(
      platform,
      sql`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'compliance_app'`,
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('every table with an organization column has row-level security, forced', async () => {
    expect(tables.length).toBeGreaterThan(15);
    const secured = await rawSql<{ name: string; enabled: boolean; forced: boolean }>(
      platform,
      sql`SELECT relname AS name, relrowsecurity AS enabled, relforcerowsecurity AS forced FROM pg_class
        WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`,
    );
    for (const table of tables) {
      expect(
        secured.find((s) => s.name === table.name),
        table.name,
      ).toEqual({
        name: table.name,
        enabled: true,
        forced: true,
      });
    }
  });

  it("told one tenant, the application role reads only that tenant's rows from every tenant table", async () => {
    const acme = await tenantOf(platform, 'acme', 'live');
    let seen = 0;
    for (const table of tables) {
      const rows = await rowsAs(acme, table.name);
      seen += rows.length;
      for (const row of rows) {
        expect(row.organization_id, table.name).toBe(acme.organizationId);
        if (table.environment) expect(row.environment, table.name).toBe('live');
      }
    }
    expect(seen).toBeGreaterThan(10);
    // The control: the same tables hold other tenants' rows, which the admin sees.
    const [others] = await rawSql<{ n: number }>(
      platform,
      sql`SELECT count(*)::int AS n FROM audit_entries WHERE organization_id <> ${acme.organizationId}`,
    );
    expect(others?.n).toBeGreaterThan(0);
  });

  it('told no tenant, it reads no row of any tenant table', async () => {
    for (const table of tables) expect(await rowsAs(null, table.name), table.name).toEqual([]);
  });

  it('cannot write a row under another tenant than the one it was told', async () => {
    const acme = await tenantOf(platform, 'acme', 'live');
    const globex = await tenantOf(platform, 'globex', 'live');
    await expect(
      app.inTenant(acme, () =>
        app.tenant(acme, (db) =>
          sql`INSERT INTO webhooks (organization_id, environment, url, secret_sealed, created_at)
            VALUES (${globex.organizationId}, 'live', 'https://example.com/hook', '\\x00', 0)`.execute(db),
        ),
      ),
    ).rejects.toThrow(/row-level security|SQLSTATE 42501/);
    const updated = await app.inTenant(acme, () =>
      app.tenant(acme, (db) =>
        sql`UPDATE approval_requests SET title = 'taken over' WHERE organization_id = ${globex.organizationId}`.execute(
          db,
        ),
      ),
    );
    expect(Number(updated.numAffectedRows ?? 0n)).toBe(0);
  });
});

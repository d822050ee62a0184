import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type PlatformContext } from '../../../platform/context';
import { migrate } from '../../../platform/db/migrate';
import { migrations } from '../../../platform/db/migrations';
import { migratePostgres, openPostgresDatabase } from '../../../platform/db/postgres';
import { orgScope, tenantScope } from '../../../platform/db/scope';
import { APPLICATION_ROLE, createTestDatabase, postgresUrl, type TestDatabase } from '../../helpers/postgres';

const ORG = 'org_upgradeaaaaaaaaaaaaaaaaaaa';
const OTHER = 'org_otheraaaaaaaaaaaaaaaaaaaaa';
const USER = 'usr_upgradeaaaaaaaaaaaaaaaaaaa';
const T = 1_700_000_000_000;
const tenant = tenantScope(orgScope(ORG, 'acme'), 'live');

/** Version 12, the last before this part's steps: a request of each of two organizations, with its children. */
const rowsAt12 = (org: string, n: string) => sql`
  INSERT INTO approval_requests (id, organization_id, environment, kind, title, summary, payload, payload_sha256,
    lane, required_approvals, status, requester_type, requester_id, created_at, expires_at, requester_person_id)
    VALUES (${`apr_${n}`}, ${org}, 'live', 'custom.journal_entry', 'Quarterly accrual', '', '{}', 'h', 'yellow', 1,
      'executed', 'user', ${USER}, ${T}, ${T + 1}, ${USER});
  INSERT INTO approval_decisions VALUES (${`apr_${n}`}, ${USER}, 'approve', '', 'dev', 's', 'sig', 'idem', ${T});
  INSERT INTO approval_comments VALUES (${`cmt_${n}`}, ${`apr_${n}`}, ${USER}, 'fine', ${T});
  INSERT INTO approval_results VALUES (${`apr_${n}`}, NULL, ${T});
  INSERT INTO webhook_deliveries VALUES (${`whd_${n}`}, ${org}, 'live', ${`apr_${n}`}, '{}', 'delivered', 1, ${T}, ${T});
  INSERT INTO webhook_attempts VALUES (${`whd_${n}`}, 1, ${T}, 204, NULL);
  INSERT INTO evidence (id, organization_id, environment, request_id, sha256, name, media_type, size, uploader_type,
    uploader_id, created_at) VALUES (${`evd_${n}`}, ${org}, 'live', ${`apr_${n}`}, ${'a'.repeat(64)}, 'l.txt',
    'text/plain', 4, 'user', ${USER}, ${T});
  INSERT INTO approval_evidence VALUES (${`evd_${n}`}, ${`apr_${n}`}, ${org}, 'live', ${T});`;

/**
 * A PostgreSQL database at schema version 12 with rows in every table this part changes, upgraded by the
 * owner's migrate: the children are backfilled with their request's tenant, the keys start with the
 * organization, and the application role reads them through row-level security.
 */
let database: TestDatabase;
let ctx: PlatformContext;
const dir = mkdtempSync(join(tmpdir(), 'cc-pg-upgrade-'));

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  const owner = openPostgresDatabase({ url: postgresUrl('owner', database.name) });
  try {
    await migrate(owner, { upTo: 12 });
    await owner.transaction(() =>
      owner.global(async (db) => {
        for (const [id, slug] of [
          [ORG, 'acme'],
          [OTHER, 'other'],
        ] as const) {
          await sql`INSERT INTO organizations VALUES (${id}, ${slug}, ${slug}, ${T})`.execute(db);
        }
        await sql`INSERT INTO users VALUES (${USER}, 'o@acme.example', 'O', 'h', '\\x00', 0, ${T}, NULL)`.execute(
          db,
        );
      }),
    );
    // Row-level security is not on yet at version 12: plain inserts, as that version's platform made them.
    await sql.raw(await compile(rowsAt12(ORG, 'acmeaaaaaaaaaaaaaaaaaaaaaa'))).execute(database.inspector);
    await sql.raw(await compile(rowsAt12(OTHER, 'otheraaaaaaaaaaaaaaaaaaaaa'))).execute(database.inspector);
    const run = await migratePostgres(owner, APPLICATION_ROLE);
    expect(run.applied).toEqual(migrations.slice(12).map((m) => m.name));
  } finally {
    await owner.close();
  }
  ctx = await createContext(dir, { database: database.appUrl });
});
afterAll(async () => {
  await ctx?.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The statements with their values written in (a multi-statement script takes no parameters). */
async function compile(query: ReturnType<typeof sql>): Promise<string> {
  const { sql: text, parameters } = query.compile(database.inspector);
  return text.replace(/\$(\d+)/g, (_, i: string) => {
    const value = parameters[Number(i) - 1];
    return typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
  });
}

describe('upgrading a PostgreSQL database from version 12', () => {
  it('backfills every child row with its parent tenant, every row of every tenant, and keys it by the organization', async () => {
    const rows = await sql<{ t: string; organization_id: string }>`
      SELECT 'decision' AS t, organization_id FROM approval_decisions UNION ALL
      SELECT 'comment', organization_id FROM approval_comments UNION ALL
      SELECT 'result', organization_id FROM approval_results UNION ALL
      SELECT 'attempt', organization_id FROM webhook_attempts ORDER BY 1, 2`.execute(database.inspector);
    expect(rows.rows).toEqual(
      ['attempt', 'comment', 'decision', 'result'].flatMap((t) => [
        // In the order of their ids: org_other… before org_upgrade….
        { t, organization_id: OTHER },
        { t, organization_id: ORG },
      ]),
    );
    // Later steps' backfills reach every tenant's rows too (the owner is held to row-level security).
    const evidence = await sql<{ period_from: string | null; uploader_person_id: string | null }>`
      SELECT period_from, uploader_person_id FROM evidence`.execute(database.inspector);
    expect(evidence.rows).toEqual([
      { period_from: '2023-11-14', uploader_person_id: USER },
      { period_from: '2023-11-14', uploader_person_id: USER },
    ]);
    const keys = await sql<{ name: string; key: string }>`
      SELECT c.relname AS name, pg_get_constraintdef(k.oid) AS key FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype = 'p' AND c.relnamespace = 'public'::regnamespace
        AND EXISTS (SELECT 1 FROM information_schema.columns i WHERE i.table_name = c.relname
          AND i.column_name = 'organization_id')`.execute(database.inspector);
    for (const { name, key } of keys.rows) expect(key, name).toMatch(/^PRIMARY KEY \(organization_id\b/);
  });

  it("serves the upgraded rows through today's stores, each tenant only its own", async () => {
    const request = await ctx.stores.approvals.get(tenant, 'apr_acmeaaaaaaaaaaaaaaaaaaaaaa');
    expect(request).toEqual(expect.objectContaining({ status: 'executed', organization_id: ORG }));
    expect(await ctx.stores.approvals.decisions(tenant, 'apr_acmeaaaaaaaaaaaaaaaaaaaaaa')).toHaveLength(1);
    expect(await ctx.stores.approvals.get(tenant, 'apr_otheraaaaaaaaaaaaaaaaaaaaa')).toBeUndefined();
    expect(await ctx.stores.webhooks.attempts(tenant, 'whd_acmeaaaaaaaaaaaaaaaaaaaaaa')).toHaveLength(1);
    expect(await ctx.stores.webhooks.attempts(tenant, 'whd_otheraaaaaaaaaaaaaaaaaaaaa')).toEqual([]);
    // A decision naming another tenant than its request's is refused by the composite key.
    await expect(
      sql`INSERT INTO approval_decisions VALUES ('apr_acmeaaaaaaaaaaaaaaaaaaaaaa', 'usr_x', 'approve', '', 'd', 's',
        'sig', 'other-idem', ${T}, ${OTHER}, 'live')`.execute(database.inspector),
    ).rejects.toThrow(/foreign key/);
  });
});

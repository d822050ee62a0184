import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSql, startPlatform, type TestPlatform } from '../../helpers/platform';

/**
 * Another tenant floods the search index with the word this tenant searches for. Search must still find
 * this tenant's request: the index is matched per tenant, not platform-wide and then filtered.
 */
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

describe('approval search across tenants', () => {
  it("finds this tenant's request however many of another tenant's match the same words", async () => {
    const acme = (await platform.signIn(platform.user('acme', 'member'))).accessToken;
    const globex = (await platform.signIn(platform.user('globex', 'member'))).accessToken;
    const mine = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
      token: acme,
      body: { kind: 'custom.vendor_payment', title: 'Quarterly vendor reconciliation', payload: {} },
    });
    expect(mine.status).toBe(201);
    const flood = 5100;
    if (platform.database) {
      // On PostgreSQL through the API this takes minutes: one request is raised, and copied in one statement
      // (every column but the generated search vector, which PostgreSQL computes for each copy).
      const seed = await platform.call('POST', '/v1/orgs/globex/envs/live/approvals', {
        token: globex,
        body: { kind: 'custom.vendor_payment', title: 'Quarterly vendor reconciliation', payload: {} },
      });
      expect(seed.status).toBe(201);
      const columns = (
        await rawSql<{ name: string }>(
          platform,
          sql`SELECT column_name AS name FROM information_schema.columns
            WHERE table_name = 'approval_requests' AND is_generated = 'NEVER' ORDER BY ordinal_position`,
        )
      ).map((c) => c.name);
      const copied = columns.map((c) =>
        c === 'id'
          ? sql`'apr_' || translate(lpad(n::text, 26, 'a'), '0123456789', 'abcdefghij')`
          : c === 'title'
            ? sql`title || ' ' || n`
            : sql.ref(c),
      );
      await rawSql(
        platform,
        sql`INSERT INTO approval_requests (${sql.join(columns.map((c) => sql.ref(c)))})
          SELECT ${sql.join(copied)} FROM approval_requests, generate_series(1, ${flood - 1}) AS n
          WHERE id = ${seed.json.id}`,
      );
    }
    for (let start = 0; !platform.database && start < flood; start += 50) {
      const batch = Array.from({ length: Math.min(50, flood - start) }, (_, i) =>
        platform.call('POST', '/v1/orgs/globex/envs/live/approvals', {
          token: globex,
          body: {
            kind: 'custom.vendor_payment',
            title: `Quarterly vendor reconciliation ${start + i}`,
            payload: {},
          },
        }),
      );
      for (const reply of await Promise.all(batch)) expect(reply.status).toBe(201);
    }
    const found = await platform.call(
      'GET',
      '/v1/orgs/acme/envs/live/approvals?q=quarterly%20reconciliation',
      {
        token: acme,
      },
    );
    expect(found.status).toBe(200);
    expect(found.json.requests.map((r: { id: string }) => r.id)).toEqual([mine.json.id]);
    const theirs = await platform.call('GET', '/v1/orgs/globex/envs/live/approvals?q=quarterly&limit=200', {
      token: globex,
    });
    expect(theirs.json.requests).toHaveLength(200);
    expect(theirs.json.requests.map((r: { id: string }) => r.id)).not.toContain(mine.json.id);
  }, 180_000);
});

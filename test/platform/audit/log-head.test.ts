import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendedRows } from '../../../platform/audit/appended-rows';
import type { AuditEvent } from '../../../platform/audit/audit-log';
import type { TenantScope } from '../../../platform/db/scope';
import { appendEntries, platformKeys, tenantOf, verifyBytes } from '../../helpers/audit';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { testEngine } from '../../helpers/postgres';

/**
 * The log's head (size, last time, frontier) as appends use it: a group may be written from the head its
 * process committed last, without reading it again, but only while the log still has that size; and on
 * PostgreSQL reading the head touches the frontier's nodes only, however long the log.
 */
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

const pending = (n: number) => ({
  context: {
    actor: { type: 'user' as const, id: 'usr_log_head' },
    request: { id: `head-${n}`, ip: '127.0.0.1', userAgent: 'LogHeadTest/1.0' },
  },
  event: {
    action: 'approval.comment',
    resource: { type: 'approval_request', id: `apr_${n}` },
    change: { before: null, after: { comment: `comment ${n}` } },
  } satisfies AuditEvent,
});

async function verified(tenant: TenantScope, org: string, env: 'test' | 'live') {
  const exported = await platform.ctx.audit.export(tenant, pending(0).context, {}, new Date());
  if (!exported.ok) throw new Error(exported.error.message);
  let text = '';
  for await (const chunk of exported.value.chunks) text += chunk;
  const report = await verifyBytes(Buffer.from(text), platformKeys(platform));
  expect(report.findings, `${org}/${env}`).toEqual([]);
  expect(report.verdict).toBe('verified');
}

describe('the audit log head', () => {
  it('writes a group from a remembered head only while the log still has that size; stale, it writes nothing', async () => {
    const tenant = await tenantOf(platform, 'acme', 'live');
    const { db, audit } = platform.ctx.stores;
    const { auditLog } = platform.ctx;
    await appendEntries(platform, tenant, 5);
    const remembered = await db.inAuditLog(tenant, () => audit.head(tenant, () => 2));
    const stale = appendedRows(auditLog.hasher, tenant, remembered, [pending(1), pending(2)], Date.now());

    // Another writer appends meanwhile.
    await appendEntries(platform, tenant, 1);
    const size = await auditLog.size(tenant);
    expect(size).toBe(remembered.size + 1);
    const wroteStale = await db.inAuditLog(tenant, () =>
      audit.insertAppendedAt(tenant, remembered.size, stale.rows, stale.nodes),
    );
    expect(wroteStale).toBe(false);
    expect(await auditLog.size(tenant)).toBe(size);

    const current = await db.inAuditLog(tenant, () => audit.head(tenant, () => 2));
    const fresh = appendedRows(auditLog.hasher, tenant, current, [pending(3), pending(4)], Date.now());
    const wroteFresh = await db.inAuditLog(tenant, () =>
      audit.insertAppendedAt(tenant, current.size, fresh.rows, fresh.nodes),
    );
    expect(wroteFresh).toBe(true);
    expect(await auditLog.size(tenant)).toBe(size + 2);
    await verified(tenant, 'acme', 'live');
  });

  it('keeps one log when group commits alternate with domain writes, each group after another writer', async () => {
    const tenant = await tenantOf(platform, 'globex', 'live');
    const { db } = platform.ctx.stores;
    const { auditLog } = platform.ctx;
    const start = await auditLog.size(tenant);
    for (let round = 0; round < 20; round++) {
      // A group (which remembers its head), then a domain write's entry (which the head does not know of).
      await Promise.all(
        [0, 1, 2].map((i) => auditLog.append(tenant, pending(round * 10 + i).context, pending(i).event)),
      );
      await db.inTenant(tenant, () =>
        auditLog.append(tenant, pending(round * 10 + 9).context, pending(9).event),
      );
    }
    expect(await auditLog.size(tenant)).toBe(start + 80);
    await verified(tenant, 'globex', 'live');
  });

  it.skipIf(testEngine !== 'postgres')(
    'reads only the frontier on PostgreSQL: one node per set bit of the size, however long the log',
    async () => {
      const tenant = await tenantOf(platform, 'acme', 'test');
      const { db, audit } = platform.ctx.stores;
      // 2^12 - 1 entries: a frontier of 12 nodes, over a tree of about 8,000.
      await appendEntries(platform, tenant, 4095 - (await platform.ctx.auditLog.size(tenant)));
      const read = await db.inTenant(tenant, async () => {
        const head = await audit.head(tenant);
        // This transaction's own counters: rows its scans of the table and of its index gave back.
        const { rows } = await db.tenant(tenant, (q) =>
          sql<{ n: string }>`SELECT pg_stat_get_xact_tuples_returned('audit_nodes'::regclass)
            + pg_stat_get_xact_tuples_fetched('audit_nodes_pkey'::regclass) AS n`.execute(q),
        );
        return { head, nodesRead: Number(rows[0]?.n) };
      });
      expect(read.head.size).toBe(4095);
      expect(read.head.frontier.size).toBe(12);
      expect(read.nodesRead).toBeGreaterThanOrEqual(12);
      expect(read.nodesRead).toBeLessThanOrEqual(12);
    },
  );
});

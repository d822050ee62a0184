import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../../platform/audit/audit-log';
import { createContext, type PlatformContext } from '../../../platform/context';
import type { TenantScope } from '../../../platform/db/scope';
import { parseCheckpointBody, parseNote } from '../../../shared/audit/note';
import { platformKeys, tenantOf, verifyBytes } from '../../helpers/audit';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { testEngine } from '../../helpers/postgres';

/**
 * Group commit of audit appends (platform/audit/group-commit.ts): appends that arrive while a commit is in
 * flight are written in one transaction behind the log's lock. On PostgreSQL, several platform contexts
 * (each its own pool and its own group commit, as separate processes have) append to one tenant's log at
 * once; on SQLite one context does, since one process holds the file's one writer.
 */
let platform: TestPlatform;
let instances: PlatformContext[];
let signedSizes: number[];

beforeAll(async () => {
  platform = await startPlatform();
  const others =
    testEngine === 'postgres'
      ? await Promise.all(
          [1, 2].map(() =>
            createContext(platform.dataDir, { clock: platform.clock, ...platform.contextOptions }),
          ),
        )
      : [];
  instances = [platform.ctx, ...others];
  // Every checkpoint signature any instance makes, by size: the real signer, counted.
  signedSizes = [];
  for (const instance of instances) {
    const sign = instance.auditKeys.sign.bind(instance.auditKeys);
    vi.spyOn(instance.auditKeys, 'sign').mockImplementation((text: string) => {
      const body = parseCheckpointBody(text);
      if (body) signedSizes.push(body.size);
      return sign(text);
    });
  }
});
afterAll(async () => {
  for (const instance of instances.slice(1)) await instance.close();
  await platform.stop();
});

const context = (id: string) => ({
  actor: { type: 'user' as const, id: 'usr_group_commit' },
  request: { id, ip: '127.0.0.1', userAgent: 'GroupCommitTest/1.0' },
});

const event = (n: number): AuditEvent => ({
  action: 'approval.comment',
  resource: { type: 'approval_request', id: `apr_${n}` },
  change: { before: null, after: { comment: `comment ${n}` } },
});

/** The tenant's whole log exported (which signs a checkpoint at its end) and verified as an auditor would. */
async function exportAndVerify(tenant: TenantScope) {
  const exported = await platform.ctx.audit.export(tenant, context('export'), {}, new Date());
  if (!exported.ok) throw new Error(exported.error.message);
  let text = '';
  for await (const chunk of exported.value.chunks) text += chunk;
  const report = await verifyBytes(Buffer.from(text), platformKeys(platform));
  expect(report.findings).toEqual([]);
  expect(report.verdict).toBe('verified');
  const lines = text.trimEnd().split('\n').slice(1);
  const entries = lines
    .filter((line) => !line.startsWith('{"checkpoint":'))
    .map((line) => JSON.parse(line) as { seq: number; request: { id: string } | null });
  const checkpointSizes = lines
    .filter((line) => line.startsWith('{"checkpoint":'))
    .map((line) => {
      const note = parseNote((JSON.parse(line) as { checkpoint: string }).checkpoint);
      return note ? parseCheckpointBody(note.text)?.size : undefined;
    });
  return { entries, checkpointSizes };
}

function counts(ids: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const id of ids) out.set(id, (out.get(id) ?? 0) + 1);
  return out;
}

/** How many transactions wrote the tenant's entries (PostgreSQL: distinct inserting transaction ids). */
async function writingTransactions(tenant: TenantScope): Promise<number> {
  const inspector = platform.database?.inspector;
  if (!inspector) throw new Error('PostgreSQL only');
  const { rows } = await sql<{ n: number }>`SELECT count(DISTINCT xmin::text)::int AS n FROM audit_entries
    WHERE organization_id = ${tenant.organizationId} AND environment = ${tenant.environment}`.execute(
    inspector,
  );
  return rows[0]?.n ?? 0;
}

describe('audit group commit', () => {
  it.skipIf(testEngine !== 'postgres')(
    'commits audit-only appends that arrive together in one transaction, not one each',
    async () => {
      const tenant = await tenantOf(platform, 'globex', 'test');
      const before = await writingTransactions(tenant);
      await Promise.all(
        Array.from({ length: 64 }, (_, n) =>
          platform.ctx.auditLog.append(tenant, context(`together-${n}`), event(n)),
        ),
      );
      // The first goes at once; the 63 that arrive while it commits go together.
      expect((await writingTransactions(tenant)) - before).toBeLessThanOrEqual(2);
    },
  );

  it('keeps one log under concurrent appends from every instance: verified, each entry once, checkpoints signed once per size', async () => {
    const tenant = await tenantOf(platform, 'acme', 'test');
    const start = await platform.ctx.auditLog.size(tenant);
    const perInstance = Math.ceil((2 * 1024 + 200) / instances.length);
    const ids: string[] = [];
    const work: Promise<unknown>[] = [];
    for (const [i, instance] of instances.entries()) {
      for (let n = 0; n < perInstance; n++) {
        const id = `i${i}-${n}`;
        ids.push(id);
        // Every eighth append is a domain write's: inside its own transaction, with the log's lock held to its
        // commit; the others are audit-only and go through the group commit. Tree heads are asked for too.
        work.push(
          n % 8 === 0
            ? instance.stores.db.inTenant(tenant, () =>
                instance.auditLog.append(tenant, context(id), event(n)),
              )
            : instance.auditLog.append(tenant, context(id), event(n)),
        );
        if (n % 300 === 0) work.push(instance.audit.checkpoint(tenant));
      }
    }
    await Promise.all(work);

    const { entries, checkpointSizes } = await exportAndVerify(tenant);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i));
    const recorded = counts(entries.slice(start).flatMap((e) => (e.request ? [e.request.id] : [])));
    for (const id of ids) expect(recorded.get(id), id).toBe(1);
    expect(recorded.size).toBe(ids.length + 1); // and the export's own entry
    expect(checkpointSizes).toContain(Math.ceil((start + 1) / 1024) * 1024);
    const signed = counts(signedSizes.map(String));
    expect([...signed].filter(([, times]) => times > 1)).toEqual([]);
  }, 120_000);

  it('loses and duplicates no other caller’s entry when a group’s transaction fails', async () => {
    const tenant = await tenantOf(platform, 'acme', 'live');
    const start = await platform.ctx.auditLog.size(tenant);
    const instance = instances[instances.length - 1] as PlatformContext;
    // Entries that make their group's transaction fail: one that does not serialize (a BigInt), and on
    // PostgreSQL one the database itself refuses (text may not hold NUL).
    const unserializable: AuditEvent = { ...event(0), change: { before: null, after: { n: 1n } } };
    const refused: AuditEvent = { ...event(0), action: 'approval.comment\u0000' };
    const poisoned = new Set(testEngine === 'postgres' ? [7, 30] : [7]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 48 }, (_, n) => {
        const id = `poison-${n}`;
        if (n === 7) return instance.auditLog.append(tenant, context(id), unserializable);
        if (n === 30 && testEngine === 'postgres')
          return instance.auditLog.append(tenant, context(id), refused);
        // A domain write that appends its entry, then fails: the entry goes with it.
        if (n === 20) {
          return instance.stores.db.inTenant(tenant, async () => {
            await instance.auditLog.append(tenant, context(id), event(n));
            throw new Error('the domain write failed');
          });
        }
        return instance.auditLog.append(tenant, context(id), event(n));
      }),
    );
    const failed = outcomes.flatMap((o, n) => (o.status === 'rejected' ? [n] : []));
    expect(failed).toEqual([...poisoned, 20].sort((a, b) => a - b));

    const { entries } = await exportAndVerify(tenant);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i));
    const recorded = counts(entries.slice(start).flatMap((e) => (e.request ? [e.request.id] : [])));
    for (let n = 0; n < 48; n++) {
      expect(recorded.get(`poison-${n}`), `poison-${n}`).toBe(failed.includes(n) ? undefined : 1);
    }
  });
});

// The platform's audit appends on PostgreSQL (part of npm run bench:audit): a database of its own on the
// loopback cluster that .ci/postgres.sh sets up (migrated by the owner role, used by the application role,
// with row-level security on, as the platform runs), audit-only appends through the log's group commit
// (platform/audit/group-commit.ts), checkpoints included. Appends to one log are serialized across
// connections by its advisory lock, so each log commits one group at a time: with 16 callers in flight a
// group holds up to 16 entries, and the one-tenant figure is 16 / (the time one group holds the lock,
// commit and WAL flush included). Eight tenants' logs append side by side (about 2 callers each).
// Two floors, measured in the same run:
//  - a bare one-row transaction (BEGIN, set the tenant, one INSERT, COMMIT), 16 in flight: what one
//    transaction per entry could reach at best;
//  - bare grouped inserts: the same rows a group writes (16 entries and their level-0 nodes, prebuilt, no
//    lock, no hashing, no reading of the head) in one transaction, one transaction after another, as one
//    log's groups go: what group commit of 16 could reach at best.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { systemClock } from '../platform/clock';
import { createContext, type PlatformContext } from '../platform/context';
import { orgScope, type TenantScope, tenantScope } from '../platform/db/scope';
import { createOrganization } from '../platform/organizations/provisioning';
import { createTestDatabase } from '../test/helpers/postgres';
import { realisticEvent } from './audit-fixture';

/** Connections in flight at once, as several requests of one process would be (the pool's size). */
const IN_FLIGHT = 16;

export interface PostgresAppendRates {
  /** A bare transaction (BEGIN, set the tenant, one INSERT, COMMIT) at the same concurrency: the floor. */
  readonly bareInsertPerSecond: number;
  /** Entries per second written by bare transactions of 16 prebuilt entries each, one after another. */
  readonly bareGroupInsertPerSecond: number;
  readonly oneTenantPerSecond: number;
  readonly eightTenantsPerSecond: number;
}

async function drive(count: number, run: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await run(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

export async function postgresAppendRates(appends: number): Promise<PostgresAppendRates> {
  const database = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-pg-'));
  let ctx: PlatformContext | undefined;
  try {
    // The test database commits without waiting for the disk; a benchmark measures what production does.
    await sql`ALTER DATABASE ${sql.id(database.name)} SET synchronous_commit = on`.execute(
      database.inspector,
    );
    ctx = await createContext(dir, { clock: systemClock, database: database.appUrl });
    const platform = ctx;
    const tenants: TenantScope[] = [];
    for (let i = 0; i < 9; i++) {
      const org = await createOrganization(platform, `bench-${i}`, `Bench ${i}`);
      tenants.push(tenantScope(orgScope(org.organizationId, org.organizationSlug), 'live'));
    }
    const first = tenants[0] as TenantScope;
    // The ninth tenant takes the grouped-insert floor's rows, which are not a Merkle log.
    const scratch = tenants.pop() as TenantScope;
    const bareInsertPerSecond = await drive(appends, (i) =>
      platform.stores.db.inTenant(first, () =>
        platform.stores.rateLimits.hit(`bench-floor-${i}`, 60_000, Date.now()),
      ),
    );
    let floorSeq = 0;
    const started = performance.now();
    for (let group = 0; group < appends / IN_FLIGHT; group++) {
      const rows = Array.from({ length: IN_FLIGHT }, () => {
        const seq = floorSeq++;
        const { context, event } = realisticEvent(seq);
        const canonical = JSON.stringify({ seq, ...context, ...event });
        return { seq, canonical, actor: context.actor.id, action: event.action, resource: event.resource };
      });
      await platform.stores.db.inTenant(scratch, () =>
        platform.stores.audit.insertAppended(
          scratch,
          rows.map((r) => ({
            seq: r.seq,
            ts: Date.now(),
            action: r.action,
            actor_id: r.actor,
            resource_type: r.resource.type,
            resource_id: r.resource.id,
            canonical: r.canonical,
          })),
          rows.map((r) => ({ level: 0, idx: r.seq, hash: new Uint8Array(32) })),
        ),
      );
    }
    const bareGroupInsertPerSecond = floorSeq / ((performance.now() - started) / 1000);
    const append = (tenant: TenantScope, i: number) => {
      const { context, event } = realisticEvent(i);
      return platform.auditLog.append(tenant, context, event);
    };
    // Each way is measured after a warm-up of its own (not counted): compiled code, pooled connections and
    // prepared statements are what a running platform has.
    const warm = Math.min(1_000, appends);
    await drive(warm, (i) => append(first, appends + i));
    const oneTenantPerSecond = await drive(appends, (i) => append(first, i));
    await drive(warm, (i) => append(tenants[i % 8] as TenantScope, appends + i));
    const eightTenantsPerSecond = await drive(appends, (i) => append(tenants[i % 8] as TenantScope, i));
    return { bareInsertPerSecond, bareGroupInsertPerSecond, oneTenantPerSecond, eightTenantsPerSecond };
  } finally {
    await ctx?.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The platform's audit appends on PostgreSQL (part of npm run bench:audit): a database of its own on the
// loopback cluster that .ci/postgres.sh sets up (migrated by the owner role, used by the application role,
// with row-level security on, as the platform runs), one transaction per entry as real operations do,
// checkpoints included. Appends to one log are serialized across connections by its advisory lock, so the
// one-tenant figure is that lock's rate; eight tenants' logs append side by side.
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
    for (let i = 0; i < 8; i++) {
      const org = await createOrganization(platform, `bench-${i}`, `Bench ${i}`);
      tenants.push(tenantScope(orgScope(org.organizationId, org.organizationSlug), 'live'));
    }
    const first = tenants[0] as TenantScope;
    const bareInsertPerSecond = await drive(appends, (i) =>
      platform.stores.db.inTenant(first, () =>
        platform.stores.rateLimits.hit(`bench-floor-${i}`, 60_000, Date.now()),
      ),
    );
    const append = (tenant: TenantScope, i: number) => {
      const { context, event } = realisticEvent(i);
      return platform.auditLog.append(tenant, context, event);
    };
    const oneTenantPerSecond = await drive(appends, (i) => append(first, i));
    const eightTenantsPerSecond = await drive(appends, (i) => append(tenants[i % 8] as TenantScope, i));
    return { bareInsertPerSecond, oneTenantPerSecond, eightTenantsPerSecond };
  } finally {
    await ctx?.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

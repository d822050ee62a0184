import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgScope } from '../../../platform/db/scope';
import { MembershipService } from '../../../platform/organizations/membership-service';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

/**
 * The membership lock on PostgreSQL: a role change and an elevation granted alongside it (or anything else
 * that holds a member's row) take turns, so an elevation cannot commit after the role change that ended
 * the member's elevations. Proven with the database's own view of who waits on a lock, not with timing.
 */
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

describe('the membership lock', () => {
  it('makes a role change wait while another transaction holds the member, and go on once it commits', async () => {
    const database = platform.database;
    if (!database) throw new Error('this test runs on PostgreSQL');
    const { ctx } = platform;
    const org = await ctx.stores.organizations.findBySlug('acme');
    if (!org) throw new Error('no acme');
    const scope = orgScope(org.id, org.slug);
    const member = platform.user('acme', 'member');
    const owner = platform.user('acme', 'owner');

    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // Stands for ElevationService.grant: the member's row locked, the transaction still open.
    const holder = ctx.stores.db.inTenant(scope, async () => {
      await ctx.stores.db.lockMembership(scope, member.userId);
      locked();
      await held;
    });
    await lockTaken;

    let changed = false;
    const change = new MembershipService(ctx)
      .changeRole(scope, 'owner', member.userId, 'viewer', {
        actor: { type: 'user', id: owner.userId },
        request: null,
      })
      .then((result) => {
        changed = true;
        return result;
      });

    const waiting = async () =>
      Number(
        (
          await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity
            WHERE datname = ${database.name} AND wait_event_type = 'Lock'`.execute(database.inspector)
        ).rows[0]?.n,
      );
    const deadline = Date.now() + 30_000;
    while ((await waiting()) === 0) {
      if (changed) throw new Error('the role change went through while the member was held');
      if (Date.now() > deadline) throw new Error('the role change never waited for the lock');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(changed).toBe(false);

    release();
    await holder;
    const result = await change;
    expect(result.ok).toBe(true);
    expect((await ctx.stores.memberships.get(scope, member.userId))?.role).toBe('viewer');
  });
});

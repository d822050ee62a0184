import type { z } from 'zod';
import type { Elevation } from '../../shared/api/lifecycle';
import type { builtInPayloads } from '../../shared/approvals/kinds';
import { fail, ok, type Result } from '../../shared/result';
import { policyOf } from '../approvals/policy';
import { type AuditContext, systemContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { newId } from '../crypto/random';
import type { ElevationRow } from '../db/elevations';
import { type OrgScope, orgScope, type TenantScope } from '../db/scope';
import { recordInBothLogs } from '../lifecycle/membership-facts';

type ElevatePayload = z.infer<(typeof builtInPayloads)['member.elevate']>;
export type EndReason = NonNullable<Elevation['endReason']>;

const iso = (ms: number) => new Date(ms).toISOString();

export function toElevation(row: ElevationRow, now: number): Elevation {
  return {
    id: row.id,
    userId: row.user_id,
    role: row.role,
    baseRole: row.base_role,
    reason: row.reason,
    requestId: row.request_id,
    environment: row.environment,
    startedAt: iso(row.started_at),
    endsAt: iso(row.ends_at),
    active: row.ended_at === null && row.ends_at > now,
    endedAt: row.ended_at === null ? null : iso(row.ended_at),
    endReason: row.end_reason as EndReason | null,
    endedBy: row.ended_by,
  };
}

/**
 * Time-limited elevation (just-in-time access). The membership keeps its own role; an elevation row
 * overrides it while in force (MembershipStore.standing), so the role reverts by itself the moment its
 * time runs out, across restarts too, with nothing to write. The end is recorded (ended_at and a
 * `member.elevation_end` entry in both logs) when it is ended early, when the person's membership changes,
 * or by the sweeper once the time has run out.
 */
export class ElevationService {
  constructor(private readonly ctx: PlatformContext) {}

  /** What a member.elevate request asks is possible now: checked when it is raised and again when carried out. */
  async check(org: OrgScope, userId: string, payload: ElevatePayload): Promise<Result<void>> {
    const { stores, clock } = this.ctx;
    const policy = await policyOf(stores, org);
    const max = policy.maxElevationHours ?? 8;
    if (payload.durationMinutes > max * 60)
      return fail('bad-request', `The policy allows an elevation of at most ${max} hours.`);
    const standing = await stores.memberships.standing(org.organizationId, userId, clock.now());
    if (!standing || standing.suspendedAt !== null)
      return fail('forbidden', 'Only an active member can be elevated.');
    if (standing.elevation) {
      return fail(
        'conflict',
        `An elevation to ${standing.elevation.role} is in force until ${iso(standing.elevation.endsAt)}; it must end first.`,
      );
    }
    if (standing.baseRole === payload.role)
      return fail('bad-request', `The member is already ${payload.role}.`);
    return ok(undefined);
  }

  /** Carries out an approved member.elevate inside the decision's transaction: the role applies at once. */
  async grant(
    tenant: TenantScope,
    requestId: string,
    userId: string,
    payload: ElevatePayload,
    context: AuditContext,
  ): Promise<Result<Elevation>> {
    // Joins the decision's transaction (or opens one): the membership lock lasts until it ends.
    return this.ctx.stores.db.inTenant(orgScope(tenant.organizationId, tenant.organizationSlug), () =>
      this.#grantLocked(tenant, requestId, userId, payload, context),
    );
  }

  async #grantLocked(
    tenant: TenantScope,
    requestId: string,
    userId: string,
    payload: ElevatePayload,
    context: AuditContext,
  ): Promise<Result<Elevation>> {
    const { stores, clock, auditLog } = this.ctx;
    const org = orgScope(tenant.organizationId, tenant.organizationSlug);
    // Before reading the membership: a role change running alongside waits, or this waits for it, so an
    // elevation never commits after a role change ended the member's elevations (see Database.lockMembership).
    await stores.db.lockMembership(org, userId);
    const checked = await this.check(org, userId, payload);
    if (!checked.ok) return checked;
    const base = await stores.memberships.get(org, userId);
    if (!base) return fail('forbidden', 'Only an active member can be elevated.');
    const now = clock.now();
    const row: Omit<ElevationRow, 'organization_id'> = {
      id: newId('elv'),
      user_id: userId,
      role: payload.role,
      base_role: base.role,
      reason: payload.reason,
      environment: tenant.environment,
      request_id: requestId,
      started_at: now,
      ends_at: now + payload.durationMinutes * 60_000,
      ended_at: null,
      end_reason: null,
      ended_by: null,
    };
    await stores.elevations.insert(org, row);
    await recordInBothLogs(auditLog, org, context, {
      action: 'member.elevate',
      resource: { type: 'user', id: userId },
      change: {
        before: { role: base.role },
        after: {
          role: payload.role,
          elevation: row.id,
          until: iso(row.ends_at),
          reason: payload.reason,
          request: requestId,
        },
      },
    });
    return ok(toElevation({ ...row, organization_id: org.organizationId }, now));
  }

  list(org: OrgScope, all: boolean): Promise<Elevation[]> {
    const now = this.ctx.clock.now();
    return this.ctx.stores.elevations
      .list(org, now, all)
      .then((rows) => rows.map((r) => toElevation(r, now)));
  }

  /** An administrator ends an elevation early (direct: it lowers access, so it needs no approval). */
  async endEarly(org: OrgScope, id: string, by: string, context: AuditContext): Promise<Result<Elevation>> {
    const { stores, clock } = this.ctx;
    return stores.db.inTenant(org, async (): Promise<Result<Elevation>> => {
      const row = await stores.elevations.get(org, id);
      if (!row) return fail('not-found', 'Elevation not found.');
      const now = clock.now();
      if (row.ended_at !== null || row.ends_at <= now)
        return fail('conflict', 'This elevation has already ended.');
      await this.#end(org, row, now, 'ended-early', by, context);
      return ok(toElevation((await stores.elevations.get(org, id)) as ElevationRow, now));
    });
  }

  /** Ends what a person holds when their membership changes (role change, suspension, removal). */
  async endFor(
    org: OrgScope,
    userId: string,
    reason: EndReason,
    by: string,
    context: AuditContext,
  ): Promise<void> {
    const now = this.ctx.clock.now();
    for (const row of await this.ctx.stores.elevations.unended(org, userId)) {
      // One that lapsed before this moment ended when its time ran out, whatever happens now.
      if (row.ends_at <= now) await this.#end(org, row, row.ends_at, 'expired', 'platform', systemContext);
      else await this.#end(org, row, now, reason, by, context);
    }
  }

  /**
   * The sweeper's work: records the end of every elevation whose time has run out (the role already
   * reverted at that moment), at that moment. Returns how many it recorded.
   */
  async sweep(): Promise<number> {
    const { stores, clock } = this.ctx;
    let recorded = 0;
    for (const row of await stores.elevations.lapsed(clock.now())) {
      const org = await stores.organizations.findById(row.organization_id);
      if (!org) continue;
      const scope = orgScope(org.id, org.slug);
      await stores.db.inTenant(scope, async () => {
        const fresh = await stores.elevations.get(scope, row.id);
        if (!fresh || fresh.ended_at !== null) return;
        await this.#end(scope, fresh, fresh.ends_at, 'expired', 'platform', systemContext);
        recorded++;
      });
    }
    return recorded;
  }

  async #end(
    org: OrgScope,
    row: ElevationRow,
    at: number,
    reason: EndReason,
    by: string,
    context: AuditContext,
  ): Promise<void> {
    const { stores, auditLog } = this.ctx;
    if (!(await stores.elevations.end(org, row.id, at, reason, by))) return;
    const member = await stores.memberships.get(org, row.user_id);
    await recordInBothLogs(auditLog, org, context, {
      action: 'member.elevation_end',
      resource: { type: 'user', id: row.user_id },
      change: {
        before: { role: row.role, elevation: row.id },
        after: { role: member?.role ?? null, reason, endedAt: iso(at) },
      },
    });
  }
}

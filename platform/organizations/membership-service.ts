import { UNUSED_GRANT_DAYS } from '../../shared/api/lifecycle';
import type { Member } from '../../shared/api/organizations';
import type { RoleName } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import type { MemberRow } from '../db/memberships';
import type { OrgScope } from '../db/scope';
import { ElevationService } from '../elevations/elevation-service';
import { recordInBothLogs } from '../lifecycle/membership-facts';

const DAY_MS = 24 * 3600 * 1000;

/** Unused for 90 days: nothing since `since` (or, never used, since `from`). */
export function unusedFor90Days(lastUsedAt: number | null, from: number, now: number): boolean {
  return (lastUsedAt ?? from) <= now - UNUSED_GRANT_DAYS * DAY_MS;
}

export function toMember(
  row: MemberRow,
  now: number,
  elevation: { id: string; role: RoleName; endsAt: number } | null = null,
): Member {
  return {
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    joinedAt: new Date(row.created_at).toISOString(),
    suspended: row.suspended_at !== null,
    elevation: elevation
      ? { id: elevation.id, role: elevation.role, endsAt: new Date(elevation.endsAt).toISOString() }
      : null,
    lastSignInAt: row.last_sign_in_at === null ? null : new Date(row.last_sign_in_at).toISOString(),
    unused90Days: unusedFor90Days(row.last_sign_in_at, row.created_at, now),
  };
}

export class MembershipService {
  constructor(private readonly ctx: PlatformContext) {}

  async list(scope: OrgScope): Promise<Member[]> {
    const { stores, clock } = this.ctx;
    const now = clock.now();
    const elevations = new Map(
      (await stores.elevations.list(scope, now)).map((e) => [
        e.user_id,
        { id: e.id, role: e.role, endsAt: e.ends_at },
      ]),
    );
    return (await stores.memberships.list(scope)).map((row) =>
      toMember(row, now, elevations.get(row.user_id) ?? null),
    );
  }

  /**
   * Only an owner grants or removes the owner role, and an organization always keeps one owner.
   * `actorRole` is undefined for API keys, which never reach here (they cannot hold members:manage).
   * A change of role ends an elevation in force: the new role is a fresh decision about the person.
   */
  changeRole(
    scope: OrgScope,
    actorRole: RoleName | undefined,
    userId: string,
    role: RoleName,
    context: AuditContext,
  ): Promise<Result<Member>> {
    const { stores, auditLog, clock } = this.ctx;
    return stores.db.inTenant(scope, async (): Promise<Result<Member>> => {
      // Serialized with an elevation granted alongside (ElevationService.grant), which would otherwise
      // commit after this change ended the member's elevations and survive it.
      await stores.db.lockMembership(scope, userId);
      const target = await stores.memberships.get(scope, userId);
      if (!target) return fail('not-found', 'Member not found.');
      const touchesOwner = role === 'owner' || target.role === 'owner';
      if (touchesOwner && actorRole !== 'owner') {
        return fail('forbidden', 'Only an owner can grant or remove the owner role.');
      }
      if (target.role === 'owner' && role !== 'owner' && (await stores.memberships.countOwners(scope)) <= 1) {
        return fail('conflict', 'An organization must keep at least one owner.');
      }
      await stores.memberships.setRole(scope, userId, role);
      // After the new role is set, so that the elevation's end names the role that applies from now.
      await new ElevationService(this.ctx).endFor(scope, userId, 'role-changed', context.actor.id, context);
      // The live entry as it always was, and the same entry in the test log (membership-facts.ts).
      await recordInBothLogs(auditLog, scope, context, {
        action: 'member.role_change',
        resource: { type: 'user', id: userId },
        change: { before: { role: target.role }, after: { role } },
      });
      return ok(toMember({ ...target, role }, clock.now()));
    });
  }
}

import type { Member } from '../../shared/api/organizations';
import type { RoleName } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { AuditLog } from '../audit/audit-log';
import type { MemberRow } from '../db/memberships';
import { type OrgScope, tenantScope } from '../db/scope';
import type { Stores } from '../db/stores';

export function toMember(row: MemberRow): Member {
  return {
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    joinedAt: new Date(row.created_at).toISOString(),
  };
}

export class MembershipService {
  constructor(
    private readonly stores: Stores,
    private readonly audit: AuditLog,
  ) {}

  async list(scope: OrgScope): Promise<Member[]> {
    return (await this.stores.memberships.list(scope)).map(toMember);
  }

  /**
   * Only an owner grants or removes the owner role, and an organization always keeps one owner.
   * `actorRole` is undefined for API keys, which never reach here (they cannot hold members:manage).
   */
  changeRole(
    scope: OrgScope,
    actorRole: RoleName | undefined,
    userId: string,
    role: RoleName,
    context: AuditContext,
  ): Promise<Result<Member>> {
    return this.stores.db.inTenant(scope, async (): Promise<Result<Member>> => {
      const target = await this.stores.memberships.get(scope, userId);
      if (!target) return fail('not-found', 'Member not found.');
      const touchesOwner = role === 'owner' || target.role === 'owner';
      if (touchesOwner && actorRole !== 'owner') {
        return fail('forbidden', 'Only an owner can grant or remove the owner role.');
      }
      if (
        target.role === 'owner' &&
        role !== 'owner' &&
        (await this.stores.memberships.countOwners(scope)) <= 1
      ) {
        return fail('conflict', 'An organization must keep at least one owner.');
      }
      await this.stores.memberships.setRole(scope, userId, role);
      // Organization-wide changes are recorded in the organization's live log.
      await this.audit.append(tenantScope(scope, 'live'), context, {
        action: 'member.role_change',
        resource: { type: 'user', id: userId },
        change: { before: { role: target.role }, after: { role } },
      });
      return ok(toMember({ ...target, role }));
    });
  }
}

import type { Kysely } from 'kysely';
import type { RoleName } from '../../shared/domain/permissions';
import type { Database } from './database';
import { type OrgScope, orgFilter } from './scope';
import type { Tables } from './tables';

export interface MemberRow {
  user_id: string;
  email: string;
  display_name: string;
  role: RoleName;
  created_at: number;
}

export class MembershipStore {
  constructor(private readonly db: Database) {}

  /**
   * Used by the access layer to decide whether a scope may be granted at all, so before there is one: a
   * platform read of one organization's membership.
   */
  async roleOf(organizationId: string, userId: string): Promise<RoleName | undefined> {
    const row = await this.db.platform((q) =>
      q
        .selectFrom('memberships')
        .select('role')
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    );
    return row?.role;
  }

  async add(scope: OrgScope, userId: string, role: RoleName, now: number): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('memberships')
        .values({ organization_id: scope.organizationId, user_id: userId, role, created_at: now })
        .execute(),
    );
  }

  list(scope: OrgScope): Promise<MemberRow[]> {
    return this.db.tenant(scope, (q) => this.#select(q, scope).orderBy('u.email').execute());
  }

  get(scope: OrgScope, userId: string): Promise<MemberRow | undefined> {
    return this.db.tenant(scope, (q) =>
      this.#select(q, scope).where('m.user_id', '=', userId).executeTakeFirst(),
    );
  }

  async setRole(scope: OrgScope, userId: string, role: RoleName): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .updateTable('memberships')
        .set({ role })
        .where(orgFilter(scope))
        .where('user_id', '=', userId)
        .execute(),
    );
  }

  async countOwners(scope: OrgScope): Promise<number> {
    const row = await this.db.tenant(scope, (q) =>
      q
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(orgFilter(scope))
        .where('role', '=', 'owner')
        .executeTakeFirst(),
    );
    return Number(row?.n ?? 0);
  }

  #select(q: Kysely<Tables>, scope: OrgScope) {
    return q
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'u.email', 'u.display_name', 'm.role', 'm.created_at'])
      .where(orgFilter(scope, 'm'));
  }
}

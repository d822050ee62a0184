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
  suspended_at: number | null;
  last_sign_in_at: number | null;
}

/** A person's standing in one organization at one moment: what the access layer decides from. */
export interface Standing {
  /** The membership's own role. */
  readonly baseRole: RoleName;
  /** The role in force: an elevation's while it lasts, the membership's otherwise. */
  readonly role: RoleName;
  readonly suspendedAt: number | null;
  readonly elevation: { readonly id: string; readonly role: RoleName; readonly endsAt: number } | null;
}

export class MembershipStore {
  constructor(private readonly db: Database) {}

  /**
   * Used by the access layer to decide whether a scope may be granted at all, so before there is one: a
   * platform read of one person's membership of one organization, with the elevation in force at `now`.
   * An elevation whose time has run out is not in force, whether or not its end was recorded yet: the
   * role reverts at the moment it ends, and the sweeper only writes the record.
   */
  async standing(organizationId: string, userId: string, now: number): Promise<Standing | undefined> {
    const row = await this.db.platform((q) =>
      q
        .selectFrom('memberships as m')
        .leftJoin('elevations as e', (join) =>
          join
            .onRef('e.organization_id', '=', 'm.organization_id')
            .onRef('e.user_id', '=', 'm.user_id')
            .on('e.ended_at', 'is', null)
            .on('e.ends_at', '>', now),
        )
        .select(['m.role', 'm.suspended_at', 'e.id as elevation_id', 'e.role as elevated', 'e.ends_at'])
        .where('m.organization_id', '=', organizationId)
        .where('m.user_id', '=', userId)
        .orderBy('e.ends_at', 'desc')
        .executeTakeFirst(),
    );
    if (!row) return undefined;
    const elevation =
      row.elevation_id && row.elevated && row.ends_at !== null
        ? { id: row.elevation_id, role: row.elevated, endsAt: Number(row.ends_at) }
        : null;
    return {
      baseRole: row.role,
      role: elevation?.role ?? row.role,
      suspendedAt: row.suspended_at,
      elevation,
    };
  }

  /** The role a person acts with now: undefined when not a member, or while suspended. */
  async roleOf(organizationId: string, userId: string, now: number): Promise<RoleName | undefined> {
    const standing = await this.standing(organizationId, userId, now);
    return standing && standing.suspendedAt === null ? standing.role : undefined;
  }

  async add(scope: OrgScope, userId: string, role: RoleName, now: number): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('memberships')
        .values({
          organization_id: scope.organizationId,
          user_id: userId,
          role,
          created_at: now,
          suspended_at: null,
        })
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

  /** Suspends (a time) or resumes (null); false when the member was already in that state. */
  async setSuspended(scope: OrgScope, userId: string, at: number | null): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('memberships')
        .set({ suspended_at: at })
        .where(orgFilter(scope))
        .where('user_id', '=', userId)
        .where('suspended_at', at === null ? 'is not' : 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  /** Ends a membership. The person's row stays: history keeps their name (the directory marks them removed). */
  async remove(scope: OrgScope, userId: string): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q.deleteFrom('memberships').where(orgFilter(scope)).where('user_id', '=', userId).executeTakeFirst(),
    );
    return result.numDeletedRows === 1n;
  }

  async countOwners(scope: OrgScope): Promise<number> {
    const row = await this.db.tenant(scope, (q) =>
      q
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(orgFilter(scope))
        .where('role', '=', 'owner')
        .where('suspended_at', 'is', null)
        .executeTakeFirst(),
    );
    return Number(row?.n ?? 0);
  }

  #select(q: Kysely<Tables>, scope: OrgScope) {
    return q
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select([
        'm.user_id',
        'u.email',
        'u.display_name',
        'm.role',
        'm.created_at',
        'm.suspended_at',
        'u.last_sign_in_at',
      ])
      .where(orgFilter(scope, 'm'));
  }
}

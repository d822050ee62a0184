import type { Database } from './database';
import { type OrgScope, orgFilter } from './scope';
import type { ElevationsTable } from './tables';

export type ElevationRow = ElevationsTable;

/** Time-limited roles. A row is in force while `ended_at` is null and `ends_at` is still ahead. */
export class ElevationStore {
  constructor(private readonly db: Database) {}

  async insert(scope: OrgScope, row: Omit<ElevationRow, 'organization_id'>): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('elevations')
        .values({ organization_id: scope.organizationId, ...row })
        .execute(),
    );
  }

  get(scope: OrgScope, id: string): Promise<ElevationRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q.selectFrom('elevations').selectAll().where(orgFilter(scope)).where('id', '=', id).executeTakeFirst(),
    );
  }

  /** Elevations in force at `now`, or (with `all`) the newest 500 of every state. */
  list(scope: OrgScope, now: number, all = false): Promise<ElevationRow[]> {
    return this.db.tenant(scope, (q) => {
      let query = q.selectFrom('elevations').selectAll().where(orgFilter(scope));
      if (!all) query = query.where('ended_at', 'is', null).where('ends_at', '>', now);
      return query.orderBy('started_at', 'desc').orderBy('id').limit(500).execute();
    });
  }

  /** The person's elevation whose end is not recorded yet (in force, or lapsed and waiting for the sweeper). */
  unended(scope: OrgScope, userId: string): Promise<ElevationRow[]> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('elevations')
        .selectAll()
        .where(orgFilter(scope))
        .where('user_id', '=', userId)
        .where('ended_at', 'is', null)
        .execute(),
    );
  }

  /** Records an end once; false when it was recorded already. */
  async end(scope: OrgScope, id: string, at: number, reason: string, by: string): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('elevations')
        .set({ ended_at: at, end_reason: reason, ended_by: by })
        .where(orgFilter(scope))
        .where('id', '=', id)
        .where('ended_at', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  /** Platform maintenance across organizations: lapsed elevations whose end is not recorded yet. */
  lapsed(now: number): Promise<ElevationRow[]> {
    return this.db.platform((q) =>
      q
        .selectFrom('elevations')
        .selectAll()
        .where('ended_at', 'is', null)
        .where('ends_at', '<=', now)
        .orderBy('ends_at')
        .limit(500)
        .execute(),
    );
  }
}

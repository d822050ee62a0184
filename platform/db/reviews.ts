import type { Database } from './database';
import { type OrgScope, orgFilter } from './scope';
import type { ReviewCampaignsTable, ReviewItemsTable } from './tables';

export type CampaignRow = Omit<ReviewCampaignsTable, 'organization_id'>;
export type ReviewItemRow = Omit<ReviewItemsTable, 'organization_id'>;

export interface ItemFilter {
  readonly reviewerId?: string;
  readonly campaignId?: string;
  readonly state?: 'undecided' | 'decided';
  readonly subjectType?: ReviewItemRow['subject_type'];
  /** Keyset cursor: items after (campaign_id, seq). */
  readonly after?: { readonly campaignId: string; readonly seq: number };
  readonly limit: number;
}

/** Access-review campaigns and their items, an organization's rows. */
export class ReviewStore {
  constructor(private readonly db: Database) {}

  async insertCampaign(scope: OrgScope, row: CampaignRow): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('review_campaigns')
        .values({ organization_id: scope.organizationId, ...row })
        .execute(),
    );
  }

  async insertItems(scope: OrgScope, rows: readonly ReviewItemRow[]): Promise<void> {
    // In slices: SQLite limits the variables of one statement.
    for (let i = 0; i < rows.length; i += 50) {
      const slice = rows.slice(i, i + 50).map((row) => ({ organization_id: scope.organizationId, ...row }));
      await this.db.tenant(scope, (q) => q.insertInto('review_items').values(slice).execute());
    }
  }

  getCampaign(scope: OrgScope, id: string): Promise<CampaignRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('review_campaigns')
        .selectAll()
        .where(orgFilter(scope))
        .where('id', '=', id)
        .executeTakeFirst(),
    );
  }

  listCampaigns(scope: OrgScope): Promise<CampaignRow[]> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('review_campaigns')
        .selectAll()
        .where(orgFilter(scope))
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(200)
        .execute(),
    );
  }

  /** Closes a campaign once; false when it was closed already. */
  async close(
    scope: OrgScope,
    id: string,
    at: number,
    reason: NonNullable<CampaignRow['close_reason']>,
    by: string,
    pack: string,
  ): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('review_campaigns')
        .set({ closed_at: at, close_reason: reason, closed_by: by, pack })
        .where(orgFilter(scope))
        .where('id', '=', id)
        .where('closed_at', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  /** Platform maintenance: open campaigns past their deadline, or with nothing left to decide. */
  dueToClose(now: number): Promise<(CampaignRow & { organization_id: string })[]> {
    return this.db.platform((q) =>
      q
        .selectFrom('review_campaigns as c')
        .selectAll('c')
        .where('c.closed_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb('c.deadline', '<=', now),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('review_items as i')
                  .select('i.id')
                  .whereRef('i.organization_id', '=', 'c.organization_id')
                  .whereRef('i.campaign_id', '=', 'c.id')
                  .where('i.decision', 'is', null),
              ),
            ),
          ]),
        )
        .orderBy('c.deadline')
        .limit(100)
        .execute(),
    );
  }

  getItem(scope: OrgScope, campaignId: string, id: string): Promise<ReviewItemRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('review_items')
        .selectAll()
        .where(orgFilter(scope))
        .where('campaign_id', '=', campaignId)
        .where('id', '=', id)
        .executeTakeFirst(),
    );
  }

  items(scope: OrgScope, filter: ItemFilter): Promise<ReviewItemRow[]> {
    return this.db.tenant(scope, (q) => {
      let query = q.selectFrom('review_items').selectAll().where(orgFilter(scope));
      if (filter.reviewerId) query = query.where('reviewer_id', '=', filter.reviewerId);
      if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId);
      if (filter.subjectType) query = query.where('subject_type', '=', filter.subjectType);
      if (filter.state === 'undecided') query = query.where('decision', 'is', null);
      if (filter.state === 'decided') query = query.where('decision', 'is not', null);
      const after = filter.after;
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb('campaign_id', '>', after.campaignId),
            eb.and([eb('campaign_id', '=', after.campaignId), eb('seq', '>', after.seq)]),
          ]),
        );
      }
      return query.orderBy('campaign_id').orderBy('seq').limit(filter.limit).execute();
    });
  }

  /** Records a reviewer's decision once, with the request it raised; false when it was decided already. */
  async decide(
    scope: OrgScope,
    campaignId: string,
    id: string,
    decision: Pick<
      ReviewItemRow,
      'decision' | 'reason' | 'new_role' | 'decided_at' | 'request_id' | 'request_environment'
    >,
  ): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('review_items')
        .set(decision)
        .where(orgFilter(scope))
        .where('campaign_id', '=', campaignId)
        .where('id', '=', id)
        .where('decision', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  /** The item that raised a request, if an access review did. */
  itemForRequest(scope: OrgScope, requestId: string): Promise<ReviewItemRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('review_items')
        .selectAll()
        .where(orgFilter(scope))
        .where('request_id', '=', requestId)
        .executeTakeFirst(),
    );
  }
}

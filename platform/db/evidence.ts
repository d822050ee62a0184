import { type Kysely, sql } from 'kysely';
import type { EvidenceStatus } from '../../shared/evidence/period';
import type { Database } from './database';
import { type TenantScope, tenantColumns, tenantFilter } from './scope';
import type { EvidenceTable, Tables } from './tables';

export type EvidenceRowOfTenant = EvidenceTable;

export type EvidenceRow = Omit<EvidenceTable, 'organization_id' | 'environment'>;

/** A row with the live newer version that replaces it, if any. */
export type EvidenceRecordRow = EvidenceRow & { superseded_by: string | null };

/** What the tenant's evidence may be narrowed to; `today` and `soon` are the days status is judged on. */
export interface CatalogFilter {
  readonly nameContains?: string;
  readonly requestId?: string;
  readonly mediaType?: string;
  readonly uploaderId?: string;
  readonly overlapsFrom?: string;
  readonly overlapsTo?: string;
  readonly status?: EvidenceStatus;
  readonly today: string;
  /** The last day that still counts as expiring soon. */
  readonly soon: string;
  /** Continue after this file (newest first: older upload time, or the same time and a smaller id). */
  readonly after?: { readonly createdAt: number; readonly id: string };
  readonly limit: number;
}

/** `text` for a LIKE pattern that matches it literally anywhere: its own % and _ are escaped. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * An evidence row with the request it belongs to: the one it was uploaded to, or the one it was attached
 * to when that request was raised (approval_evidence). Readers see one `request_id` either way: of two
 * result columns with one name, both drivers keep the last (evidence-attachment.test.ts holds it to that),
 * so every other column of the row comes through as it is.
 */
function selectEvidence(q: Kysely<Tables>, scope: TenantScope) {
  return q
    .selectFrom('evidence as e')
    .leftJoin('approval_evidence as a', 'a.evidence_id', 'e.id')
    .selectAll('e')
    .select((eb) => eb.fn.coalesce('e.request_id', 'a.request_id').as('request_id'))
    .where(tenantFilter(scope, 'e'));
}

/**
 * Evidence with its request (as selectEvidence) and its live successor: a newer version uploaded to
 * replace it and not deleted since. At most one such version exists (the unique index
 * evidence_one_successor, migration 0031), so the join never repeats a row.
 */
function selectRecords(q: Kysely<Tables>, scope: TenantScope) {
  return selectEvidence(q, scope)
    .leftJoin('evidence as s', (join) =>
      join
        .onRef('s.supersedes', '=', 'e.id')
        .onRef('s.organization_id', '=', 'e.organization_id')
        .onRef('s.environment', '=', 'e.environment')
        .on('s.deleted_at', 'is', null),
    )
    .select('s.id as superseded_by');
}

export class EvidenceStore {
  constructor(private readonly db: Database) {}

  /**
   * Maintenance across tenants: live rows whose bytes are still in the old clear, shared layout (from
   * before evidence was encrypted per tenant), at most 100 at a time. Each row names its own tenant.
   */
  unsealed(): Promise<EvidenceRowOfTenant[]> {
    return this.db.platform((q) =>
      q
        .selectFrom('evidence')
        .selectAll()
        .where('blob_address', 'is', null)
        .where('deleted_at', 'is', null)
        .orderBy('created_at')
        .limit(100)
        .execute(),
    );
  }

  /** Records where a row's bytes now live, encrypted; only ever from null (the trigger leaves these columns). */
  async markSealed(scope: TenantScope, id: string, address: string, keyVersion: number): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .updateTable('evidence')
        .set({ blob_address: address, key_version: keyVersion })
        .where(tenantFilter(scope))
        .where('id', '=', id)
        .where('blob_address', 'is', null)
        .execute(),
    );
  }

  /**
   * Writes a file's row; false, writing nothing, when it supersedes a file that already has a live newer
   * version. The database decides that (unique index evidence_one_successor), so two uploads that both
   * passed the service's check cannot both win. The conflict is absorbed (ON CONFLICT DO NOTHING on that
   * index alone) rather than caught: a caught unique violation would leave a PostgreSQL transaction aborted.
   */
  async insert(scope: TenantScope, row: EvidenceRow): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .insertInto('evidence')
        .values({ ...tenantColumns(scope), ...row })
        .onConflict((oc) =>
          oc
            .columns(['organization_id', 'environment', 'supersedes'])
            .where('supersedes', 'is not', null)
            .where('deleted_at', 'is', null)
            .doNothing(),
        )
        .executeTakeFirst(),
    );
    return result.numInsertedOrUpdatedRows === 1n;
  }

  /** Binds an unattached file to a request; a file already attached makes this throw (its primary key). */
  async attach(scope: TenantScope, evidenceId: string, requestId: string, now: number): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('approval_evidence')
        .values({ ...tenantColumns(scope), evidence_id: evidenceId, request_id: requestId, attached_at: now })
        .execute(),
    );
  }

  get(scope: TenantScope, id: string): Promise<EvidenceRow | undefined> {
    return this.db.tenant(scope, (q) => selectEvidence(q, scope).where('e.id', '=', id).executeTakeFirst());
  }

  forRequest(scope: TenantScope, requestId: string): Promise<EvidenceRow[]> {
    return this.db.tenant(scope, (q) =>
      selectEvidence(q, scope)
        .where('e.deleted_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb('e.id', 'in', (sub) =>
              sub
                .selectFrom('evidence')
                .select('id')
                .where(tenantFilter(scope))
                .where('request_id', '=', requestId),
            ),
            eb('e.id', 'in', (sub) =>
              sub
                .selectFrom('approval_evidence')
                .select('evidence_id')
                .where(tenantFilter(scope))
                .where('request_id', '=', requestId),
            ),
          ]),
        )
        .orderBy('e.created_at')
        .orderBy('e.id')
        .execute(),
    );
  }

  library(scope: TenantScope): Promise<EvidenceRow[]> {
    return this.db.tenant(scope, (q) =>
      selectEvidence(q, scope)
        .where('e.request_id', 'is', null)
        .where('a.request_id', 'is', null)
        .where('e.deleted_at', 'is', null)
        .orderBy('e.created_at', 'desc')
        .orderBy('e.id')
        .limit(500)
        .execute(),
    );
  }

  /** One live or deleted file with its successor; undefined when the tenant has no such file. */
  record(scope: TenantScope, id: string): Promise<EvidenceRecordRow | undefined> {
    return this.db.tenant(scope, (q) =>
      selectRecords(q, scope).where('e.id', '=', id).executeTakeFirst(),
    ) as Promise<EvidenceRecordRow | undefined>;
  }

  /** The tenant's live evidence, newest first, narrowed by `filter`; one more row than `limit` tells a next page. */
  catalog(scope: TenantScope, filter: CatalogFilter): Promise<EvidenceRecordRow[]> {
    return this.db.tenant(scope, (q) => {
      let query = selectRecords(q, scope).where('e.deleted_at', 'is', null);
      if (filter.nameContains)
        query = query.where(
          sql<boolean>`lower(${sql.ref('e.name')}) like ${containsPattern(filter.nameContains)} escape '\\'`,
        );
      if (filter.requestId)
        query = query.where((eb) => eb.fn.coalesce('e.request_id', 'a.request_id'), '=', filter.requestId);
      if (filter.mediaType) query = query.where('e.media_type', '=', filter.mediaType);
      if (filter.uploaderId) query = query.where('e.uploader_id', '=', filter.uploaderId);
      // Overlap: the file's period starts on or before the range ends, and ends on or after it starts.
      if (filter.overlapsTo) query = query.where('e.period_from', '<=', filter.overlapsTo);
      if (filter.overlapsFrom) query = query.where('e.period_to', '>=', filter.overlapsFrom);
      switch (filter.status) {
        case 'superseded':
          query = query.where('s.id', 'is not', null);
          break;
        case 'expired':
          query = query.where('s.id', 'is', null).where('e.expires_on', '<', filter.today);
          break;
        case 'expiring':
          query = query
            .where('s.id', 'is', null)
            .where('e.expires_on', '>=', filter.today)
            .where('e.expires_on', '<=', filter.soon);
          break;
        case 'current':
          query = query
            .where('s.id', 'is', null)
            .where((eb) => eb.or([eb('e.expires_on', 'is', null), eb('e.expires_on', '>', filter.soon)]));
          break;
        default:
      }
      const after = filter.after;
      if (after)
        query = query.where((eb) =>
          eb.or([
            eb('e.created_at', '<', after.createdAt),
            eb.and([eb('e.created_at', '=', after.createdAt), eb('e.id', '<', after.id)]),
          ]),
        );
      return query
        .orderBy('e.created_at', 'desc')
        .orderBy('e.id', 'desc')
        .limit(filter.limit + 1)
        .execute() as Promise<EvidenceRecordRow[]>;
    });
  }

  /** The periods of the live, not superseded files that overlap the days from `from` to `to`. */
  periodsOverlapping(
    scope: TenantScope,
    from: string,
    to: string,
  ): Promise<{ period_from: string | null; period_to: string | null }[]> {
    return this.db.tenant(scope, (q) =>
      selectRecords(q, scope)
        .clearSelect()
        .select(['e.period_from', 'e.period_to'])
        .where('e.deleted_at', 'is', null)
        .where('s.id', 'is', null)
        .where('e.period_from', '<=', to)
        .where('e.period_to', '>=', from)
        .execute(),
    );
  }

  /** The live, not superseded files expiring on `today` or later, soonest first. */
  expiringFrom(scope: TenantScope, today: string, limit: number): Promise<EvidenceRecordRow[]> {
    return this.db.tenant(scope, (q) =>
      selectRecords(q, scope)
        .where('e.deleted_at', 'is', null)
        .where('s.id', 'is', null)
        .where('e.expires_on', '>=', today)
        .orderBy('e.expires_on')
        .orderBy('e.id')
        .limit(limit)
        .execute(),
    ) as Promise<EvidenceRecordRow[]>;
  }

  async markDeleted(scope: TenantScope, id: string, now: number): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('evidence')
        .set({ deleted_at: now })
        .where(tenantFilter(scope))
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  /** A blob is shared by every row of its tenant with the same file, and stays while any does. */
  async liveCopies(scope: TenantScope, address: string): Promise<number> {
    const row = await this.db.tenant(scope, (q) =>
      q
        .selectFrom('evidence')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(tenantFilter(scope))
        .where('blob_address', '=', address)
        .where('deleted_at', 'is', null)
        .executeTakeFirst(),
    );
    return Number(row?.n ?? 0);
  }
}

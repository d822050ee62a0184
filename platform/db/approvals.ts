import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from './database';
import { type TenantScope, tenantColumns, tenantFilter } from './scope';
import type { ApprovalDecisionsTable, ApprovalRequestsTable, Tables } from './tables';

export type ApprovalRow = Omit<ApprovalRequestsTable, 'organization_id' | 'environment'>;

/** A request as read back: with the newest request that reverses it, if any. */
export interface ApprovalRecord extends ApprovalRow {
  reversed_by: string | null;
}

export interface ApprovalListRow extends ApprovalRecord {
  approvals: number;
}

export type DecisionRow = Omit<ApprovalDecisionsTable, 'organization_id' | 'environment'>;

export interface ListFilter {
  readonly statuses: readonly ApprovalRow['status'][];
  readonly lane?: string;
  readonly kind?: string;
  /** Pending requests this person may still decide: not theirs, not yet decided by them. */
  readonly toDecideBy?: string;
  readonly text?: string;
  /** Keyset cursor: rows older than (created_at, id). */
  readonly before?: { createdAt: number; id: string };
  readonly limit: number;
}

type WithRequest = ExpressionBuilder<Tables & { r: ApprovalRequestsTable }, 'r'>;

/** The newest request that reverses `r`. */
function reversedBy(eb: WithRequest) {
  return eb
    .selectFrom('approval_requests as x')
    .select('x.id')
    .whereRef('x.organization_id', '=', 'r.organization_id')
    .whereRef('x.environment', '=', 'r.environment')
    .whereRef('x.reverses', '=', 'r.id')
    .orderBy('x.created_at', 'desc')
    .orderBy('x.id', 'desc')
    .limit(1)
    .as('reversed_by');
}

/** How many approvals `r` has. */
function approvalCount(eb: WithRequest) {
  return eb
    .selectFrom('approval_decisions as d')
    .select((d) => d.fn.countAll<number>().as('n'))
    .whereRef('d.organization_id', '=', 'r.organization_id')
    .whereRef('d.environment', '=', 'r.environment')
    .whereRef('d.request_id', '=', 'r.id')
    .where('d.decision', '=', 'approve')
    .as('approvals');
}

const DECISION_COLUMNS = [
  'd.request_id',
  'd.approver_id',
  'd.decision',
  'd.comment',
  'd.device_key_id',
  'd.signed',
  'd.signature',
  'd.idempotency_key',
  'd.decided_at',
] as const;

/** The words of a search as people type them: letters and digits, never query syntax. */
function searchWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

export class ApprovalStore {
  constructor(private readonly db: Database) {}

  dueForExpiry(scope: TenantScope, now: number): Promise<ApprovalRow[]> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('approval_requests')
        .selectAll()
        .where(tenantFilter(scope))
        .where('status', '=', 'pending')
        .where('expires_at', '<=', now)
        .limit(1000)
        .execute(),
    );
  }

  async insert(scope: TenantScope, row: ApprovalRow): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('approval_requests')
        .values({ ...tenantColumns(scope), ...row })
        .execute(),
    );
  }

  get(scope: TenantScope, id: string): Promise<ApprovalRecord | undefined> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('approval_requests as r')
        .selectAll('r')
        .select(reversedBy)
        .where(tenantFilter(scope, 'r'))
        .where('r.id', '=', id)
        .executeTakeFirst(),
    );
  }

  /** Closes a pending request; false when it was no longer pending (someone else closed it first). */
  async close(
    scope: TenantScope,
    id: string,
    status: ApprovalRow['status'],
    now: number,
    outcome: string | null,
  ): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('approval_requests')
        .set({ status, closed_at: now, outcome })
        .where(tenantFilter(scope))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  decisions(scope: TenantScope, requestId: string): Promise<DecisionRow[]> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('approval_decisions as d')
        .select(DECISION_COLUMNS)
        .where(tenantFilter(scope, 'd'))
        .where('d.request_id', '=', requestId)
        .orderBy('d.decided_at')
        .orderBy('d.approver_id')
        .execute(),
    );
  }

  /** Written only for a request the caller has just read within `scope`. */
  async insertDecision(scope: TenantScope, row: DecisionRow): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('approval_decisions')
        .values({ ...tenantColumns(scope), ...row })
        .execute(),
    );
  }

  decisionByIdempotencyKey(
    scope: TenantScope,
    requestId: string,
    key: string,
  ): Promise<DecisionRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('approval_decisions as d')
        .select(DECISION_COLUMNS)
        .where(tenantFilter(scope, 'd'))
        .where('d.request_id', '=', requestId)
        .where('d.idempotency_key', '=', key)
        .executeTakeFirst(),
    );
  }

  /** Written only for a request the caller has just read within `scope`. */
  async insertComment(
    scope: TenantScope,
    id: string,
    requestId: string,
    authorId: string,
    body: string,
    now: number,
  ): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('approval_comments')
        .values({
          ...tenantColumns(scope),
          id,
          request_id: requestId,
          author_id: authorId,
          body,
          created_at: now,
        })
        .execute(),
    );
  }

  /** Written only for a request the caller has just read within `scope`. */
  async putResult(scope: TenantScope, requestId: string, sealed: Buffer): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('approval_results')
        .values({ ...tenantColumns(scope), request_id: requestId, sealed, read_at: null })
        .execute(),
    );
  }

  /** The sealed result, once: the row keeps only the time it was read. */
  takeResult(scope: TenantScope, requestId: string, now: number): Promise<Buffer | undefined> {
    return this.db.inTenant(scope, () =>
      this.db.tenant(scope, async (q) => {
        // Taken by the update itself, so two takers (two platform processes) cannot both read it.
        const row = await q
          .selectFrom('approval_results')
          .select('sealed')
          .where(tenantFilter(scope))
          .where('request_id', '=', requestId)
          .where('sealed', 'is not', null)
          .executeTakeFirst();
        if (!row?.sealed) return undefined;
        const taken = await q
          .updateTable('approval_results')
          .set({ sealed: null, read_at: now })
          .where(tenantFilter(scope))
          .where('request_id', '=', requestId)
          .where('sealed', 'is not', null)
          .executeTakeFirst();
        return taken.numUpdatedRows === 1n ? row.sealed : undefined;
      }),
    );
  }

  async list(scope: TenantScope, filter: ListFilter): Promise<ApprovalListRow[]> {
    const rows = await this.db.tenant(scope, (q) => this.#list(q, scope, filter).execute());
    return rows.map((row) => ({ ...row, approvals: Number(row.approvals ?? 0) }));
  }

  #list(q: Kysely<Tables>, scope: TenantScope, filter: ListFilter) {
    const text = filter.text;
    const words = text ? searchWords(text) : [];
    // An exact request id, or a search with no words in it, looks the id up instead.
    const exact = text ? /^apr_[a-z2-7]{26}$/.test(text.trim()) || words.length === 0 : false;
    let query = (
      text && !exact
        ? q.selectFrom(this.db.engine.searchedApprovals(scope, words))
        : q.selectFrom('approval_requests as r')
    )
      .selectAll('r')
      .select(approvalCount)
      .select(reversedBy)
      .where(tenantFilter(scope, 'r'))
      .where('r.status', 'in', filter.statuses);
    if (exact && text) query = query.where('r.id', '=', text.trim());
    if (filter.lane) query = query.where('r.lane', '=', filter.lane as ApprovalRow['lane']);
    if (filter.kind) query = query.where('r.kind', '=', filter.kind);
    const me = filter.toDecideBy;
    if (me) {
      query = query
        .where('r.status', '=', 'pending')
        .where('r.requester_person_id', '<>', me)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('approval_decisions as d')
                .select('d.request_id')
                .whereRef('d.organization_id', '=', 'r.organization_id')
                .whereRef('d.environment', '=', 'r.environment')
                .whereRef('d.request_id', '=', 'r.id')
                .where('d.approver_id', '=', me),
            ),
          ),
        );
    }
    const before = filter.before;
    if (before) {
      query = query.where((eb) =>
        eb.or([
          eb('r.created_at', '<', before.createdAt),
          eb.and([eb('r.created_at', '=', before.createdAt), eb('r.id', '<', before.id)]),
        ]),
      );
    }
    return query.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(filter.limit);
  }
}

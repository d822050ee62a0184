import type { Db } from './database';
import { TENANT_WHERE, type TenantScope, tenantParams } from './scope';

export interface ApprovalRow {
  id: string;
  kind: string;
  title: string;
  summary: string;
  payload: string;
  payload_sha256: string;
  lane: 'green' | 'yellow' | 'red';
  required_approvals: number;
  status: 'pending' | 'executed' | 'failed' | 'rejected' | 'withdrawn' | 'expired';
  requester_type: string;
  requester_id: string;
  /** The person accountable: the requester, or the creator of the API key that raised it. */
  requester_person_id: string;
  reverses: string | null;
  created_at: number;
  expires_at: number;
  closed_at: number | null;
  outcome: string | null;
}

/** A request as read back: with the newest request that reverses it, if any. */
export interface ApprovalRecord extends ApprovalRow {
  reversed_by: string | null;
}

export interface ApprovalListRow extends ApprovalRecord {
  approvals: number;
}

export interface DecisionRow {
  request_id: string;
  approver_id: string;
  decision: 'approve' | 'reject';
  comment: string;
  device_key_id: string;
  signed: string;
  signature: string;
  idempotency_key: string;
  decided_at: number;
}

export interface ListFilter {
  readonly statuses: readonly string[];
  readonly lane?: string;
  readonly kind?: string;
  /** Pending requests this person may still decide: not theirs, not yet decided by them. */
  readonly toDecideBy?: string;
  readonly text?: string;
  /** Keyset cursor: rows older than (created_at, id). */
  readonly before?: { createdAt: number; id: string };
  readonly limit: number;
}

/** The search as FTS5 terms, each word quoted: what people type, never FTS5 syntax. */
function ftsPhrase(text: string): string | undefined {
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  // Whole words match exactly, which FTS5 can skip through; only the word being typed is a prefix.
  return words.length === 0
    ? undefined
    : words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ');
}

/** The tenant's one token in the search index, as the schema's trigger writes it. */
function searchTenantToken(scope: TenantScope): string {
  return `${scope.organizationId.replaceAll('_', '')}${scope.environment}`;
}

const APPROVALS =
  "(SELECT count(*) FROM approval_decisions d WHERE d.request_id = r.id AND d.decision = 'approve')";
const REVERSED_BY = `(SELECT x.id FROM approval_requests x
  WHERE x.organization_id = r.organization_id AND x.environment = r.environment AND x.reverses = r.id
  ORDER BY x.created_at DESC, x.id DESC LIMIT 1)`;

export class ApprovalStore {
  readonly #insert;
  readonly #get;
  readonly #close;
  readonly #decisions;
  readonly #insertDecision;
  readonly #decisionByKey;
  readonly #insertComment;
  readonly #putResult;
  readonly #takeResult;
  readonly #due;
  readonly #lists = new Map<string, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {
    this.#insert = db.prepare<Record<string, unknown>>(
      `INSERT INTO approval_requests (id, organization_id, environment, kind, title, summary, payload, payload_sha256,
         lane, required_approvals, status, requester_type, requester_id, requester_person_id, reverses, created_at,
         expires_at, closed_at, outcome)
       VALUES (@id, @organization_id, @environment, @kind, @title, @summary, @payload, @payload_sha256, @lane,
         @required_approvals, @status, @requester_type, @requester_id, @requester_person_id, @reverses, @created_at, @expires_at, @closed_at, @outcome)`,
    );
    this.#get = db.prepare<Record<string, unknown>, ApprovalRecord>(
      `SELECT r.*, ${REVERSED_BY} AS reversed_by FROM approval_requests r
       WHERE r.organization_id = @organization_id AND r.environment = @environment AND r.id = @id`,
    );
    this.#close = db.prepare<Record<string, unknown>>(
      `UPDATE approval_requests SET status = @status, closed_at = @closed_at, outcome = @outcome
       WHERE ${TENANT_WHERE} AND id = @id AND status = 'pending'`,
    );
    this.#decisions = db.prepare<[string], DecisionRow>(
      'SELECT * FROM approval_decisions WHERE request_id = ? ORDER BY decided_at, approver_id',
    );
    this.#insertDecision = db.prepare<DecisionRow>(
      `INSERT INTO approval_decisions (request_id, approver_id, decision, comment, device_key_id, signed, signature,
         idempotency_key, decided_at)
       VALUES (@request_id, @approver_id, @decision, @comment, @device_key_id, @signed, @signature, @idempotency_key, @decided_at)`,
    );
    this.#decisionByKey = db.prepare<[string, string], DecisionRow>(
      'SELECT * FROM approval_decisions WHERE request_id = ? AND idempotency_key = ?',
    );
    this.#insertComment = db.prepare<[string, string, string, string, number]>(
      'INSERT INTO approval_comments (id, request_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.#due = db.prepare<Record<string, unknown>, ApprovalRow>(
      `SELECT * FROM approval_requests WHERE ${TENANT_WHERE} AND status = 'pending' AND expires_at <= @now LIMIT 1000`,
    );
    this.#putResult = db.prepare<[string, Buffer]>(
      'INSERT INTO approval_results (request_id, sealed) VALUES (?, ?)',
    );
    const readResult = db.prepare<[string], { sealed: Buffer }>(
      'SELECT sealed FROM approval_results WHERE request_id = ? AND sealed IS NOT NULL',
    );
    const markRead = db.prepare<[number, string]>(
      'UPDATE approval_results SET sealed = NULL, read_at = ? WHERE request_id = ? AND sealed IS NOT NULL',
    );
    this.#takeResult = db.transaction((now: number, requestId: string) => {
      const row = readResult.get(requestId);
      if (row) markRead.run(now, requestId);
      return row?.sealed;
    });
  }

  dueForExpiry(scope: TenantScope, now: number): ApprovalRow[] {
    return this.#due.all({ ...tenantParams(scope), now });
  }

  insert(scope: TenantScope, row: ApprovalRow): void {
    this.#insert.run({ ...tenantParams(scope), ...row });
  }

  get(scope: TenantScope, id: string): ApprovalRecord | undefined {
    return this.#get.get({ ...tenantParams(scope), id });
  }

  /** Closes a pending request; false when it was no longer pending (someone else closed it first). */
  close(
    scope: TenantScope,
    id: string,
    status: ApprovalRow['status'],
    now: number,
    outcome: string | null,
  ): boolean {
    return this.#close.run({ ...tenantParams(scope), id, status, closed_at: now, outcome }).changes === 1;
  }

  /** Decisions of a request already resolved within `scope`. */
  decisions(requestId: string): DecisionRow[] {
    return this.#decisions.all(requestId);
  }

  insertDecision(row: DecisionRow): void {
    this.#insertDecision.run(row);
  }

  decisionByIdempotencyKey(requestId: string, key: string): DecisionRow | undefined {
    return this.#decisionByKey.get(requestId, key);
  }

  insertComment(id: string, requestId: string, authorId: string, body: string, now: number): void {
    this.#insertComment.run(id, requestId, authorId, body, now);
  }

  putResult(requestId: string, sealed: Buffer): void {
    this.#putResult.run(requestId, sealed);
  }

  /** The sealed result, once: the row keeps only the time it was read. */
  takeResult(requestId: string, now: number): Buffer | undefined {
    return this.#takeResult(now, requestId);
  }

  list(scope: TenantScope, filter: ListFilter): ApprovalListRow[] {
    const where = ['r.organization_id = @organization_id AND r.environment = @environment'];
    const params: Record<string, unknown> = { ...tenantParams(scope), limit: filter.limit };
    where.push(`r.status IN (${filter.statuses.map((_, i) => `@s${i}`).join(', ')})`);
    filter.statuses.forEach((s, i) => {
      params[`s${i}`] = s;
    });
    if (filter.lane) {
      where.push('r.lane = @lane');
      params.lane = filter.lane;
    }
    if (filter.kind) {
      where.push('r.kind = @kind');
      params.kind = filter.kind;
    }
    if (filter.toDecideBy) {
      where.push(
        "r.status = 'pending' AND r.requester_person_id <> @me AND NOT EXISTS (SELECT 1 FROM approval_decisions d WHERE d.request_id = r.id AND d.approver_id = @me)",
      );
      params.me = filter.toDecideBy;
    }
    let from = 'approval_requests r';
    if (filter.text) {
      const phrase = ftsPhrase(filter.text);
      if (/^apr_[a-z2-7]{26}$/.test(filter.text.trim()) || !phrase) {
        where.push('r.id = @exact');
        params.exact = filter.text.trim();
      } else {
        // The index matches this tenant's token first, so only its own rows are candidates; the newest
        // 5,000 of them drive the query (a search box, not a report). The tenant filter above still applies.
        from = `(SELECT rowid AS hit FROM approval_search WHERE approval_search MATCH @text ORDER BY rowid DESC
          LIMIT 5000) AS s CROSS JOIN approval_requests r ON r.rowid = s.hit`;
        params.text = `tenant : "${searchTenantToken(scope)}" AND {title summary} : (${phrase})`;
      }
    }
    if (filter.before) {
      where.push('(r.created_at < @beforeAt OR (r.created_at = @beforeAt AND r.id < @beforeId))');
      params.beforeAt = filter.before.createdAt;
      params.beforeId = filter.before.id;
    }
    const sql = `SELECT r.*, ${APPROVALS} AS approvals, ${REVERSED_BY} AS reversed_by FROM ${from}
      WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.id DESC LIMIT @limit`;
    let statement = this.#lists.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#lists.set(sql, statement);
    }
    return statement.all(params) as ApprovalListRow[];
  }
}

import type { Db } from './database';
import { TENANT_WHERE, type TenantScope, tenantParams } from './scope';

export interface AuditEntryRow {
  seq: number;
  ts: number;
  action: string;
  actor_id: string;
  resource_type: string;
  resource_id: string;
  canonical: string;
}

export interface CheckpointRow {
  size: number;
  root: Buffer;
  note: string;
  created_at: number;
}

export interface EntryFilter {
  readonly action?: string;
  readonly actorId?: string;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly fromTs?: number;
  readonly toTs?: number;
}

/** The audit log's rows: entries, the Merkle tree's perfect-subtree nodes, and signed checkpoints. */
export class AuditStore {
  readonly #size;
  readonly #insertEntry;
  readonly #node;
  readonly #insertNode;
  readonly #insertCheckpoint;
  readonly #checkpointAt;
  readonly #latestCheckpoint;
  readonly #checkpointsIn;
  readonly #range;

  constructor(private readonly db: Db) {
    this.#size = db.prepare<Record<string, unknown>, { size: number }>(
      `SELECT coalesce(max(seq) + 1, 0) AS size FROM audit_entries WHERE ${TENANT_WHERE}`,
    );
    this.#insertEntry = db.prepare<Record<string, unknown>>(
      `INSERT INTO audit_entries (organization_id, environment, seq, ts, action, actor_id, resource_type, resource_id, canonical)
       VALUES (@organization_id, @environment, @seq, @ts, @action, @actor_id, @resource_type, @resource_id, @canonical)`,
    );
    this.#node = db
      .prepare<Record<string, unknown>, { hash: Buffer }>(
        `SELECT hash FROM audit_nodes WHERE ${TENANT_WHERE} AND last_leaf = @last_leaf AND level = @level`,
      )
      .pluck();
    this.#insertNode = db.prepare<Record<string, unknown>>(
      `INSERT INTO audit_nodes (organization_id, environment, last_leaf, level, hash)
       VALUES (@organization_id, @environment, @last_leaf, @level, @hash)`,
    );
    this.#insertCheckpoint = db.prepare<Record<string, unknown>>(
      `INSERT OR IGNORE INTO audit_checkpoints (organization_id, environment, size, root, note, created_at)
       VALUES (@organization_id, @environment, @size, @root, @note, @created_at)`,
    );
    this.#checkpointAt = db.prepare<Record<string, unknown>, CheckpointRow>(
      `SELECT size, root, note, created_at FROM audit_checkpoints WHERE ${TENANT_WHERE} AND size = @size`,
    );
    this.#latestCheckpoint = db.prepare<Record<string, unknown>, CheckpointRow>(
      `SELECT size, root, note, created_at FROM audit_checkpoints WHERE ${TENANT_WHERE} ORDER BY size DESC LIMIT 1`,
    );
    this.#checkpointsIn = db.prepare<Record<string, unknown>, CheckpointRow>(
      `SELECT size, root, note, created_at FROM audit_checkpoints
       WHERE ${TENANT_WHERE} AND size > @after AND size <= @upTo ORDER BY size`,
    );
    this.#range = db
      .prepare<Record<string, unknown>, { canonical: string }>(
        `SELECT canonical FROM audit_entries WHERE ${TENANT_WHERE} AND seq >= @start AND seq < @end ORDER BY seq`,
      )
      .pluck();
  }

  size(scope: TenantScope): number {
    return this.#size.get(tenantParams(scope))?.size ?? 0;
  }

  insertEntry(scope: TenantScope, row: AuditEntryRow): void {
    this.#insertEntry.run({ ...tenantParams(scope), ...row });
  }

  /** The node at `level` whose range is the `idx`-th of its width. */
  node(scope: TenantScope, level: number, idx: number): Buffer | undefined {
    return this.#node.get({ ...tenantParams(scope), last_leaf: (idx + 1) * 2 ** level - 1, level }) as
      | Buffer
      | undefined;
  }

  insertNode(scope: TenantScope, level: number, idx: number, hash: Uint8Array): void {
    this.#insertNode.run({ ...tenantParams(scope), last_leaf: (idx + 1) * 2 ** level - 1, level, hash });
  }

  insertCheckpoint(scope: TenantScope, row: CheckpointRow): void {
    this.#insertCheckpoint.run({ ...tenantParams(scope), ...row });
  }

  checkpointAt(scope: TenantScope, size: number): CheckpointRow | undefined {
    return this.#checkpointAt.get({ ...tenantParams(scope), size });
  }

  latestCheckpoint(scope: TenantScope): CheckpointRow | undefined {
    return this.#latestCheckpoint.get(tenantParams(scope));
  }

  /** Checkpoints with a size in (after, upTo], smallest first. */
  /** The first checkpoint published after `seq` was appended (size > seq), if any. */
  firstCheckpointAfter(scope: TenantScope, seq: number): CheckpointRow | undefined {
    return this.#checkpointsIn.get({ ...tenantParams(scope), after: seq, upTo: Number.MAX_SAFE_INTEGER });
  }

  checkpointsIn(scope: TenantScope, after: number, upTo: number): CheckpointRow[] {
    return this.#checkpointsIn.all({ ...tenantParams(scope), after, upTo });
  }

  /** Canonical entry lines [start, end) in order. Callers page through long ranges. */
  lines(scope: TenantScope, start: number, end: number): string[] {
    return this.#range.all({ ...tenantParams(scope), start, end }) as unknown as string[];
  }

  readonly #pages = new Map<string, ReturnType<Db['prepare']>>();

  /** Newest first, filtered; the filters are fixed columns, never caller-written SQL. */
  page(scope: TenantScope, filter: EntryFilter, before: number, limit: number): AuditEntryRow[] {
    const where = [TENANT_WHERE, 'seq < @before'];
    if (filter.action !== undefined) where.push('action = @action');
    if (filter.actorId !== undefined) where.push('actor_id = @actorId');
    if (filter.resourceType !== undefined) where.push('resource_type = @resourceType');
    if (filter.resourceId !== undefined) where.push('resource_id = @resourceId');
    if (filter.fromTs !== undefined) where.push('ts >= @fromTs');
    if (filter.toTs !== undefined) where.push('ts < @toTs');
    const sql = `SELECT seq, ts, action, actor_id, resource_type, resource_id, canonical FROM audit_entries
         WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT @limit`;
    let statement = this.#pages.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#pages.set(sql, statement);
    }
    return statement.all({ ...tenantParams(scope), ...filter, before, limit }) as AuditEntryRow[];
  }
}

import type { Database } from './database';
import { type TenantScope, tenantColumns, tenantFilter } from './scope';
import type { AuditCheckpointsTable, AuditEntriesTable } from './tables';

export type AuditEntryRow = Omit<AuditEntriesTable, 'organization_id' | 'environment'>;

export type CheckpointRow = Omit<AuditCheckpointsTable, 'organization_id' | 'environment'>;

export interface EntryFilter {
  readonly action?: string;
  readonly actorId?: string;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly fromTs?: number;
  readonly toTs?: number;
}

/** A node of the Merkle tree: the perfect subtree at `level` whose range is the `idx`-th of its width. */
export interface NodeAddress {
  readonly level: number;
  readonly idx: number;
}

/** Nodes are keyed by their last leaf: every node an append completes shares it (see the audit_nodes table). */
function lastLeaf({ level, idx }: NodeAddress): number {
  return (idx + 1) * 2 ** level - 1;
}

const CHECKPOINT_COLUMNS = ['size', 'root', 'note', 'created_at'] as const;

/** The audit log's rows: entries, the Merkle tree's perfect-subtree nodes, and signed checkpoints. */
export class AuditStore {
  constructor(private readonly db: Database) {}

  async size(scope: TenantScope): Promise<number> {
    const row = await this.db.tenant(scope, (q) =>
      q
        .selectFrom('audit_entries')
        .select((eb) => eb.fn.max('seq').as('last'))
        .where(tenantFilter(scope))
        .executeTakeFirst(),
    );
    return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
  }

  async insertEntry(scope: TenantScope, row: AuditEntryRow): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('audit_entries')
        .values({ ...tenantColumns(scope), ...row })
        .execute(),
    );
  }

  async node(scope: TenantScope, level: number, idx: number): Promise<Buffer | undefined> {
    const row = await this.db.tenant(scope, (q) =>
      q
        .selectFrom('audit_nodes')
        .select('hash')
        .where(tenantFilter(scope))
        .where('last_leaf', '=', lastLeaf({ level, idx }))
        .where('level', '=', level)
        .executeTakeFirst(),
    );
    return row?.hash;
  }

  /** Several nodes in one statement, by address; absent ones are missing from the map. */
  async nodes(scope: TenantScope, addresses: readonly NodeAddress[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    // Bound parameters stay well under every engine's limit.
    for (let i = 0; i < addresses.length; i += 200) {
      const batch = addresses.slice(i, i + 200);
      const rows = await this.db.tenant(scope, (q) =>
        q
          .selectFrom('audit_nodes')
          .select(['last_leaf', 'level', 'hash'])
          .where(tenantFilter(scope))
          .where((eb) =>
            eb(
              eb.refTuple('last_leaf', 'level'),
              'in',
              batch.map((a) => eb.tuple(lastLeaf(a), a.level)),
            ),
          )
          .execute(),
      );
      for (const row of rows) found.set(`${row.level}/${Number(row.last_leaf)}`, row.hash);
    }
    return found;
  }

  /** The nodes one append completes, in one statement (fewer round trips while the log's lock is held). */
  async insertNodes(
    scope: TenantScope,
    nodes: readonly { level: number; idx: number; hash: Uint8Array }[],
  ): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('audit_nodes')
        .values(
          nodes.map(({ level, idx, hash }) => ({
            ...tenantColumns(scope),
            last_leaf: lastLeaf({ level, idx }),
            level,
            hash: Buffer.from(hash),
          })),
        )
        .execute(),
    );
  }

  /** Stores a checkpoint unless one of that size is stored already (the first signed stays). */
  async insertCheckpoint(scope: TenantScope, row: CheckpointRow): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('audit_checkpoints')
        .values({ ...tenantColumns(scope), ...row })
        .onConflict((oc) => oc.doNothing())
        .execute(),
    );
  }

  checkpointAt(scope: TenantScope, size: number): Promise<CheckpointRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('audit_checkpoints')
        .select(CHECKPOINT_COLUMNS)
        .where(tenantFilter(scope))
        .where('size', '=', size)
        .executeTakeFirst(),
    );
  }

  latestCheckpoint(scope: TenantScope): Promise<CheckpointRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('audit_checkpoints')
        .select(CHECKPOINT_COLUMNS)
        .where(tenantFilter(scope))
        .orderBy('size', 'desc')
        .limit(1)
        .executeTakeFirst(),
    );
  }

  /** The first checkpoint published after `seq` was appended (size > seq), if any. */
  async firstCheckpointAfter(scope: TenantScope, seq: number): Promise<CheckpointRow | undefined> {
    return (await this.checkpointsIn(scope, seq, Number.MAX_SAFE_INTEGER, 1))[0];
  }

  /** Checkpoints with a size in (after, upTo], smallest first. */
  checkpointsIn(scope: TenantScope, after: number, upTo: number, limit?: number): Promise<CheckpointRow[]> {
    return this.db.tenant(scope, (q) => {
      const query = q
        .selectFrom('audit_checkpoints')
        .select(CHECKPOINT_COLUMNS)
        .where(tenantFilter(scope))
        .where('size', '>', after)
        .where('size', '<=', upTo)
        .orderBy('size');
      return (limit === undefined ? query : query.limit(limit)).execute();
    });
  }

  /** Canonical entry lines [start, end) in order. Callers page through long ranges. */
  async lines(scope: TenantScope, start: number, end: number): Promise<string[]> {
    const rows = await this.db.tenant(scope, (q) =>
      q
        .selectFrom('audit_entries')
        .select('canonical')
        .where(tenantFilter(scope))
        .where('seq', '>=', start)
        .where('seq', '<', end)
        .orderBy('seq')
        .execute(),
    );
    return rows.map((row) => row.canonical);
  }

  /** Newest first, filtered; the filters are fixed columns, never caller-written SQL. */
  page(scope: TenantScope, filter: EntryFilter, before: number, limit: number): Promise<AuditEntryRow[]> {
    return this.db.tenant(scope, (q) => {
      let query = q
        .selectFrom('audit_entries')
        .select(['seq', 'ts', 'action', 'actor_id', 'resource_type', 'resource_id', 'canonical'])
        .where(tenantFilter(scope))
        .where('seq', '<', before);
      if (filter.action !== undefined) query = query.where('action', '=', filter.action);
      if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
      if (filter.resourceType !== undefined) query = query.where('resource_type', '=', filter.resourceType);
      if (filter.resourceId !== undefined) query = query.where('resource_id', '=', filter.resourceId);
      if (filter.fromTs !== undefined) query = query.where('ts', '>=', filter.fromTs);
      if (filter.toTs !== undefined) query = query.where('ts', '<', filter.toTs);
      return query.orderBy('seq', 'desc').limit(limit).execute();
    });
  }
}

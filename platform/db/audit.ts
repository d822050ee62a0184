import { sql } from 'kysely';
import type { Database } from './database';
import { PREPARED_MARK } from './engines/engine';
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

function nodeRow(scope: TenantScope, { level, idx, hash }: { level: number; idx: number; hash: Uint8Array }) {
  return { ...tenantColumns(scope), last_leaf: lastLeaf({ level, idx }), level, hash: Buffer.from(hash) };
}

/**
 * What an append must know of a log: its size, its last entry's time, and the hashes of the perfect subtrees
 * covering [0, size) (its "frontier", one per set bit of size), keyed by level.
 */
export interface LogHead {
  readonly size: number;
  readonly lastTs: number | undefined;
  readonly frontier: ReadonlyMap<number, Buffer>;
}

/** Rows per INSERT: 9 bound values a row stays far below SQLite's 32,766 and PostgreSQL's 65,535. */
const INSERT_ROWS = 1000;

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

  /**
   * The log's head, read under the log's lock from the database, so appends by several processes agree. One
   * statement: the frontier's addresses follow from the last seq, so the database works them out itself.
   */
  async head(
    scope: TenantScope,
    /**
     * How many entries the caller will add: an embedded engine asks before it reads the frontier, and reads
     * only the nodes those merge with; a server reads the whole frontier in one statement and never asks.
     */
    adding: () => number = () => 0,
  ): Promise<LogHead> {
    if (this.db.engine.name === 'sqlite') return this.#headInProcess(scope, adding());
    const rows = await this.db.tenant(scope, async (q) => {
      // Each frontier node is fetched by its whole key (a lateral subquery per set bit of the size): joined on
      // an expression of the outer rows instead, the planner scanned every node of a level, so each append
      // read a share of the whole tree.
      const result = await sql<{ seq: number; ts: number; level: number | null; hash: Buffer | null }>`
        WITH last AS (SELECT e.seq, e.ts FROM audit_entries e WHERE ${tenantFilter(scope, 'e')}
          ORDER BY e.seq DESC LIMIT 1)
        SELECT l.seq, l.ts, f.level,
          (SELECT n.hash FROM audit_nodes n WHERE ${tenantFilter(scope, 'n')}
            AND n.last_leaf = f.last_leaf AND n.level = f.level) AS hash
        FROM last l
        LEFT JOIN LATERAL (
          SELECT v AS level, (((l.seq + 1) >> v) << v) - 1 AS last_leaf FROM generate_series(0, 52) v
          WHERE (((l.seq + 1) >> v) & 1) = 1
        ) f ON true`.execute(q);
      return result.rows;
    });
    const first = rows[0];
    if (!first) return { size: 0, lastTs: undefined, frontier: new Map() };
    const frontier = new Map<number, Buffer>();
    for (const row of rows) {
      if (row.level === null) continue;
      if (row.hash === null) throw new Error('Audit tree is missing a node');
      frontier.set(Number(row.level), row.hash);
    }
    return { size: Number(first.seq) + 1, lastTs: Number(first.ts), frontier };
  }

  /**
   * `head` on an embedded engine, where a statement costs no round trip: the last entry by its key, then
   * only the frontier nodes that the new leaves merge with, by their keys (one append reads none half the
   * time, as the log did before groups). The frontier it returns lacks the nodes nothing will merge with.
   */
  async #headInProcess(scope: TenantScope, adding: number): Promise<LogHead> {
    const last = await this.db.tenant(scope, (q) =>
      q
        .selectFrom('audit_entries')
        .select(['seq', 'ts'])
        .where(tenantFilter(scope))
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst(),
    );
    if (!last) return { size: 0, lastTs: undefined, frontier: new Map() };
    const size = Number(last.seq) + 1;
    const addresses: NodeAddress[] = [];
    for (let level = 0; 2 ** level <= size; level++) {
      const width = 2 ** level;
      // A frontier node is merged with new leaves only if they complete the subtree twice its width.
      const merged = Math.floor((size + adding) / (2 * width)) > Math.floor(size / (2 * width));
      if (Math.floor(size / width) % 2 === 1 && merged) {
        addresses.push({ level, idx: Math.floor(size / width) - 1 });
      }
    }
    const found = await this.nodes(scope, addresses);
    const frontier = new Map<number, Buffer>();
    for (const address of addresses) {
      const hash = found.get(`${address.level}/${lastLeaf(address)}`);
      if (!hash) throw new Error('Audit tree is missing a node');
      frontier.set(address.level, hash);
    }
    return { size, lastTs: Number(last.ts), frontier };
  }

  /**
   * An append's rows: its entries and the tree nodes they complete. One statement where the engine can
   * insert into two tables at once (PostgreSQL's data-modifying WITH), which keeps the log's lock held for
   * one round trip fewer; otherwise two.
   */
  async insertAppended(
    scope: TenantScope,
    entries: readonly AuditEntryRow[],
    nodes: readonly { level: number; idx: number; hash: Uint8Array }[],
  ): Promise<void> {
    if (!this.db.engine.dataModifyingCtes) {
      await this.insertEntries(scope, entries);
      await this.insertNodes(scope, nodes);
      return;
    }
    await this.#insertAsJson(scope, entries, nodes);
  }

  /**
   * `insertAppended`, but only while the log still holds exactly `size` entries: a process that knows the
   * head it committed last writes its next group without reading the head first, and this answers false
   * (writing nothing) when some other append came in between. The log is append-only with gapless sequence
   * numbers, so an unchanged size is an unchanged log. On PostgreSQL the check and both inserts are one
   * statement, run after the log's lock was taken (so it sees every append committed before).
   */
  async insertAppendedAt(
    scope: TenantScope,
    size: number,
    entries: readonly AuditEntryRow[],
    nodes: readonly { level: number; idx: number; hash: Uint8Array }[],
  ): Promise<boolean> {
    if (!this.db.engine.dataModifyingCtes) {
      if ((await this.size(scope)) !== size) return false;
      await this.insertAppended(scope, entries, nodes);
      return true;
    }
    return this.#insertAsJson(scope, entries, nodes, size);
  }

  /**
   * Entries and nodes in one statement (PostgreSQL), each table's rows as one JSON parameter
   * (json_to_recordset): the statement's text is the same for every group, so PostgreSQL parses and plans a
   * short statement, not one with a VALUES row (and its parameters) per entry and per node, and
   * JSON.stringify is the cheapest way to send them. With `size`, nothing is written (false) unless the log
   * still holds exactly that many entries.
   */
  async #insertAsJson(
    scope: TenantScope,
    entries: readonly AuditEntryRow[],
    nodes: readonly { level: number; idx: number; hash: Uint8Array }[],
    size?: number,
  ): Promise<boolean> {
    const { organization_id: org, environment: env } = tenantColumns(scope);
    const nodeRows = nodes.map((n) => ({
      last_leaf: lastLeaf(n),
      level: n.level,
      hash: Buffer.from(n.hash.buffer, n.hash.byteOffset, n.hash.byteLength).toString('hex'),
    }));
    const fresh =
      size === undefined
        ? sql`SELECT 1`
        : sql`SELECT 1 FROM (SELECT max(e.seq) AS last FROM audit_entries e WHERE ${tenantFilter(scope, 'e')}) m
            WHERE coalesce(m.last, -1) = ${size - 1}::bigint`;
    const written = await this.db.tenant(scope, async (q) => {
      const result = await sql<{ level: number }>`${sql.raw(PREPARED_MARK)}
        WITH fresh AS (${fresh}),
        appended AS (
          INSERT INTO audit_entries (organization_id, environment, seq, ts, action, actor_id, resource_type,
            resource_id, canonical)
          SELECT ${org}, ${env}, v.seq, v.ts, v.action, v.actor_id, v.resource_type, v.resource_id, v.canonical
          FROM json_to_recordset(${JSON.stringify(entries)}::json) AS v(seq bigint, ts bigint, action text,
            actor_id text, resource_type text, resource_id text, canonical text)
          WHERE EXISTS (SELECT 1 FROM fresh)
          RETURNING 1
        )
        INSERT INTO audit_nodes (organization_id, environment, last_leaf, level, hash)
        SELECT ${org}, ${env}, v.last_leaf, v.level, decode(v.hash, 'hex')
        FROM json_to_recordset(${JSON.stringify(nodeRows)}::json) AS v(last_leaf bigint, level integer, hash text)
        WHERE EXISTS (SELECT 1 FROM fresh)
        RETURNING level`.execute(q);
      return result.rows.length;
    });
    return written > 0;
  }

  /** Entries in as few statements as the engines' bound-parameter limits allow (one for a usual batch). */
  async insertEntries(scope: TenantScope, rows: readonly AuditEntryRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_ROWS) {
      const batch = rows.slice(i, i + INSERT_ROWS);
      await this.db.tenant(scope, (q) =>
        q
          .insertInto('audit_entries')
          .values(batch.map((row) => ({ ...tenantColumns(scope), ...row })))
          .execute(),
      );
    }
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

  /** The nodes appends complete, in as few statements as possible (fewer round trips under the log's lock). */
  async insertNodes(
    scope: TenantScope,
    nodes: readonly { level: number; idx: number; hash: Uint8Array }[],
  ): Promise<void> {
    for (let i = 0; i < nodes.length; i += INSERT_ROWS) {
      const batch = nodes.slice(i, i + INSERT_ROWS);
      await this.db.tenant(scope, (q) =>
        q
          .insertInto('audit_nodes')
          .values(batch.map((node) => nodeRow(scope, node)))
          .execute(),
      );
    }
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

import canonicalize from 'canonicalize';
import { type AuditEntry, auditOrigin } from '../../shared/audit/format';
import { HASH_BYTES, toBase64 } from '../../shared/audit/hash';
import {
  consistencyProof,
  inclusionProof,
  MerkleHasher,
  perfectSubtreeSizes,
  type SubtreeReader,
  subtreeRoot,
} from '../../shared/audit/merkle';
import { nodeAuditCrypto } from '../../shared/audit/node-crypto';
import { formatCheckpointBody } from '../../shared/audit/note';
import type { Clock } from '../clock';
import type { AuditEntryRow, NodeAddress } from '../db/audit';
import type { TenantScope } from '../db/scope';
import type { Stores } from '../db/stores';
import type { AuditContext } from './audit-context';
import { GroupCommit, GroupFailure } from './group-commit';
import type { AuditSigningKeys } from './signing-keys';

/** The platform publishes a checkpoint at least this often (audit-format.md). */
export const CHECKPOINT_INTERVAL = 1024;

export interface AuditEvent {
  readonly action: string;
  readonly resource: { readonly type: string; readonly id: string };
  readonly change?: { readonly before: unknown; readonly after: unknown } | null;
  readonly outcome?: 'success' | 'failure';
  readonly signature?: AuditEntry['signature'];
}

export interface PublishedCheckpoint {
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
}

/** Most entries one group commit writes (a few hundred KB of rows; checkpoints fall inside it as due). */
const MAX_GROUP = 256;

interface Pending {
  readonly context: AuditContext;
  readonly event: AuditEvent;
}

/**
 * One append-only Merkle log per (organization, environment).
 *
 * Appends to one log are serialized by the log's lock in the database (Database.lockAuditLog: an advisory
 * lock per log on PostgreSQL, the one writer on SQLite), and everything an append computes (its sequence
 * number, time, leaf and completed nodes, a checkpoint every 1,024 entries) is read from and written to the
 * database under that lock, so several platform processes on one database keep one consistent log. Two
 * ways in, chosen by whether the caller has a transaction open:
 *
 * - Inside the caller's transaction (a domain write and its entry: a decision, a key rotation, an evidence
 *   upload, a role change): the entry joins that transaction, so the write and its entry commit together
 *   or not at all. The log's lock is held from the append until the caller commits. Such entries are NOT
 *   grouped with others: grouping them would mean either committing the entry apart from its write (which
 *   breaks "together or not at all") or making every domain transaction of a log wait to commit together
 *   (one failing write would take the others down, and each would hold its row locks for the group's
 *   length). A design that could group them keeps their entries in a per-tenant pending table committed with
 *   the write and has a sequencer give them sequence numbers in groups; but then a write could be answered
 *   2xx before its entry has a place in the log, and exports, proofs and "read your own entry" would all
 *   have to learn of pending entries. Left for when domain writes, not audit-only events, are the bottleneck.
 * - Outside any transaction (audit-only events: sign-ins, refusals, throttles, reads, downloads): the entry
 *   is the whole write, so it goes through a group commit (group-commit.ts): entries of one log that arrive
 *   while a commit is in flight are written together in ONE transaction behind the log's lock, paying one
 *   WAL flush for all. The promise resolves only after that transaction committed (durably: synchronous
 *   commit stays on), so a caller that replies 2xx after `append` has its entry in the log, exactly once.
 */
export class AuditLog {
  readonly hasher = new MerkleHasher(nodeAuditCrypto);
  readonly #groups = new GroupCommit<Pending, AuditEntry>(
    (scope, claim) => this.#commitGroup(scope, claim),
    MAX_GROUP,
  );

  constructor(
    private readonly stores: Stores,
    private readonly keys: AuditSigningKeys,
    private readonly clock: Clock,
    readonly host: string,
  ) {}

  origin(scope: TenantScope): string {
    return auditOrigin(this.host, scope.organizationSlug, scope.environment);
  }

  size(scope: TenantScope): Promise<number> {
    return this.stores.audit.size(scope);
  }

  append(scope: TenantScope, context: AuditContext, event: AuditEvent): Promise<AuditEntry> {
    const { db } = this.stores;
    if (!db.inTransaction()) return this.#groups.submit(scope, { context, event });
    return db.inTenant(scope, async () => {
      await db.lockAuditLog(scope);
      const [entry] = await this.#sequence(scope, [{ context, event }]);
      return entry as AuditEntry;
    });
  }

  /**
   * One group in one transaction of its own: its items are claimed once the log's lock is held (see
   * GroupCommit). A failure is reported as a GroupFailure that says whether the transaction surely rolled
   * back (GroupCommit then writes the group's halves again) or may have committed.
   */
  async #commitGroup(scope: TenantScope, claim: () => readonly Pending[]): Promise<AuditEntry[]> {
    const { db } = this.stores;
    let beforeCommit = true;
    try {
      return await db.inTenant(scope, async () => {
        // Database may run this again after a deadlock; each run starts before its own COMMIT.
        beforeCommit = true;
        await db.lockAuditLog(scope);
        const items = claim();
        const entries = items.length > 0 ? await this.#sequence(scope, items) : [];
        beforeCommit = false;
        return entries;
      });
    } catch (error) {
      throw new GroupFailure(beforeCommit ? 'rolled-back' : 'in-doubt', error);
    }
  }

  /**
   * Appends `items` in order; the caller holds the log's lock in the current transaction. Sequence numbers,
   * times, leaves and nodes come from the log's head as stored (its last entry and the perfect subtrees that
   * cover it, the "frontier"), so nothing of another process's appends is missed; the checkpoints due inside
   * the range are signed here, once per size (under the lock, and only when none is stored at that size).
   */
  async #sequence(scope: TenantScope, items: readonly Pending[]): Promise<AuditEntry[]> {
    const { audit } = this.stores;
    const { size, lastTs, frontier } = await audit.head(scope, items.length);
    // The perfect subtrees covering [0, size), largest (leftmost) first: each new leaf merges with the last
    // ones while its index is odd, as a binary counter carries. A head may leave out the ones no new leaf
    // merges with (undefined here); reaching one of those is a broken tree.
    const stack = frontierAddresses(size).map(({ level, idx }) => ({
      level,
      idx,
      hash: frontier.get(level) as Uint8Array | undefined,
    }));
    // Times never go backwards in the log, even when another process's clock runs a little ahead of ours.
    const now = Math.max(this.clock.now(), lastTs ?? 0);
    const ts = new Date(now).toISOString();
    const entries: AuditEntry[] = [];
    const rows: AuditEntryRow[] = [];
    const completed: { level: number; idx: number; hash: Uint8Array }[] = [];
    for (const [i, { context, event }] of items.entries()) {
      const seq = size + i;
      const entry: AuditEntry = {
        seq,
        ts,
        actor: context.actor,
        action: event.action,
        resource: event.resource,
        organization: scope.organizationSlug,
        environment: scope.environment,
        request: context.request,
        change: event.change ?? null,
        outcome: event.outcome ?? 'success',
        ...(event.signature ? { signature: event.signature } : {}),
      };
      const canonical = canonicalize(entry);
      if (canonical === undefined) throw new Error('Audit entry is not serializable');
      entries.push(entry);
      rows.push({
        seq,
        ts: now,
        action: entry.action,
        actor_id: entry.actor.id,
        resource_type: entry.resource.type,
        resource_id: entry.resource.id,
        canonical,
      });
      let node = { level: 0, idx: seq, hash: this.hasher.leaf(Buffer.from(canonical, 'utf8')) };
      completed.push(node);
      while (node.idx % 2 === 1) {
        const left = stack.pop();
        if (!left?.hash || left.level !== node.level || left.idx !== node.idx - 1) {
          throw new Error('Audit tree is missing a node');
        }
        node = {
          level: node.level + 1,
          idx: (node.idx - 1) / 2,
          hash: this.hasher.node(left.hash, node.hash),
        };
        completed.push(node);
      }
      stack.push(node);
    }
    await audit.insertAppended(scope, rows, completed);
    const end = size + items.length;
    for (let due = (Math.floor(size / CHECKPOINT_INTERVAL) + 1) * CHECKPOINT_INTERVAL; due <= end; ) {
      await this.publish(scope, due);
      due += CHECKPOINT_INTERVAL;
    }
    return entries;
  }

  async root(scope: TenantScope, size: number): Promise<Uint8Array> {
    return this.#withNodes(scope, (read) => subtreeRoot(this.hasher, read, 0, size));
  }

  /** Signs and stores a checkpoint at `size` (default: the current size), or returns the one stored. */
  async publish(scope: TenantScope, size?: number): Promise<PublishedCheckpoint> {
    const at = size ?? (await this.size(scope));
    const existing = await this.stores.audit.checkpointAt(scope, at);
    if (existing) return { size: at, root: existing.root, note: existing.note };
    const root = await this.root(scope, at);
    const note = this.keys.sign(formatCheckpointBody({ origin: this.origin(scope), size: at, root }));
    await this.stores.audit.insertCheckpoint(scope, {
      size: at,
      root: Buffer.from(root),
      note,
      created_at: this.clock.now(),
    });
    return { size: at, root, note };
  }

  /** The newest checkpoint, at the current size: signs one if entries were added since the last. */
  latest(scope: TenantScope): Promise<PublishedCheckpoint> {
    return this.stores.db.inTenant(scope, async () => {
      // Serialized with appends, so the size read is the size signed.
      await this.stores.db.lockAuditLog(scope);
      return this.publish(scope);
    });
  }

  inclusionProof(scope: TenantScope, seq: number, size: number): Promise<Uint8Array[]> {
    return this.#withNodes(scope, (read) => inclusionProof(this.hasher, read, seq, size));
  }

  consistencyProof(scope: TenantScope, from: number, to: number): Promise<Uint8Array[]> {
    return this.#withNodes(scope, (read) => consistencyProof(this.hasher, read, from, to));
  }

  /** Roots of the perfect subtrees covering [0, start), leftmost first: an export's `prefix`. */
  prefix(scope: TenantScope, start: number): Promise<string[]> {
    return this.#withNodes(scope, (read) => {
      const out: string[] = [];
      let offset = 0;
      for (const size of perfectSubtreeSizes(start)) {
        out.push(toBase64(read(offset, offset + size)));
        offset += size;
      }
      return out;
    });
  }

  /**
   * Runs a Merkle computation (shared with the offline verifier, so synchronous) over stored nodes. Which
   * nodes it reads depends on the sizes alone, never on the hashes, so a first run with placeholder hashes
   * lists them, they are read in one go, and a second run computes with the real ones.
   */
  async #withNodes<T>(scope: TenantScope, compute: (read: SubtreeReader) => T): Promise<T> {
    const wanted = new Map<string, NodeAddress>();
    const placeholder = new Uint8Array(HASH_BYTES);
    compute((start, end) => {
      const address = nodeAddress(start, end);
      wanted.set(nodeKey(address), address);
      return placeholder;
    });
    const nodes = wanted.size > 0 ? await this.stores.audit.nodes(scope, [...wanted.values()]) : new Map();
    return compute((start, end) => {
      const node = nodes.get(nodeKey(nodeAddress(start, end)));
      if (!node) throw new Error(`Audit tree has no node for [${start}, ${end})`);
      return node;
    });
  }
}

/** The perfect subtrees that cover leaves [0, size), leftmost (largest) first: one per set bit of size. */
function frontierAddresses(size: number): NodeAddress[] {
  const out: NodeAddress[] = [];
  let offset = 0;
  for (const width of perfectSubtreeSizes(size)) {
    out.push({ level: Math.log2(width), idx: offset / width });
    offset += width;
  }
  return out;
}

function nodeAddress(start: number, end: number): NodeAddress {
  const width = end - start;
  return { level: Math.log2(width), idx: start / width };
}

/** How AuditStore.nodes keys what it found: level and last leaf. */
function nodeKey({ level, idx }: NodeAddress): string {
  return `${level}/${(idx + 1) * 2 ** level - 1}`;
}

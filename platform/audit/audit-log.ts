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
import type { LogHead, NodeAddress } from '../db/audit';
import type { TenantScope } from '../db/scope';
import type { Stores } from '../db/stores';
import { type AppendedRows, appendedRows, type PendingEntry } from './appended-rows';
import type { AuditContext } from './audit-context';
import { GroupCommit, GroupFailure } from './group-commit';
import { KnownHeads } from './known-heads';
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
  readonly #groups = new GroupCommit<PendingEntry, AuditEntry>(
    (scope, claim) => this.#commitGroup(scope, claim),
    MAX_GROUP,
  );
  readonly #known = new KnownHeads();

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
    // Its entry commits with the caller's transaction, whenever that is: the head this process knew is stale.
    this.#known.forget(scope);
    return db.inAuditLog(scope, async () => {
      const head = await this.stores.audit.head(scope, () => 1);
      const [entry] = await this.#write(scope, head, [{ context, event }]);
      return entry as AuditEntry;
    });
  }

  /**
   * One group in one transaction of its own: its items are claimed once the log's lock is held (see
   * GroupCommit). A failure is reported as a GroupFailure that says whether the transaction surely rolled
   * back (GroupCommit then writes the group's halves again) or may have committed.
   *
   * The head comes from the last group this process committed to the log when it still holds (one round
   * trip under the lock fewer: the insert checks it), else from the database. There the group is claimed
   * after the head is read, so that what arrived during that round trip joins it.
   */
  async #commitGroup(scope: TenantScope, claim: () => readonly PendingEntry[]): Promise<AuditEntry[]> {
    const { db, audit } = this.stores;
    let beforeCommit = true;
    let next: LogHead | undefined;
    const committed = Promise.withResolvers<boolean>();
    try {
      const entries = await db.inAuditLog(scope, async () => {
        // Database may run this again after a deadlock; each run starts before its own COMMIT.
        beforeCommit = true;
        next = undefined;
        const known = await this.#known.current(scope);
        let written: AppendedRows | undefined;
        if (known) {
          const items = claim();
          if (items.length === 0) return [];
          const rows = appendedRows(this.hasher, scope, known, items, this.clock.now());
          if (await audit.insertAppendedAt(scope, known.size, rows.rows, rows.nodes)) written = rows;
        }
        if (!written) {
          const head = await audit.head(scope, () => claim().length);
          const items = claim();
          if (items.length === 0) return [];
          written = appendedRows(this.hasher, scope, head, items, this.clock.now());
          await audit.insertAppended(scope, written.rows, written.nodes);
        }
        await this.#publishDue(scope, written.entries);
        next = written.next;
        this.#known.offer(scope, committed.promise, () => next);
        beforeCommit = false;
        return written.entries;
      });
      committed.resolve(true);
      return entries;
    } catch (error) {
      committed.resolve(false);
      throw new GroupFailure(beforeCommit ? 'rolled-back' : 'in-doubt', error);
    }
  }

  /** Appends `items` to a log whose head is `head`; the caller holds the log's lock in this transaction. */
  async #write(scope: TenantScope, head: LogHead, items: readonly PendingEntry[]): Promise<AuditEntry[]> {
    const { rows, nodes, entries } = appendedRows(this.hasher, scope, head, items, this.clock.now());
    await this.stores.audit.insertAppended(scope, rows, nodes);
    await this.#publishDue(scope, entries);
    return entries;
  }

  /** The checkpoints due inside the range just appended: signed once per size, under the log's lock. */
  async #publishDue(scope: TenantScope, entries: readonly AuditEntry[]): Promise<void> {
    const first = entries[0];
    if (!first) return;
    const end = first.seq + entries.length;
    for (let due = (Math.floor(first.seq / CHECKPOINT_INTERVAL) + 1) * CHECKPOINT_INTERVAL; due <= end; ) {
      await this.publish(scope, due);
      due += CHECKPOINT_INTERVAL;
    }
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
    // Serialized with appends, so the size read is the size signed.
    return this.stores.db.inAuditLog(scope, () => this.publish(scope));
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

function nodeAddress(start: number, end: number): NodeAddress {
  const width = end - start;
  return { level: Math.log2(width), idx: start / width };
}

/** How AuditStore.nodes keys what it found: level and last leaf. */
function nodeKey({ level, idx }: NodeAddress): string {
  return `${level}/${(idx + 1) * 2 ** level - 1}`;
}

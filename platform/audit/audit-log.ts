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
import type { NodeAddress } from '../db/audit';
import type { TenantScope } from '../db/scope';
import type { Stores } from '../db/stores';
import type { AuditContext } from './audit-context';
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

/**
 * One append-only Merkle log per (organization, environment). `append` joins the caller's transaction,
 * so a change and its entry commit together or not at all.
 */
export class AuditLog {
  readonly hasher = new MerkleHasher(nodeAuditCrypto);

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
    const { db, audit } = this.stores;
    return db.inTenant(scope, async () => {
      // The next sequence number is read and written in one transaction, and no other append to this log
      // runs in between (see Database.lockAuditLog).
      await db.lockAuditLog(scope);
      const seq = await audit.size(scope);
      const now = this.clock.now();
      const entry: AuditEntry = {
        seq,
        ts: new Date(now).toISOString(),
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
      await audit.insertEntry(scope, {
        seq,
        ts: now,
        action: entry.action,
        actor_id: entry.actor.id,
        resource_type: entry.resource.type,
        resource_id: entry.resource.id,
        canonical,
      });
      // Store the leaf and every perfect subtree it completes: O(log n) per append, amortized O(1). The
      // left siblings those need are known from seq alone, so they are read in one statement.
      const lefts: NodeAddress[] = [];
      for (let level = 0, idx = seq; idx % 2 === 1; level++, idx = (idx - 1) / 2) {
        lefts.push({ level, idx: idx - 1 });
      }
      const found = lefts.length > 0 ? await audit.nodes(scope, lefts) : new Map<string, Buffer>();
      let hash = this.hasher.leaf(Buffer.from(canonical, 'utf8'));
      let level = 0;
      let idx = seq;
      const completed = [{ level, idx, hash }];
      while (idx % 2 === 1) {
        const left = found.get(`${level}/${idx * 2 ** level - 1}`);
        if (!left) throw new Error('Audit tree is missing a node');
        hash = this.hasher.node(left, hash);
        level++;
        idx = (idx - 1) / 2;
        completed.push({ level, idx, hash });
      }
      await audit.insertNodes(scope, completed);
      if ((seq + 1) % CHECKPOINT_INTERVAL === 0) await this.publish(scope, seq + 1);
      return entry;
    });
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

function nodeAddress(start: number, end: number): NodeAddress {
  const width = end - start;
  return { level: Math.log2(width), idx: start / width };
}

/** How AuditStore.nodes keys what it found: level and last leaf. */
function nodeKey({ level, idx }: NodeAddress): string {
  return `${level}/${(idx + 1) * 2 ** level - 1}`;
}

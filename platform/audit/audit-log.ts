import canonicalize from 'canonicalize';
import { type AuditEntry, auditOrigin } from '../../shared/audit/format';
import { toBase64 } from '../../shared/audit/hash';
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

  size(scope: TenantScope): number {
    return this.stores.audit.size(scope);
  }

  append(scope: TenantScope, context: AuditContext, event: AuditEvent): AuditEntry {
    return this.stores.db.transaction(() => {
      const audit = this.stores.audit;
      const seq = audit.size(scope);
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
      audit.insertEntry(scope, {
        seq,
        ts: now,
        action: entry.action,
        actor_id: entry.actor.id,
        resource_type: entry.resource.type,
        resource_id: entry.resource.id,
        canonical,
      });
      // Store the leaf and every perfect subtree it completes: O(log n) per append, amortized O(1).
      let hash = this.hasher.leaf(Buffer.from(canonical, 'utf8'));
      let level = 0;
      let idx = seq;
      audit.insertNode(scope, level, idx, hash);
      while (idx % 2 === 1) {
        const left = audit.node(scope, level, idx - 1);
        if (!left) throw new Error('Audit tree is missing a node');
        hash = this.hasher.node(left, hash);
        level++;
        idx = (idx - 1) / 2;
        audit.insertNode(scope, level, idx, hash);
      }
      if ((seq + 1) % CHECKPOINT_INTERVAL === 0) this.publish(scope, seq + 1);
      return entry;
    })();
  }

  root(scope: TenantScope, size: number): Uint8Array {
    return subtreeRoot(this.hasher, this.#reader(scope), 0, size);
  }

  /** Signs and stores a checkpoint at `size` (default: the current size), or returns the one stored. */
  publish(scope: TenantScope, size = this.size(scope)): PublishedCheckpoint {
    const existing = this.stores.audit.checkpointAt(scope, size);
    if (existing) return { size, root: existing.root, note: existing.note };
    const root = this.root(scope, size);
    const note = this.keys.sign(formatCheckpointBody({ origin: this.origin(scope), size, root }));
    this.stores.audit.insertCheckpoint(scope, {
      size,
      root: Buffer.from(root),
      note,
      created_at: this.clock.now(),
    });
    return { size, root, note };
  }

  /** The newest checkpoint, at the current size: signs one if entries were added since the last. */
  latest(scope: TenantScope): PublishedCheckpoint {
    return this.stores.db.transaction(() => this.publish(scope))();
  }

  inclusionProof(scope: TenantScope, seq: number, size: number): Uint8Array[] {
    return inclusionProof(this.hasher, this.#reader(scope), seq, size);
  }

  consistencyProof(scope: TenantScope, from: number, to: number): Uint8Array[] {
    return consistencyProof(this.hasher, this.#reader(scope), from, to);
  }

  /** Roots of the perfect subtrees covering [0, start), leftmost first: an export's `prefix`. */
  prefix(scope: TenantScope, start: number): string[] {
    const read = this.#reader(scope);
    const out: string[] = [];
    let offset = 0;
    for (const size of perfectSubtreeSizes(start)) {
      out.push(toBase64(read(offset, offset + size)));
      offset += size;
    }
    return out;
  }

  #reader(scope: TenantScope): SubtreeReader {
    return (start, end) => {
      const width = end - start;
      const node = this.stores.audit.node(scope, Math.log2(width), start / width);
      if (!node) throw new Error(`Audit tree has no node for [${start}, ${end})`);
      return node;
    };
  }
}

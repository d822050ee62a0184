import canonicalize from 'canonicalize';
import type { AuditEntry } from '../../shared/audit/format';
import { type MerkleHasher, perfectSubtreeSizes } from '../../shared/audit/merkle';
import type { AuditEntryRow, LogHead, NodeAddress } from '../db/audit';
import type { TenantScope } from '../db/scope';
import type { AuditContext } from './audit-context';
import type { AuditEvent } from './audit-log';

export interface PendingEntry {
  readonly context: AuditContext;
  readonly event: AuditEvent;
}

export interface AppendedRows {
  readonly entries: AuditEntry[];
  readonly rows: AuditEntryRow[];
  /** The tree nodes the new leaves complete, leaves included. */
  readonly nodes: { level: number; idx: number; hash: Uint8Array }[];
  /** The log's head once these rows are in; undefined when `head` lacked nodes no new leaf merged with. */
  readonly next: LogHead | undefined;
}

/**
 * The rows that append `items` to a log whose head is `head`: each entry with its sequence number and time,
 * its leaf, and the nodes it completes. Pure: nothing is read or written here.
 */
export function appendedRows(
  hasher: MerkleHasher,
  scope: TenantScope,
  head: LogHead,
  items: readonly PendingEntry[],
  clockNow: number,
): AppendedRows {
  const { size, lastTs, frontier } = head;
  // The perfect subtrees covering [0, size), largest (leftmost) first: each new leaf merges with the last
  // ones while its index is odd, as a binary counter carries. A head may leave out the ones no new leaf
  // merges with (undefined here); reaching one of those is a broken tree.
  const stack = frontierAddresses(size).map(({ level, idx }) => ({
    level,
    idx,
    hash: frontier.get(level) as Uint8Array | undefined,
  }));
  // Times never go backwards in the log, even when another process's clock runs a little ahead of ours.
  const now = Math.max(clockNow, lastTs ?? 0);
  const ts = new Date(now).toISOString();
  const entries: AuditEntry[] = [];
  const rows: AuditEntryRow[] = [];
  const nodes: { level: number; idx: number; hash: Uint8Array }[] = [];
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
    let node = { level: 0, idx: seq, hash: hasher.leaf(Buffer.from(canonical, 'utf8')) };
    nodes.push(node);
    while (node.idx % 2 === 1) {
      const left = stack.pop();
      if (!left?.hash || left.level !== node.level || left.idx !== node.idx - 1) {
        throw new Error('Audit tree is missing a node');
      }
      node = { level: node.level + 1, idx: (node.idx - 1) / 2, hash: hasher.node(left.hash, node.hash) };
      nodes.push(node);
    }
    stack.push(node);
  }
  const complete = stack.every((node) => node.hash !== undefined);
  const next: LogHead | undefined = complete
    ? {
        size: size + items.length,
        lastTs: now,
        frontier: new Map(stack.map((node) => [node.level, Buffer.from(node.hash as Uint8Array)])),
      }
    : undefined;
  return { entries, rows, nodes, next };
}

/** The perfect subtrees that cover leaves [0, size), leftmost (largest) first: one per set bit of size. */
export function frontierAddresses(size: number): NodeAddress[] {
  const out: NodeAddress[] = [];
  let offset = 0;
  for (const width of perfectSubtreeSizes(size)) {
    out.push({ level: Math.log2(width), idx: offset / width });
    offset += width;
  }
  return out;
}

import { AuditEntry, EXPORT_ACTION, KEY_ANNOUNCEMENT_ACTION } from '../../shared/audit/format';
import { toBase64 } from '../../shared/audit/hash';
import { fail, ok, type Result } from '../../shared/result';
import type { EntryFilter } from '../db/audit';
import type { TenantScope } from '../db/scope';
import type { Stores } from '../db/stores';
import type { AuditContext } from './audit-context';
import type { AuditLog } from './audit-log';
import { exportChunks } from './export';

const outOfRange = (what: string) => fail<never>('bad-request', `${what} is beyond the log's size.`);

/** What the audit routes and the CLI ask of the log: reading, proofs and exports, all tenant-scoped. */
export class AuditService {
  constructor(
    private readonly stores: Stores,
    readonly log: AuditLog,
  ) {}

  async page(scope: TenantScope, filter: EntryFilter, before: number | undefined, limit: number) {
    const size = await this.log.size(scope);
    const rows = await this.stores.audit.page(scope, filter, Math.min(before ?? size, size), limit);
    const entries = rows.map((row) => AuditEntry.parse(JSON.parse(row.canonical)));
    const last = rows[rows.length - 1];
    return { entries, size, nextBefore: rows.length === limit && last ? last.seq : null };
  }

  async checkpoint(scope: TenantScope) {
    const published = await this.log.latest(scope);
    return {
      origin: this.log.origin(scope),
      size: published.size,
      root: toBase64(published.root),
      checkpoint: published.note,
    };
  }

  /**
   * Each signing-key announcement in this log, with what a verifier needs to follow it without trusting
   * the platform: the entry's exact bytes, the first checkpoint after it (signed under the key that was
   * current then), and the entry's inclusion proof at that checkpoint's size.
   */
  async keyAnnouncements(scope: TenantScope) {
    const rows = await this.stores.audit.page(
      scope,
      { action: KEY_ANNOUNCEMENT_ACTION },
      await this.log.size(scope),
      100,
    );
    const announcements = [];
    for (const row of rows) {
      const covering = await this.stores.audit.firstCheckpointAfter(scope, row.seq);
      if (!covering) continue;
      announcements.push({
        seq: row.seq,
        entry: row.canonical,
        checkpoint: { size: covering.size, root: toBase64(covering.root), note: covering.note },
        proof: (await this.log.inclusionProof(scope, row.seq, covering.size)).map(toBase64),
      });
    }
    return { announcements };
  }

  async inclusion(
    scope: TenantScope,
    seq: number,
    size: number,
  ): Promise<Result<{ seq: number; size: number; proof: string[] }>> {
    if (size > (await this.log.size(scope))) return outOfRange('size');
    if (seq >= size) return fail('bad-request', 'seq must be below size.');
    return ok({ seq, size, proof: (await this.log.inclusionProof(scope, seq, size)).map(toBase64) });
  }

  async consistency(
    scope: TenantScope,
    from: number,
    to: number,
  ): Promise<Result<{ from: number; to: number; proof: string[] }>> {
    if (to > (await this.log.size(scope))) return outOfRange('to');
    if (from > to) return fail('bad-request', 'from must not be above to.');
    return ok({ from, to, proof: (await this.log.consistencyProof(scope, from, to)).map(toBase64) });
  }

  /**
   * Records the export in the log itself, signs a checkpoint covering it, and returns the file's chunks.
   * Without an `end`, the export runs to the current size, its own entry included.
   */
  export(
    scope: TenantScope,
    context: AuditContext,
    range: { start?: number; end?: number },
    now: Date,
  ): Promise<Result<{ start: number; end: number; chunks: AsyncIterable<string> }>> {
    return this.stores.db.inTenant(
      scope,
      async (): Promise<Result<{ start: number; end: number; chunks: AsyncIterable<string> }>> => {
        // The export's own entry goes at the end of the log as it stands: no append slips in before it.
        await this.stores.db.lockAuditLog(scope);
        const sizeBefore = await this.log.size(scope);
        const start = range.start ?? 0;
        if (range.end !== undefined && range.end > sizeBefore) return outOfRange('end');
        if (start > (range.end ?? sizeBefore + 1)) return fail('bad-request', 'start must not be above end.');
        await this.log.append(scope, context, {
          action: EXPORT_ACTION,
          resource: { type: 'audit_log', id: this.log.origin(scope) },
          change: {
            before: null,
            after: { start, end: range.end ?? sizeBefore + 1, exportedAt: now.toISOString() },
          },
        });
        const end = range.end ?? sizeBefore + 1;
        await this.log.publish(scope);
        if (end > start) await this.log.publish(scope, end);
        // Read after the transaction, page by page: entries and checkpoints in [start, end) never change.
        return ok({ start, end, chunks: exportChunks(this.log, this.stores, scope, start, end, now) });
      },
    );
  }
}

import canonicalize from 'canonicalize';
import { EXPORT_FORMAT, type ExportHeader } from '../../shared/audit/format';
import type { TenantScope } from '../db/scope';
import type { Stores } from '../db/stores';
import type { AuditLog } from './audit-log';

const PAGE = 2000;
const FLUSH_BYTES = 256 * 1024;

/**
 * The export file (audit-format.md) for entries [start, end), as text chunks. Entries are read a page at
 * a time so the database stays free for other requests while a large export streams.
 */
export async function* exportChunks(
  log: AuditLog,
  stores: Stores,
  scope: TenantScope,
  start: number,
  end: number,
  exportedAt: Date,
): AsyncGenerator<string> {
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    origin: log.origin(scope),
    organization: scope.organizationSlug,
    environment: scope.environment,
    start,
    end,
    exportedAt: exportedAt.toISOString(),
    prefix: await log.prefix(scope, start),
  };
  // Canonical like the entries, so the header has exactly one spelling a verifier accepts.
  yield `${canonicalize(header)}\n`;
  let buffer = '';
  for (let from = start; from < end; from += PAGE) {
    for (const line of await stores.audit.lines(scope, from, Math.min(end, from + PAGE))) {
      buffer += `${line}\n`;
      if (buffer.length >= FLUSH_BYTES) {
        yield buffer;
        buffer = '';
      }
    }
  }
  for (const checkpoint of await stores.audit.checkpointsIn(scope, start, end)) {
    buffer += `${JSON.stringify({ checkpoint: checkpoint.note })}\n`;
  }
  if (buffer) yield buffer;
}

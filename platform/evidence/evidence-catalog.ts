import type {
  EvidenceCatalog,
  EvidenceCatalogQuery,
  EvidenceCoverage,
  EvidenceRecord,
} from '../../shared/api/evidence';
import { addDays, dayOf, EXPIRING_WITHIN_DAYS, evidenceStatus } from '../../shared/evidence/period';
import { fail, ok, type Result } from '../../shared/result';
import type { PlatformContext } from '../context';
import type { EvidenceRecordRow } from '../db/evidence';
import type { TenantScope } from '../db/scope';
import { toEvidenceMeta } from './evidence-service';

const COVERAGE_MONTHS = 12;
const EXPIRING_NEXT = 5;

export function toEvidenceRecord(row: EvidenceRecordRow, today: string): EvidenceRecord {
  const meta = toEvidenceMeta(row);
  return {
    ...meta,
    supersededBy: row.superseded_by,
    status: evidenceStatus({ expiresOn: meta.expiresOn, supersededBy: row.superseded_by }, today),
  };
}

/** The first day of the month `offset` months from the one `day` falls in. */
function monthStart(day: string, offset: number): string {
  const date = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + offset);
  return dayOf(date.getTime());
}

/**
 * Reading the tenant's evidence as a whole: the catalog the Evidence screen pages through, one file with
 * its status, and the coverage overview. Status is judged on the platform's today, in UTC days.
 */
export class EvidenceCatalogService {
  constructor(private readonly ctx: PlatformContext) {}

  private today(): string {
    return dayOf(this.ctx.clock.now());
  }

  async record(tenant: TenantScope, evidenceId: string): Promise<Result<EvidenceRecord>> {
    const row = await this.ctx.stores.evidence.record(tenant, evidenceId);
    if (!row || row.deleted_at !== null) return fail('not-found', 'Evidence not found.');
    return ok(toEvidenceRecord(row, this.today()));
  }

  async catalog(tenant: TenantScope, query: EvidenceCatalogQuery): Promise<EvidenceCatalog> {
    const today = this.today();
    const { limit } = query;
    const [createdAt, id] = query.cursor?.split('.') ?? [];
    const rows = await this.ctx.stores.evidence.catalog(tenant, {
      nameContains: query.q,
      requestId: query.requestId,
      mediaType: query.mediaType,
      uploaderId: query.uploader,
      overlapsFrom: query.from,
      overlapsTo: query.to,
      status: query.status,
      today,
      soon: addDays(today, EXPIRING_WITHIN_DAYS),
      after: createdAt && id ? { createdAt: Number(createdAt), id } : undefined,
      limit,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      evidence: page.map((row) => toEvidenceRecord(row, today)),
      nextCursor: rows.length > limit && last ? `${last.created_at}.${last.id}` : null,
    };
  }

  /**
   * Per month of the last twelve (this one included), how many current versions have a period touching it;
   * superseded and deleted files do not count, expired ones do (they covered the month they were for).
   */
  async coverage(tenant: TenantScope): Promise<EvidenceCoverage> {
    const today = this.today();
    const starts = Array.from({ length: COVERAGE_MONTHS + 1 }, (_, i) =>
      monthStart(today, i - COVERAGE_MONTHS + 1),
    );
    const first = starts[0] as string;
    const end = addDays(starts[COVERAGE_MONTHS] as string, -1);
    const periods = await this.ctx.stores.evidence.periodsOverlapping(tenant, first, end);
    const months = starts.slice(0, COVERAGE_MONTHS).map((start, i) => {
      const last = addDays(starts[i + 1] as string, -1);
      const files = periods.filter(
        (p) =>
          p.period_from !== null && p.period_to !== null && p.period_from <= last && p.period_to >= start,
      ).length;
      return { month: start.slice(0, 7), files };
    });
    const expiring = await this.ctx.stores.evidence.expiringFrom(tenant, today, EXPIRING_NEXT);
    return {
      asOf: today,
      months,
      expiringNext: expiring.map((row) => ({
        id: row.id,
        name: row.name,
        expiresOn: row.expires_on as string,
        requestId: row.request_id,
      })),
    };
  }
}

import type { Kysely } from 'kysely';
import type { Database } from './database';
import { type TenantScope, tenantColumns, tenantFilter } from './scope';
import type { EvidenceTable, Tables } from './tables';

export type EvidenceRowOfTenant = EvidenceTable;

export type EvidenceRow = Omit<EvidenceTable, 'organization_id' | 'environment'>;

/**
 * An evidence row with the request it belongs to: the one it was uploaded to, or the one it was attached
 * to when that request was raised (approval_evidence). Readers see one `request_id` either way: of two
 * result columns with one name, both drivers keep the last (evidence-attachment.test.ts holds it to that),
 * so every other column of the row comes through as it is.
 */
function selectEvidence(q: Kysely<Tables>, scope: TenantScope) {
  return q
    .selectFrom('evidence as e')
    .leftJoin('approval_evidence as a', 'a.evidence_id', 'e.id')
    .selectAll('e')
    .select((eb) => eb.fn.coalesce('e.request_id', 'a.request_id').as('request_id'))
    .where(tenantFilter(scope, 'e'));
}

export class EvidenceStore {
  constructor(private readonly db: Database) {}

  /**
   * Maintenance across tenants: live rows whose bytes are still in the old clear, shared layout (from
   * before evidence was encrypted per tenant), at most 100 at a time. Each row names its own tenant.
   */
  unsealed(): Promise<EvidenceRowOfTenant[]> {
    return this.db.platform((q) =>
      q
        .selectFrom('evidence')
        .selectAll()
        .where('blob_address', 'is', null)
        .where('deleted_at', 'is', null)
        .orderBy('created_at')
        .limit(100)
        .execute(),
    );
  }

  /** Records where a row's bytes now live, encrypted; only ever from null (the trigger leaves these columns). */
  async markSealed(scope: TenantScope, id: string, address: string, keyVersion: number): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .updateTable('evidence')
        .set({ blob_address: address, key_version: keyVersion })
        .where(tenantFilter(scope))
        .where('id', '=', id)
        .where('blob_address', 'is', null)
        .execute(),
    );
  }

  async insert(scope: TenantScope, row: EvidenceRow): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('evidence')
        .values({ ...tenantColumns(scope), ...row })
        .execute(),
    );
  }

  /** Binds an unattached file to a request; a file already attached makes this throw (its primary key). */
  async attach(scope: TenantScope, evidenceId: string, requestId: string, now: number): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('approval_evidence')
        .values({ ...tenantColumns(scope), evidence_id: evidenceId, request_id: requestId, attached_at: now })
        .execute(),
    );
  }

  get(scope: TenantScope, id: string): Promise<EvidenceRow | undefined> {
    return this.db.tenant(scope, (q) => selectEvidence(q, scope).where('e.id', '=', id).executeTakeFirst());
  }

  forRequest(scope: TenantScope, requestId: string): Promise<EvidenceRow[]> {
    return this.db.tenant(scope, (q) =>
      selectEvidence(q, scope)
        .where('e.deleted_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb('e.id', 'in', (sub) =>
              sub
                .selectFrom('evidence')
                .select('id')
                .where(tenantFilter(scope))
                .where('request_id', '=', requestId),
            ),
            eb('e.id', 'in', (sub) =>
              sub
                .selectFrom('approval_evidence')
                .select('evidence_id')
                .where(tenantFilter(scope))
                .where('request_id', '=', requestId),
            ),
          ]),
        )
        .orderBy('e.created_at')
        .orderBy('e.id')
        .execute(),
    );
  }

  library(scope: TenantScope): Promise<EvidenceRow[]> {
    return this.db.tenant(scope, (q) =>
      selectEvidence(q, scope)
        .where('e.request_id', 'is', null)
        .where('a.request_id', 'is', null)
        .where('e.deleted_at', 'is', null)
        .orderBy('e.created_at', 'desc')
        .orderBy('e.id')
        .limit(500)
        .execute(),
    );
  }

  async markDeleted(scope: TenantScope, id: string, now: number): Promise<boolean> {
    const result = await this.db.tenant(scope, (q) =>
      q
        .updateTable('evidence')
        .set({ deleted_at: now })
        .where(tenantFilter(scope))
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  /** A blob is shared by every row of its tenant with the same file, and stays while any does. */
  async liveCopies(scope: TenantScope, address: string): Promise<number> {
    const row = await this.db.tenant(scope, (q) =>
      q
        .selectFrom('evidence')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(tenantFilter(scope))
        .where('blob_address', '=', address)
        .where('deleted_at', 'is', null)
        .executeTakeFirst(),
    );
    return Number(row?.n ?? 0);
  }
}

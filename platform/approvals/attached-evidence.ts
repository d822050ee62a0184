import { fail, ok, type Result } from '../../shared/result';
import type { Principal } from '../access/principal';
import type { PlatformContext } from '../context';
import type { EvidenceRow } from '../db/evidence';
import type { TenantScope } from '../db/scope';
import { principalIdOf } from '../evidence/evidence-service';

/**
 * Evidence a requester uploaded before raising the request (with no request yet), checked before the
 * request is written: each file must be in this tenant, not deleted, not on any request yet, and uploaded
 * by the same credential that raises the request (no one attaches another person's file to their own
 * request). Read inside the request's transaction, so the answer still holds when the files are bound.
 */
export async function attachableEvidence(
  ctx: PlatformContext,
  tenant: TenantScope,
  principal: Principal,
  evidenceIds: readonly string[],
): Promise<Result<EvidenceRow[]>> {
  if (new Set(evidenceIds).size !== evidenceIds.length)
    return fail('bad-request', 'Each evidence file can be attached once.');
  const rows: EvidenceRow[] = [];
  for (const id of evidenceIds) {
    const row = await ctx.stores.evidence.get(tenant, id);
    if (!row || row.deleted_at !== null) return fail('not-found', `Evidence ${id} was not found.`);
    if (row.request_id !== null)
      return fail('conflict', `Evidence ${id} already belongs to a request; upload the file again.`);
    if (row.uploader_type !== principal.kind || row.uploader_id !== principalIdOf(principal))
      return fail('forbidden', 'Only files you uploaded yourself can be attached to your request.');
    rows.push(row);
  }
  return ok(rows);
}

/** Binds checked files to a request just written, in the same transaction; the audit entry names them. */
export async function attachEvidence(
  ctx: PlatformContext,
  tenant: TenantScope,
  requestId: string,
  rows: readonly EvidenceRow[],
  now: number,
): Promise<{ id: string; sha256: string }[]> {
  for (const row of rows) await ctx.stores.evidence.attach(tenant, row.id, requestId, now);
  return rows.map((row) => ({ id: row.id, sha256: row.sha256 }));
}

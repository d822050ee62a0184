import { type Permission, roleAllows } from '../../shared/domain/permissions';
import { type Principal, personOf } from '../access/principal';
import type { PlatformContext } from '../context';
import type { EvidenceRow } from '../db/evidence';
import type { TenantScope } from '../db/scope';

/**
 * Who may replace an evidence file with a newer version. Superseding takes the older file out of coverage
 * and, since a file has one successor, decides what its next version is: it is as strong as editing it.
 *
 * - The person who uploaded it may, directly or through any of their API keys: a key counts as its creator,
 *   as for requests (approval_requests.requester_person_id), and the person is the one fixed at upload.
 * - A person whose role decides approvals (compliance officer, admin, owner) may replace anyone's file:
 *   they are the ones who judge evidence, and someone must be able to replace a stale file whose uploader
 *   left. `approvals:decide` rather than `policy:manage`: the latter is admins' and owners' alone, and
 *   their role is members, keys and policy, not evidence (shared/domain/permissions.ts roleDescriptions).
 * - An API key never acts as a manager here, whatever its creator's role: a machine credential replaces
 *   only its creator's own files, so a leaked integration key cannot rewrite the tenant's evidence.
 * - Files the platform wrote itself (uploader type `system`: access-review evidence packs) are final for
 *   everyone; the database refuses them too (migration 0031).
 */
export const MANAGER_PERMISSION: Permission = 'approvals:decide';

/** The uploader type of files the platform writes itself; such files are never superseded. */
export const SYSTEM_UPLOADER = 'system';

export type SupersedeRefusal =
  | { readonly reason: 'system-file'; readonly code: 'conflict'; readonly message: string }
  | { readonly reason: 'not-uploader'; readonly code: 'forbidden'; readonly message: string };

export function isSystemFile(row: Pick<EvidenceRow, 'uploader_type'>): boolean {
  return row.uploader_type === SYSTEM_UPLOADER;
}

/** Undefined when `principal` may supersede `older`; otherwise why not. Read in the upload's transaction. */
export async function supersedeRefusal(
  ctx: PlatformContext,
  tenant: TenantScope,
  principal: Principal,
  older: Pick<EvidenceRow, 'uploader_type' | 'uploader_person_id'>,
): Promise<SupersedeRefusal | undefined> {
  if (isSystemFile(older))
    return {
      reason: 'system-file',
      code: 'conflict',
      message:
        'This file is one the platform wrote itself (such as an access review’s evidence pack); it is final and cannot be replaced.',
    };
  if (older.uploader_person_id !== null && older.uploader_person_id === personOf(principal)) return undefined;
  if (principal.kind === 'api-key')
    return {
      reason: 'not-uploader',
      code: 'forbidden',
      message:
        'An API key can only replace files uploaded by the person who created it; ask the uploader or a compliance officer.',
    };
  const role = await ctx.stores.memberships.roleOf(tenant.organizationId, principal.userId, ctx.clock.now());
  if (role && roleAllows(role, MANAGER_PERMISSION)) return undefined;
  return {
    reason: 'not-uploader',
    code: 'forbidden',
    message:
      'Only the person who uploaded this file, or someone who decides approvals (a compliance officer, admin or owner), can replace it.',
  };
}

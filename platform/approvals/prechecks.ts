import type { z } from 'zod';
import type { BuiltInKind, builtInPayloads } from '../../shared/approvals/kinds';
import { fail, ok, type Result } from '../../shared/result';
import type { PlatformContext } from '../context';
import { orgOf, type TenantScope } from '../db/scope';
import { ElevationService } from '../elevations/elevation-service';
import { accessReviewPackIsFinal, isAccessReviewPack } from '../evidence/evidence-service';
import { InvitationService } from '../invitations/invitation-service';
import { PolicyService } from './policy-service';

type Payload<K extends BuiltInKind> = z.infer<(typeof builtInPayloads)[K]>;

/**
 * What can be told when a built-in request is raised, so that no one approves a change that cannot be
 * carried out: the policy change's rules, an invitation of a member, an elevation beyond the policy, a
 * member who is not one. Executors check again when they run: things change while a request waits.
 */
export async function precheck(
  ctx: PlatformContext,
  tenant: TenantScope,
  requesterId: string,
  kind: BuiltInKind,
  payload: unknown,
): Promise<Result<void>> {
  const org = orgOf(tenant);
  const member = async (userId: string) =>
    (await ctx.stores.memberships.get(org, userId))
      ? ok(undefined)
      : fail<void>('not-found', 'Member not found.');
  switch (kind) {
    case 'policy.update': {
      const checked = await new PolicyService(ctx).check(org, payload as Payload<'policy.update'>);
      return checked.ok ? ok(undefined) : checked;
    }
    case 'member.invite':
      return new InvitationService(ctx).check(org, requesterId, payload as Payload<'member.invite'>);
    case 'member.elevate':
      return new ElevationService(ctx).check(org, requesterId, payload as Payload<'member.elevate'>);
    case 'member.remove':
    case 'member.suspend':
    case 'member.resume':
    case 'device_key.revoke':
      return member((payload as { userId: string }).userId);
    case 'api_key.transfer': {
      const { keyId, toUserId } = payload as Payload<'api_key.transfer'>;
      if (!(await ctx.stores.apiKeys.get(tenant, keyId))) return fail('not-found', 'API key not found.');
      return member(toUserId);
    }
    case 'evidence.delete': {
      // Told when raised, so no one is asked to approve what cannot happen.
      const row = await ctx.stores.evidence.get(tenant, (payload as Payload<'evidence.delete'>).evidenceId);
      return row && isAccessReviewPack(row) ? fail('forbidden', accessReviewPackIsFinal) : ok(undefined);
    }
    default:
      return ok(undefined);
  }
}

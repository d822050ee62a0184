import type { z } from 'zod';
import { type BuiltInKind, builtInPayloads } from '../../shared/approvals/kinds';
import { roleAllows } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { orgOf, type TenantScope } from '../db/scope';
import { DeviceKeyService } from '../devices/device-key-service';
import { ElevationService } from '../elevations/elevation-service';
import { EvidenceService } from '../evidence/evidence-service';
import { InvitationService } from '../invitations/invitation-service';
import { transferApiKey } from '../lifecycle/api-key-transfer';
import { MemberLifecycle } from '../lifecycle/member-lifecycle';
import { MembershipService } from '../organizations/membership-service';
import { PolicyService } from './policy-service';

/** What carrying out an approved write produced: a line for the record, and a secret for the requester. */
export interface Execution {
  readonly outcome: string;
  readonly secret?: string;
}

type Executor<K extends BuiltInKind> = (
  ctx: PlatformContext,
  tenant: TenantScope,
  payload: z.infer<(typeof builtInPayloads)[K]>,
  requester: { userId: string },
  context: AuditContext,
  request: { id: string },
) => Promise<Result<Execution>>;

/**
 * The writes the platform carries out itself once a request is approved. Each runs inside the decision's
 * transaction with the requester's authority as it stands at that moment, and writes its own audit entry.
 */
const executors: { [K in BuiltInKind]: Executor<K> } = {
  'member.role_change': async (ctx, tenant, payload, requester, context) => {
    const role = await ctx.stores.memberships.roleOf(
      tenant.organizationId,
      requester.userId,
      ctx.clock.now(),
    );
    const members = new MembershipService(ctx);
    const changed = await members.changeRole(orgOf(tenant), role, payload.userId, payload.role, context);
    return changed.ok ? ok({ outcome: `${payload.userId} is now ${payload.role}` }) : changed;
  },
  'api_key.create': async (ctx, tenant, payload, requester, context) => {
    const role = await ctx.stores.memberships.roleOf(
      tenant.organizationId,
      requester.userId,
      ctx.clock.now(),
    );
    if (!role) return fail('forbidden', 'The requester is no longer a member.');
    const created = await ctx.apiKeys.create(tenant, { userId: requester.userId, role }, payload, context);
    return created.ok
      ? ok({ outcome: `created ${created.value.key.id}`, secret: created.value.secret })
      : created;
  },
  'api_key.rotate': async (ctx, tenant, payload, requester, context) => {
    const rotated = await ctx.apiKeys.rotate(
      tenant,
      requester.userId,
      payload.keyId,
      payload.gracePeriodSeconds,
      context,
    );
    return rotated.ok
      ? ok({ outcome: `rotated ${payload.keyId} to ${rotated.value.key.id}`, secret: rotated.value.secret })
      : rotated;
  },
  'api_key.revoke': async (ctx, tenant, payload, _requester, context) => {
    const revoked = await ctx.apiKeys.revoke(tenant, payload.keyId, context);
    return revoked.ok ? ok({ outcome: `revoked ${payload.keyId}` }) : revoked;
  },
  'evidence.delete': async (ctx, tenant, payload, _requester, context) => {
    const deleted = await new EvidenceService(ctx).delete(tenant, payload.evidenceId, context);
    return deleted.ok ? ok({ outcome: deleted.value }) : deleted;
  },
  'audit.retention': async (ctx, tenant, payload, _requester, context) => {
    const row = await ctx.stores.policies.get(orgOf(tenant));
    const before = row?.audit_retention_days ?? null;
    await ctx.stores.policies.put(orgOf(tenant), {
      lanes: row?.lanes ?? '{}',
      red_approvals: row?.red_approvals ?? 2,
      expiry_days: row?.expiry_days ?? 7,
      audit_retention_days: payload.days,
      max_elevation_hours: row?.max_elevation_hours ?? null,
    });
    await ctx.auditLog.append(tenant, context, {
      action: 'policy.audit_retention',
      resource: { type: 'organization', id: tenant.organizationId },
      change: { before: { days: before }, after: { days: payload.days } },
    });
    return ok({ outcome: `audit retention is now ${payload.days} days` });
  },
  'policy.update': async (ctx, tenant, payload, requester, context) => {
    const role = await ctx.stores.memberships.roleOf(
      tenant.organizationId,
      requester.userId,
      ctx.clock.now(),
    );
    if (!role || !roleAllows(role, 'policy:manage')) {
      return fail('forbidden', 'The requester may no longer change the policy.');
    }
    const applied = await new PolicyService(ctx).apply(orgOf(tenant), payload, context);
    if (!applied.ok) return applied;
    const secret = applied.value.secret;
    return ok({ outcome: 'the policy changed', ...(secret ? { secret } : {}) });
  },
  'member.invite': async (ctx, tenant, payload, requester, context, request) => {
    const issued = await new InvitationService(ctx).issue(
      tenant,
      request.id,
      requester.userId,
      payload,
      context,
    );
    if (!issued.ok) return issued;
    // The enrollment link goes to the invited address only; the requester learns where it is sent.
    return ok({
      outcome: `invitation sent to ${payload.email} (as ${payload.role}, ${issued.value.invitation.id}); the enrollment link goes to that address only`,
    });
  },
  'member.remove': async (ctx, tenant, payload, requester, context) => {
    const role = await ctx.stores.memberships.roleOf(
      tenant.organizationId,
      requester.userId,
      ctx.clock.now(),
    );
    const removed = await new MemberLifecycle(ctx).remove(orgOf(tenant), role, payload.userId, context);
    if (!removed.ok) return removed;
    const keys = removed.value.apiKeysLeft;
    return ok({
      outcome:
        `${payload.userId} is removed` +
        (keys.length > 0 ? `; API keys to revoke or hand over: ${keys.join(', ')}` : ''),
    });
  },
  'member.suspend': async (ctx, tenant, payload, requester, context) => {
    const role = await ctx.stores.memberships.roleOf(
      tenant.organizationId,
      requester.userId,
      ctx.clock.now(),
    );
    const done = await new MemberLifecycle(ctx).suspend(orgOf(tenant), role, payload.userId, context);
    return done.ok ? ok({ outcome: `${payload.userId} is suspended` }) : done;
  },
  'member.resume': async (ctx, tenant, payload, requester, context) => {
    const role = await ctx.stores.memberships.roleOf(
      tenant.organizationId,
      requester.userId,
      ctx.clock.now(),
    );
    const done = await new MemberLifecycle(ctx).resume(orgOf(tenant), role, payload.userId, context);
    return done.ok ? ok({ outcome: `${payload.userId} is resumed` }) : done;
  },
  'member.elevate': async (ctx, tenant, payload, requester, context, request) => {
    const granted = await new ElevationService(ctx).grant(
      tenant,
      request.id,
      requester.userId,
      payload,
      context,
    );
    return granted.ok
      ? ok({ outcome: `${requester.userId} is ${payload.role} until ${granted.value.endsAt}` })
      : granted;
  },
  'api_key.transfer': async (ctx, tenant, payload, _requester, context, request) => {
    const moved = await transferApiKey(ctx, tenant, payload.keyId, payload.toUserId, context, request);
    return moved.ok ? ok({ outcome: moved.value }) : moved;
  },
  'device_key.revoke': async (ctx, tenant, payload, requester, context) => {
    const role = await ctx.stores.memberships.roleOf(
      tenant.organizationId,
      requester.userId,
      ctx.clock.now(),
    );
    const target = await new MemberLifecycle(ctx).actingOn(
      orgOf(tenant),
      role,
      payload.userId,
      'revoke a device key of',
    );
    if (!target.ok) return target;
    const devices = new DeviceKeyService(ctx.stores, ctx.auditLog, ctx.clock);
    const revoked = await devices.revoke(payload.userId, payload.deviceKeyId, context, {
      org: orgOf(tenant),
      reason: 'revoked by another organization',
    });
    return revoked.ok ? ok({ outcome: `revoked ${payload.deviceKeyId}` }) : revoked;
  },
};

export function executeBuiltIn(
  ctx: PlatformContext,
  tenant: TenantScope,
  kind: BuiltInKind,
  payload: unknown,
  requester: { userId: string },
  context: AuditContext,
  request: { id: string },
): Promise<Result<Execution>> {
  const parsed = builtInPayloads[kind].safeParse(payload);
  if (!parsed.success)
    return Promise.resolve(fail('bad-request', 'The stored payload no longer fits its kind.'));
  return (executors[kind] as Executor<typeof kind>)(
    ctx,
    tenant,
    parsed.data as never,
    requester,
    context,
    request,
  );
}

import { environments } from '../../shared/domain/environments';
import type { RoleName } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import type { MemberRow } from '../db/memberships';
import { type OrgScope, tenantScope } from '../db/scope';
import { DeviceKeyService } from '../devices/device-key-service';
import { ElevationService } from '../elevations/elevation-service';
import { recordInBothLogs } from './membership-facts';

/** What a removal did, for the request's outcome and the Members screen. */
export interface Removal {
  readonly sessionsEnded: number;
  readonly deviceKeysRevoked: readonly string[];
  /** Working keys the person owned: they stopped working with the membership; revoke or hand them over. */
  readonly apiKeysLeft: readonly string[];
}

/**
 * Suspension, resumption and removal: each carried out by an approved request of its kind, inside the
 * decision's transaction, with the requester's authority as it stands then (`actorRole`). The owner rules
 * of role changes apply: only an owner acts on an owner, and an organization keeps one active owner.
 */
export class MemberLifecycle {
  constructor(private readonly ctx: PlatformContext) {}

  async suspend(
    org: OrgScope,
    actorRole: RoleName | undefined,
    userId: string,
    context: AuditContext,
  ): Promise<Result<void>> {
    const target = await this.#target(org, actorRole, userId);
    if (!target.ok) return target;
    if (target.value.suspended_at !== null) return fail('conflict', 'This member is already suspended.');
    // Ended, not paused: resuming gives back the membership's own role, not a lapsed elevation.
    await new ElevationService(this.ctx).endFor(org, userId, 'suspended', context.actor.id, context);
    await this.ctx.stores.memberships.setSuspended(org, userId, this.ctx.clock.now());
    await recordInBothLogs(this.ctx.auditLog, org, context, {
      action: 'member.suspend',
      resource: { type: 'user', id: userId },
      change: { before: { role: target.value.role, suspended: false }, after: { suspended: true } },
    });
    return ok(undefined);
  }

  async resume(
    org: OrgScope,
    actorRole: RoleName | undefined,
    userId: string,
    context: AuditContext,
  ): Promise<Result<void>> {
    // Resuming an owner gives back an owner's authority: only an owner does it.
    const target = await this.actingOn(org, actorRole, userId, 'resume');
    if (!target.ok) return target;
    if (!(await this.ctx.stores.memberships.setSuspended(org, userId, null)))
      return fail('conflict', 'This member is not suspended.');
    await recordInBothLogs(this.ctx.auditLog, org, context, {
      action: 'member.resume',
      resource: { type: 'user', id: userId },
      change: { before: { suspended: true }, after: { role: target.value.role, suspended: false } },
    });
    return ok(undefined);
  }

  /**
   * Offboarding: the membership ends, and at once every session (refresh tokens and, through the token
   * family each access token names, access tokens) and every device key of the person is revoked. A
   * session and a device key are the person's, not one organization's, so this ends them everywhere: a
   * person who belongs elsewhere too signs in again and registers a new device key there. Chosen
   * deliberately: a session cannot be narrowed to the organizations that still want the person, and a
   * credential that outlived an offboarding is worse than a sign-in elsewhere. Those other organizations'
   * logs record it with a system actor and the reason, never this organization's actor or request details.
   */
  async remove(
    org: OrgScope,
    actorRole: RoleName | undefined,
    userId: string,
    context: AuditContext,
  ): Promise<Result<Removal>> {
    const { stores, clock, auditLog } = this.ctx;
    const target = await this.#target(org, actorRole, userId);
    if (!target.ok) return target;
    await new ElevationService(this.ctx).endFor(org, userId, 'removed', context.actor.id, context);
    // Before the membership ends, so that this organization's logs record each key's revocation too.
    // Other organizations the person belongs to record it with a system actor and no request details.
    const deviceKeysRevoked = await new DeviceKeyService(stores, auditLog, clock).revokeAll(userId, context, {
      org,
      reason: 'removed by another organization',
    });
    const sessionsEnded = await stores.refreshTokens.revokeAllForUser(userId, clock.now());
    await stores.memberships.remove(org, userId);
    const apiKeysLeft: string[] = [];
    for (const environment of environments) {
      for (const key of await stores.apiKeys.list(tenantScope(org, environment))) {
        const live = key.revoked_at === null && (key.expires_at === null || key.expires_at > clock.now());
        if (live && (key.owner_id ?? key.created_by) === userId) apiKeysLeft.push(key.id);
      }
    }
    await recordInBothLogs(auditLog, org, context, {
      action: 'member.remove',
      resource: { type: 'user', id: userId },
      change: {
        before: { role: target.value.role, suspended: target.value.suspended_at !== null },
        after: { removed: true, sessionsEnded, deviceKeysRevoked, apiKeysLeft },
      },
    });
    return ok({ sessionsEnded, deviceKeysRevoked, apiKeysLeft });
  }

  /**
   * The member acted on, if the requester may act on them: only an owner acts on an owner (suspends,
   * resumes, removes, revokes a device key of), as only an owner grants or removes the owner role.
   */
  async actingOn(
    org: OrgScope,
    actorRole: RoleName | undefined,
    userId: string,
    act: string,
  ): Promise<Result<MemberRow>> {
    // In the decision's transaction (joined, or opened): the membership stays as read until it ends.
    const target = await this.ctx.stores.db.inTenant(org, async () => {
      await this.ctx.stores.db.lockMembership(org, userId);
      return this.ctx.stores.memberships.get(org, userId);
    });
    if (!target) return fail('not-found', 'Member not found.');
    if (target.role === 'owner' && actorRole !== 'owner')
      return fail('forbidden', `Only an owner can ${act} an owner.`);
    return ok(target);
  }

  /** The member acted on, if the requester may act on them and the organization keeps an active owner. */
  async #target(org: OrgScope, actorRole: RoleName | undefined, userId: string): Promise<Result<MemberRow>> {
    const target = await this.actingOn(org, actorRole, userId, 'suspend or remove');
    if (!target.ok) return target;
    if (target.value.role === 'owner') {
      const activeOwner = target.value.suspended_at === null;
      if (activeOwner && (await this.ctx.stores.memberships.countOwners(org)) <= 1)
        return fail('conflict', 'An organization must keep at least one active owner.');
    }
    return target;
  }
}

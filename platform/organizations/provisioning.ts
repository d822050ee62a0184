import type { RoleName } from '../../shared/domain/permissions';
import { systemContext } from '../audit/audit-context';
import { hashPassword } from '../auth/passwords';
import { totpSeedAad } from '../auth/sessions';
import { newTotpSeed } from '../auth/totp';
import type { PlatformContext } from '../context';
import { newId } from '../crypto/random';
import { type OrgScope, orgScope } from '../db/scope';
import { recordInBothLogs } from '../lifecycle/membership-facts';

/** Creating tenants and people: used by the admin CLI and by tests, never by an HTTP route yet. */
export async function createUser(
  ctx: PlatformContext,
  input: { email: string; displayName: string; password: string },
): Promise<{ userId: string; totpSeed: Uint8Array }> {
  const id = newId('usr');
  const totpSeed = newTotpSeed();
  // Hashed before anything is written: a database write never waits on argon2.
  const passwordHash = await hashPassword(input.password);
  await ctx.stores.users.create({
    id,
    email: input.email,
    display_name: input.displayName,
    password_hash: passwordHash,
    totp_seed_sealed: ctx.sealedBox.seal(totpSeed, totpSeedAad(id)),
    totp_last_step: 0,
    created_at: ctx.clock.now(),
    disabled_at: null,
    last_sign_in_at: null,
  });
  return { userId: id, totpSeed };
}

export async function createOrganization(
  ctx: PlatformContext,
  slug: string,
  name: string,
): Promise<OrgScope> {
  const id = newId('org');
  await ctx.stores.organizations.create({ id, slug, name, created_at: ctx.clock.now() });
  return orgScope(id, slug);
}

/** Adds a person to an organization; the change is recorded in both of the organization's logs. */
export async function addMember(
  ctx: PlatformContext,
  org: OrgScope,
  userId: string,
  role: RoleName,
): Promise<void> {
  await ctx.stores.db.inTenant(org, async () => {
    await ctx.stores.memberships.add(org, userId, role, ctx.clock.now());
    await recordInBothLogs(ctx.auditLog, org, systemContext, {
      action: 'member.add',
      resource: { type: 'user', id: userId },
      change: { before: null, after: { role } },
    });
  });
}

import { addMember, createUser } from '../../platform/organizations/provisioning';
import type { DemoUser } from '../../platform/seed/demo';
import type { RoleName } from '../../shared/domain/permissions';
import { decide, registerDevice } from './approvals';
import type { SignedIn } from './lifecycle';
import type { CallResult, TestPlatform } from './platform';

let made = 0;

/**
 * Test setup only, as the admin CLI does: a new person, member of the named organizations with the named
 * roles. What the test then proves goes through the platform's HTTP API.
 */
export async function newPerson(
  platform: TestPlatform,
  memberships: Record<string, RoleName>,
): Promise<DemoUser> {
  made++;
  const tag = `${process.pid}-${made}`;
  const email = `someone-${tag}@example.test`;
  const password = `password of someone ${tag}`;
  const { userId, totpSeed } = await createUser(platform.ctx, {
    email,
    displayName: `Someone ${tag}`,
    password,
  });
  let first: RoleName | undefined;
  for (const [slug, role] of Object.entries(memberships)) {
    const org = await platform.ctx.stores.organizations.findBySlug(slug);
    if (!org) throw new Error(`No organization ${slug}`);
    await addMember(
      platform.ctx,
      { organizationId: org.id, organizationSlug: org.slug } as never,
      userId,
      role,
    );
    first ??= role;
  }
  return {
    organization: Object.keys(memberships)[0] ?? 'acme',
    role: first ?? 'viewer',
    userId,
    email,
    password,
    totpSeed,
  };
}

/** Any person (a demo one or a new one) signed in afresh, with a new device key to sign decisions. */
export async function signedInAs(platform: TestPlatform, user: DemoUser): Promise<SignedIn> {
  const pair = await platform.signIn(user);
  const device = await registerDevice(platform, pair.accessToken);
  return { user, token: pair.accessToken, refreshToken: pair.refreshToken, device };
}

/** `person` approves `request` (a device signature, and a fresh code, which red requests ask for). */
export async function approveAs(
  platform: TestPlatform,
  org: string,
  env: 'test' | 'live',
  person: SignedIn,
  request: { id: string; payloadHash: string },
): Promise<CallResult> {
  return decide(
    platform,
    person.token,
    person.device,
    `/v1/orgs/${org}/envs/${env}/approvals`,
    request,
    'approve',
    {
      totpOf: person.user,
    },
  );
}

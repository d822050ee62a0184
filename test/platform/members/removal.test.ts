import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createUser } from '../../../platform/organizations/provisioning';
import type { DemoUser } from '../../../platform/seed/demo';
import type { RoleName } from '../../../shared/domain/permissions';
import { decide, registerDevice } from '../../helpers/approvals';
import { approveBy, auditEntries, raise, raiseApproved, signedIn } from '../../helpers/lifecycle';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
});
afterAll(() => platform.stop());

let made = 0;
/** A new person, member of the named organizations with the named roles (test setup, as the admin CLI does). */
async function newPerson(memberships: Record<string, RoleName>): Promise<DemoUser> {
  made++;
  const email = `person-${made}@example.test`;
  const password = `password of person ${made}`;
  const { userId, totpSeed } = await createUser(platform.ctx, {
    email,
    displayName: `Person ${made}`,
    password,
  });
  let first: RoleName = 'viewer';
  for (const [slug, role] of Object.entries(memberships)) {
    const org = await platform.ctx.stores.organizations.findBySlug(slug);
    if (!org) throw new Error(slug);
    await addMember(
      platform.ctx,
      { organizationId: org.id, organizationSlug: org.slug } as never,
      userId,
      role,
    );
    first = role;
  }
  return {
    organization: Object.keys(memberships)[0] ?? 'acme',
    role: first,
    userId,
    email,
    password,
    totpSeed,
  };
}

describe('removing a member (offboarding)', () => {
  it('ends the membership and at once the person’s refresh token, access token and device keys, everywhere', async () => {
    const departing = await newPerson({ acme: 'admin', globex: 'compliance_officer' });
    const session = await platform.signIn(departing);
    const device = await registerDevice(platform, session.accessToken);
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: session.accessToken,
      body: { name: 'integration of the departing admin', scopes: ['approvals:read'] },
    });
    expect(key.status, key.text).toBe(201);
    expect((await platform.call('GET', '/v1/me', { token: session.accessToken })).status).toBe(200);

    const owner = await signedIn(platform, 'acme', 'owner');
    const raised = await raise(platform, 'acme', 'test', owner.token, 'member.remove', {
      userId: departing.userId,
    });
    expect(raised.status, raised.text).toBe(201);
    // A membership reaches both environments: the live lane, yellow by default.
    expect(raised.json).toMatchObject({ lane: 'yellow', requiredApprovals: 1 });
    const admin = await signedIn(platform, 'acme', 'admin');
    const executed = await decide(
      platform,
      admin.token,
      admin.device,
      '/v1/orgs/acme/envs/test/approvals',
      raised.json,
      'approve',
    );
    expect(executed.json.status, executed.text).toBe('executed');
    expect(executed.json.outcome).toContain(key.json.key.id);

    // The access token, the refresh token and the API key stop working at once.
    const me = await platform.call('GET', '/v1/me', { token: session.accessToken });
    expect(me.status).toBe(401);
    const refreshed = await platform.call('POST', '/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(refreshed.status).toBe(401);
    const keyUse = await platform.call('GET', '/v1/orgs/acme/envs/test/approvals', {
      token: key.json.secret,
    });
    expect(keyUse.status).toBe(401);

    // Still a member of globex: signing in again works there, but the old device key signs nothing.
    const again = await platform.signIn(departing);
    expect((await platform.call('GET', '/v1/orgs/acme', { token: again.accessToken })).status).toBe(404);
    const globexOwner = await signedIn(platform, 'globex', 'owner');
    const globexRequest = await platform.call('POST', '/v1/orgs/globex/envs/test/approvals', {
      token: globexOwner.token,
      body: { kind: 'custom.check', title: 'Needs a decision', payload: { n: 1 } },
    });
    const withOldDevice = await decide(
      platform,
      again.accessToken,
      device,
      '/v1/orgs/globex/envs/test/approvals',
      globexRequest.json,
      'approve',
    );
    expect(withOldDevice.status).toBe(403);
    expect(withOldDevice.json.error.message).toContain('device key');

    // History keeps the name, marked removed.
    const directory = await platform.call('GET', '/v1/orgs/acme/envs/test/directory', { token: owner.token });
    expect(directory.json.people.find((p: { id: string }) => p.id === departing.userId)).toMatchObject({
      displayName: 'Person 1',
      removed: true,
      role: null,
    });
    const members = await platform.call('GET', '/v1/orgs/acme/members', { token: owner.token });
    expect(members.json.members.some((m: { userId: string }) => m.userId === departing.userId)).toBe(false);

    for (const env of ['live', 'test'] as const) {
      const removed = await auditEntries(platform, 'acme', env, 'member.remove');
      const entryOf = removed.find((e) => e.resource.id === departing.userId);
      expect(entryOf?.change.after).toMatchObject({
        removed: true,
        deviceKeysRevoked: [device.id],
        apiKeysLeft: [key.json.key.id],
      });
      expect(entryOf.change.after.sessionsEnded).toBeGreaterThanOrEqual(1);
    }
  });

  it('lists the removed person’s API key for hand-over, a red request that makes it act as the new owner', async () => {
    const departing = await newPerson({ acme: 'admin' });
    const session = await platform.signIn(departing);
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: session.accessToken,
      body: { name: 'nightly export', scopes: ['approvals:read', 'members:read'] },
    });
    expect(key.status).toBe(201);
    const owner = await signedIn(platform, 'acme', 'owner');
    await raiseApproved(platform, 'acme', 'test', owner, 'member.remove', { userId: departing.userId }, [
      'admin',
    ]);
    expect((await platform.call('GET', '/v1/orgs/acme/members', { token: key.json.secret })).status).toBe(
      401,
    );

    const grants = await platform.call('GET', '/v1/orgs/acme/envs/test/grants', { token: owner.token });
    expect(grants.status).toBe(200);
    expect(grants.json.apiKeys.find((k: { id: string }) => k.id === key.json.key.id)).toMatchObject({
      ownerId: departing.userId,
      ownerStatus: 'removed',
    });

    // A member's role allows the key's scope (approvals:read): the hand-over is allowed. The new owner is
    // neither of its approvers (key-handover.test.ts proves one is refused).
    const newOwner = await newPerson({ acme: 'member' });
    const raised = await raise(platform, 'acme', 'test', owner.token, 'api_key.transfer', {
      keyId: key.json.key.id,
      toUserId: newOwner.userId,
    });
    expect(raised.status, raised.text).toBe(201);
    expect(raised.json).toMatchObject({ lane: 'red', requiredApprovals: 2 });
    for (const role of ['admin', 'compliance_officer'] as const) {
      const approver = await signedIn(platform, 'acme', role);
      const reply = await decide(
        platform,
        approver.token,
        approver.device,
        '/v1/orgs/acme/envs/test/approvals',
        raised.json,
        'approve',
        { totpOf: approver.user },
      );
      if (role === 'compliance_officer') expect(reply.json.status, reply.text).toBe('executed');
    }
    // The departed person's secret does not come back to life as someone else: it stays dead until the
    // new owner rotates the key (key-handover.test.ts).
    const revived = await platform.call('GET', '/v1/orgs/acme/members', { token: key.json.secret });
    expect(revived.status).toBe(401);
    const after = await platform.call('GET', '/v1/orgs/acme/envs/test/grants', {
      token: (await platform.signIn(platform.user('acme', 'owner'))).accessToken,
    });
    expect(after.json.apiKeys.find((k: { id: string }) => k.id === key.json.key.id)).toMatchObject({
      ownerId: newOwner.userId,
      ownerStatus: 'active',
      createdBy: departing.userId,
    });
    const transfers = await auditEntries(platform, 'acme', 'test', 'api_key.transfer');
    expect(transfers[0].change).toEqual({
      before: { owner: departing.userId },
      after: { owner: newOwner.userId, oldSecretInvalidated: true },
    });
  });

  it('refuses a hand-over to a member whose role does not allow the key’s scopes', async () => {
    const owner = await signedIn(platform, 'acme', 'owner');
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: owner.token,
      body: { name: 'auditor-bound', scopes: ['approvals:request'] },
    });
    const executed = await raiseApproved(
      platform,
      'acme',
      'test',
      owner,
      'api_key.transfer',
      { keyId: key.json.key.id, toUserId: platform.user('acme', 'auditor').userId },
      ['admin', 'compliance_officer'],
    );
    expect(executed.status).toBe('failed');
    expect(executed.outcome).toContain('approvals:request');
  });

  it('fails a request its requester raised before being removed or suspended: approval lends no lost authority', async () => {
    const departing = await newPerson({ acme: 'admin' });
    const session = await platform.signIn(departing);
    const invite = await raise(platform, 'acme', 'live', session.accessToken, 'member.invite', {
      email: 'after-departure@example.test',
      role: 'viewer',
      displayName: 'After Departure',
    });
    expect(invite.status).toBe(201);
    const paused = await newPerson({ acme: 'admin' });
    const pausedSession = await platform.signIn(paused);
    const suspendOther = await raise(platform, 'acme', 'live', pausedSession.accessToken, 'member.suspend', {
      userId: platform.user('acme', 'viewer').userId,
    });
    expect(suspendOther.status).toBe(201);
    const owner = await signedIn(platform, 'acme', 'owner');
    await raiseApproved(platform, 'acme', 'live', owner, 'member.remove', { userId: departing.userId }, [
      'admin',
    ]);
    await raiseApproved(platform, 'acme', 'live', owner, 'member.suspend', { userId: paused.userId }, [
      'admin',
    ]);

    const lateInvite = await approveBy(platform, 'acme', 'live', invite.json, ['compliance_officer']);
    expect(lateInvite.json.status).toBe('failed');
    expect(lateInvite.json.outcome).toContain('no longer an active member');
    const lateSuspension = await approveBy(platform, 'acme', 'live', suspendOther.json, [
      'compliance_officer',
    ]);
    expect(lateSuspension.json.status).toBe('failed');
    const invitations = await platform.call('GET', '/v1/orgs/acme/invitations?status=all', {
      token: owner.token,
    });
    expect(
      invitations.json.invitations.some((i: { email: string }) => i.email === 'after-departure@example.test'),
    ).toBe(false);
  });

  it('lets only an owner remove an owner, and never the last active one', async () => {
    const admin = await signedIn(platform, 'acme', 'admin');
    const owner = platform.user('acme', 'owner');
    const byAdmin = await raiseApproved(
      platform,
      'acme',
      'live',
      admin,
      'member.remove',
      { userId: owner.userId },
      ['compliance_officer'],
    );
    expect(byAdmin.status).toBe('failed');
    expect(byAdmin.outcome).toContain('Only an owner');
  });
});

describe('suspending and resuming a member', () => {
  it('refuses the suspended member everywhere in the organization until resumed, each step in its lane and on record', async () => {
    const person = await newPerson({ acme: 'compliance_officer' });
    const session = await platform.signIn(person);
    expect((await platform.call('GET', '/v1/orgs/acme', { token: session.accessToken })).status).toBe(200);
    const admin = await signedIn(platform, 'acme', 'admin');
    const raised = await raise(platform, 'acme', 'live', admin.token, 'member.suspend', {
      userId: person.userId,
    });
    expect(raised.json).toMatchObject({ lane: 'yellow', status: 'pending' });
    // Not yet carried out: the person still works.
    expect((await platform.call('GET', '/v1/orgs/acme', { token: session.accessToken })).status).toBe(200);
    const executed = await approveBy(platform, 'acme', 'live', raised.json, ['compliance_officer']);
    expect(executed.json.status).toBe('executed');

    const refused = await platform.call('GET', '/v1/orgs/acme', { token: session.accessToken });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toContain('suspended');
    const members = await platform.call('GET', '/v1/orgs/acme/members', { token: admin.token });
    expect(members.json.members.find((m: { userId: string }) => m.userId === person.userId).suspended).toBe(
      true,
    );

    const resumed = await raiseApproved(
      platform,
      'acme',
      'live',
      admin,
      'member.resume',
      { userId: person.userId },
      ['owner'],
    );
    expect(resumed.status).toBe('executed');
    expect((await platform.call('GET', '/v1/orgs/acme', { token: session.accessToken })).status).toBe(200);
    for (const env of ['live', 'test'] as const) {
      for (const action of ['member.suspend', 'member.resume']) {
        const entries = await auditEntries(platform, 'acme', env, action);
        expect(
          entries.some((e) => e.resource.id === person.userId),
          `${action} in ${env}`,
        ).toBe(true);
      }
    }
  });

  it('refuses an API key whose owner is suspended with 403, not 401, and takes it back on resumption', async () => {
    const person = await newPerson({ acme: 'admin' });
    const session = await platform.signIn(person);
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: session.accessToken,
      body: { name: 'paused integration', scopes: ['orgs:read'] },
    });
    const owner = await signedIn(platform, 'acme', 'owner');
    await raiseApproved(platform, 'acme', 'live', owner, 'member.suspend', { userId: person.userId }, [
      'admin',
    ]);
    const refused = await platform.call('GET', '/v1/orgs/acme', { token: key.json.secret });
    expect(refused.status).toBe(403);
    await raiseApproved(platform, 'acme', 'live', owner, 'member.resume', { userId: person.userId }, [
      'admin',
    ]);
    expect((await platform.call('GET', '/v1/orgs/acme', { token: key.json.secret })).status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveBy, raise, raiseApproved, signedIn } from '../../helpers/lifecycle';
import { newPerson, signedInAs } from '../../helpers/people';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

// Role changes are green here (test setup): the owner rules under test are the lifecycle kinds'.
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

async function invitations(): Promise<{ email: string; role: string }[]> {
  const admin = await platform.signIn(platform.user('acme', 'admin'));
  const reply = await platform.call('GET', '/v1/orgs/acme/invitations?status=all', {
    token: admin.accessToken,
  });
  expect(reply.status).toBe(200);
  return reply.json.invitations;
}

async function memberRow(userId: string): Promise<{ role: string; suspended: boolean } | undefined> {
  const owner = await platform.signIn(platform.user('acme', 'owner'));
  const reply = await platform.call('GET', '/v1/orgs/acme/members', { token: owner.accessToken });
  return reply.json.members.find((m: { userId: string }) => m.userId === userId);
}

describe('only an owner brings in an owner by invitation', () => {
  it('refuses an admin’s invitation of an owner when it is raised', async () => {
    const admin = await signedIn(platform, 'acme', 'admin');
    const raised = await raise(platform, 'acme', 'live', admin.token, 'member.invite', {
      email: 'minted-owner@example.test',
      role: 'owner',
      displayName: 'Minted Owner',
    });
    expect(raised.status, raised.text).toBe(403);
    expect(raised.json.error.message).toBe('Only an owner can invite an owner.');
    expect((await invitations()).some((i) => i.email === 'minted-owner@example.test')).toBe(false);
  });

  it('refuses it when carried out if its requester is no longer an owner by then', async () => {
    const former = await newPerson(platform, { acme: 'owner' });
    const requester = await signedInAs(platform, former);
    const raised = await raise(platform, 'acme', 'live', requester.token, 'member.invite', {
      email: 'late-owner@example.test',
      role: 'owner',
      displayName: 'Late Owner',
    });
    expect(raised.status, raised.text).toBe(201);
    expect(raised.json.lane).toBe('red');
    // Demoted to admin while the request waits (admins keep members:manage, so only the owner rule stops it).
    const owner = await signedIn(platform, 'acme', 'owner');
    const demoted = await raiseApproved(
      platform,
      'acme',
      'live',
      owner,
      'member.role_change',
      { userId: former.userId, role: 'admin' },
      [],
    );
    expect(demoted.status).toBe('executed');
    const done = await approveBy(platform, 'acme', 'live', raised.json, ['compliance_officer', 'owner']);
    expect(done.json.status, done.text).toBe('failed');
    expect(done.json.outcome).toBe('Only an owner can invite an owner.');
    expect((await invitations()).some((i) => i.email === 'late-owner@example.test')).toBe(false);
  });
});

describe('only an owner resumes an owner or revokes an owner’s device key', () => {
  it('refuses an admin’s resumption of a suspended owner when it is carried out', async () => {
    const second = await newPerson(platform, { acme: 'owner' });
    const owner = await signedIn(platform, 'acme', 'owner');
    const suspended = await raiseApproved(
      platform,
      'acme',
      'live',
      owner,
      'member.suspend',
      { userId: second.userId },
      ['compliance_officer'],
    );
    expect(suspended.status).toBe('executed');
    const admin = await signedIn(platform, 'acme', 'admin');
    const resumed = await raiseApproved(
      platform,
      'acme',
      'live',
      admin,
      'member.resume',
      { userId: second.userId },
      ['compliance_officer'],
    );
    expect(resumed.status).toBe('failed');
    expect(resumed.outcome).toContain('Only an owner');
    expect(await memberRow(second.userId)).toMatchObject({ role: 'owner', suspended: true });
    // An owner may.
    const byOwner = await raiseApproved(
      platform,
      'acme',
      'live',
      owner,
      'member.resume',
      { userId: second.userId },
      ['compliance_officer'],
    );
    expect(byOwner.status, byOwner.outcome ?? '').toBe('executed');
    expect(await memberRow(second.userId)).toMatchObject({ role: 'owner', suspended: false });
  });

  it('refuses an admin’s revocation of an owner’s device key when it is carried out', async () => {
    const second = await newPerson(platform, { acme: 'owner' });
    const holder = await signedInAs(platform, second);
    const admin = await signedIn(platform, 'acme', 'admin');
    const revoked = await raiseApproved(
      platform,
      'acme',
      'live',
      admin,
      'device_key.revoke',
      { userId: second.userId, deviceKeyId: holder.device.id },
      ['compliance_officer'],
    );
    expect(revoked.status).toBe('failed');
    expect(revoked.outcome).toContain('Only an owner');
    const keys = await platform.call('GET', '/v1/me/device-keys', { token: holder.token });
    expect(keys.json.keys.find((k: { id: string }) => k.id === holder.device.id).revokedAt).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../helpers/approvals';
import { signedIn } from '../../helpers/lifecycle';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

const DAY = 24 * 3600_000;

async function grants() {
  const owner = await platform.signIn(platform.user('acme', 'owner'));
  const reply = await platform.call('GET', '/v1/orgs/acme/envs/test/grants', { token: owner.accessToken });
  expect(reply.status, reply.text).toBe(200);
  return reply.json;
}

describe('last use of every grant, and the 90-day flag', () => {
  it('records a member’s sign-in, an API key’s use and a device key’s signed decision, and flags what goes unused for 90 days', async () => {
    const admin = await signedIn(platform, 'acme', 'admin');
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: admin.token,
      body: { name: 'last-use probe', scopes: ['orgs:read'] },
    });
    expect(key.status).toBe(201);
    const unusedKey = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: admin.token,
      body: { name: 'never used', scopes: ['orgs:read'] },
    });
    expect((await platform.call('GET', '/v1/orgs/acme', { token: key.json.secret })).status).toBe(200);
    const owner = await signedIn(platform, 'acme', 'owner');
    const request = await platform.call('POST', '/v1/orgs/acme/envs/test/approvals', {
      token: owner.token,
      body: { kind: 'custom.probe', title: 'Signed with the admin’s device', payload: { n: 1 } },
    });
    const decided = await decide(
      platform,
      admin.token,
      admin.device,
      '/v1/orgs/acme/envs/test/approvals',
      request.json,
      'approve',
    );
    expect(decided.status).toBe(200);

    const now = await grants();
    const adminRow = now.members.find((m: { userId: string }) => m.userId === admin.user.userId);
    expect(adminRow.lastSignInAt).not.toBeNull();
    expect(adminRow.unused90Days).toBe(false);
    const viewerRow = now.members.find(
      (m: { userId: string }) => m.userId === platform.user('acme', 'viewer').userId,
    );
    expect(viewerRow.lastSignInAt).toBeNull();
    const keyRow = now.apiKeys.find((k: { id: string }) => k.id === key.json.key.id);
    expect(keyRow.lastUsedAt).not.toBeNull();
    expect(now.apiKeys.find((k: { id: string }) => k.id === unusedKey.json.key.id).lastUsedAt).toBeNull();
    const deviceRow = now.deviceKeys.find((d: { id: string }) => d.id === admin.device.id);
    expect(deviceRow.lastUsedAt).not.toBeNull();
    expect(deviceRow.unused90Days).toBe(false);

    platform.clock.advance(91 * DAY);
    // The admin signs in again; nothing else is used.
    await platform.signIn(platform.user('acme', 'admin'));
    const later = await grants();
    expect(later.members.find((m: { userId: string }) => m.userId === admin.user.userId).unused90Days).toBe(
      false,
    );
    expect(
      later.members.find((m: { userId: string }) => m.userId === platform.user('acme', 'viewer').userId)
        .unused90Days,
    ).toBe(true);
    expect(later.apiKeys.find((k: { id: string }) => k.id === key.json.key.id).unused90Days).toBe(true);
    expect(later.apiKeys.find((k: { id: string }) => k.id === unusedKey.json.key.id).unused90Days).toBe(true);
    expect(later.deviceKeys.find((d: { id: string }) => d.id === admin.device.id).unused90Days).toBe(true);
    // The members list carries the same flag for the Members screen.
    const members = await platform.call('GET', '/v1/orgs/acme/members', {
      token: (await platform.signIn(platform.user('acme', 'owner'))).accessToken,
    });
    expect(
      members.json.members.find(
        (m: { userId: string }) => m.userId === platform.user('acme', 'viewer').userId,
      ).unused90Days,
    ).toBe(true);
  });

  it('refuses the grants to a role that may read members but not keys', async () => {
    const member = await platform.signIn(platform.user('acme', 'member'));
    const reply = await platform.call('GET', '/v1/orgs/acme/envs/test/grants', { token: member.accessToken });
    expect(reply.status).toBe(403);
  });
});

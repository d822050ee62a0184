import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
});
afterAll(() => platform.stop());

describe('role changes follow the approval policy', () => {
  it('refuses a direct role change outside the green lane and names the approval kind to raise', async () => {
    const admin = await platform.signIn(platform.user('acme', 'admin'));
    const viewer = platform.user('acme', 'viewer');
    const direct = await platform.call('PUT', `/v1/orgs/acme/members/${viewer.userId}/role`, {
      token: admin.accessToken,
      body: { role: 'auditor' },
    });
    expect(direct.status).toBe(403);
    expect(direct.json.error.code).toBe('approval-required');
    expect(direct.json.error.message).toContain('member.role_change');
    const members = await platform.call('GET', '/v1/orgs/acme/members', { token: admin.accessToken });
    expect(members.json.members.find((m: { userId: string }) => m.userId === viewer.userId).role).toBe(
      'viewer',
    );
  });

  it('takes the live lane for a role change raised in test, since a role reaches both environments', async () => {
    const admin = await platform.signIn(platform.user('acme', 'admin'));
    const viewer = platform.user('acme', 'viewer');
    const raised = await platform.call('POST', '/v1/orgs/acme/envs/test/approvals', {
      token: admin.accessToken,
      body: {
        kind: 'member.role_change',
        title: 'Make the viewer an auditor',
        payload: { userId: viewer.userId, role: 'auditor' },
      },
    });
    expect(raised.status).toBe(201);
    expect(raised.json).toMatchObject({ lane: 'red', status: 'pending', requiredApprovals: 2 });
  });

  it('lets the change through when the policy puts role changes in the green lane', async () => {
    const owner = await platform.signIn(platform.user('acme', 'owner'));
    await platform.setLanes('acme', { 'member.role_change': { test: 'green', live: 'green' } });
    const viewer = platform.user('acme', 'viewer');
    const direct = await platform.call('PUT', `/v1/orgs/acme/members/${viewer.userId}/role`, {
      token: owner.accessToken,
      body: { role: 'auditor' },
    });
    expect(direct.status).toBe(200);
    expect(direct.json.role).toBe('auditor');
  });
});

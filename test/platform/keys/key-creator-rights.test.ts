import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSql, startPlatform, type TestPlatform } from '../../helpers/platform';

/**
 * An API key acts as the person who created it, with no more than that person may do now: a demoted
 * creator's key shrinks with them, and a creator who leaves takes the key's power with them.
 */
let platform: TestPlatform;
let owner: string;
let admin: string;

beforeAll(async () => {
  platform = await startPlatform();
  owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
  admin = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
});
afterAll(() => platform.stop());

async function adminKey(scopes: string[]) {
  const reply = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
    token: admin,
    body: { name: 'integration', scopes },
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.json.secret as string;
}

const raiseWith = (key: string) =>
  platform.call('POST', '/v1/orgs/acme/envs/test/approvals', {
    token: key,
    body: { kind: 'custom.sync', title: 'Sync', payload: {} },
  });

describe("an API key's effective scopes", () => {
  it("shrink to what its creator's current role allows, and say why", async () => {
    const key = await adminKey(['approvals:request', 'approvals:read', 'audit:read']);
    expect((await raiseWith(key)).status).toBe(201);
    const admins = platform.user('acme', 'admin');
    const demoted = await platform.call('PUT', `/v1/orgs/acme/members/${admins.userId}/role`, {
      token: owner,
      body: { role: 'viewer' },
    });
    expect(demoted.status, demoted.text).toBe(200);
    const refused = await raiseWith(key);
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(
      /person who created this API key may no longer use approvals:request/,
    );
    expect((await platform.call('GET', '/v1/orgs/acme/envs/test/approvals', { token: key })).status).toBe(
      200,
    );
    const self = await platform.call('GET', '/v1/api-keys/self', { token: key });
    expect(self.json.scopes.sort()).toEqual(['approvals:read', 'audit:read']);
    const restored = await platform.call('PUT', `/v1/orgs/acme/members/${admins.userId}/role`, {
      token: owner,
      body: { role: 'admin' },
    });
    expect(restored.status).toBe(200);
    expect((await raiseWith(key)).status).toBe(201);
  });

  it('stop working altogether once the creator is no longer a member, and the refusal is audited', async () => {
    const key = await adminKey(['approvals:read']);
    expect((await platform.call('GET', '/v1/orgs/acme/envs/test/approvals', { token: key })).status).toBe(
      200,
    );
    const admins = platform.user('acme', 'admin');
    const org = await platform.ctx.stores.organizations.findBySlug('acme');
    // No removal route exists yet (member lifecycle is its own work); the row goes as removal would take it.
    await rawSql(
      platform,
      sql`DELETE FROM memberships WHERE organization_id = ${org?.id} AND user_id = ${admins.userId}`,
    );
    const after = await platform.call('GET', '/v1/orgs/acme/envs/test/approvals', { token: key });
    expect(after.status).toBe(401);
    const auditor = (await platform.signIn(platform.user('acme', 'auditor'))).accessToken;
    const entries = await platform.call(
      'GET',
      '/v1/orgs/acme/envs/test/audit/entries?action=api_key.use_refused&limit=50',
      { token: auditor },
    );
    expect(
      entries.json.entries.some(
        (e: { change: { after: { reason: string } } }) => e.change.after.reason === 'creator-removed',
      ),
    ).toBe(true);
  });

  it('an environment key never changes organization-wide settings, whatever its scopes', async () => {
    const created = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: owner,
      body: { name: 'test-environment key', scopes: ['policy:manage', 'orgs:read'] },
    });
    const key = created.json.secret as string;
    const policyWrite = await platform.call('PUT', '/v1/orgs/acme/policy', {
      token: key,
      body: { redApprovals: 2 },
    });
    expect(policyWrite.status).toBe(403);
    expect(policyWrite.json.error.message).toBe(
      'Organization-wide changes are made by people, not by API keys.',
    );
  });
});

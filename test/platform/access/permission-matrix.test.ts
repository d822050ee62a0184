import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../platform/audit/audit-context';
import { orgScope, tenantScope } from '../../../platform/db/scope';
import { roleNames } from '../../../shared/domain/permissions';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { endpoints, freshTarget } from '../endpoints';

let platform: TestPlatform;
const tokens = new Map<string, string>();

beforeAll(async () => {
  platform = await startPlatform();
  for (const role of roleNames)
    tokens.set(role, (await platform.signIn(platform.user('acme', role))).accessToken);
});
afterAll(() => platform.stop());

describe('every role against every endpoint', () => {
  for (const endpoint of endpoints) {
    for (const role of roleNames) {
      const allowed = endpoint.allowed === 'any-user' || endpoint.allowed.includes(role);
      it(`${role} ${allowed ? 'may' : 'may not'} ${endpoint.name}`, async () => {
        const target = await freshTarget(platform, 'acme', 'test');
        const reply = await platform.call(endpoint.method, endpoint.path(target), {
          token: tokens.get(role),
          body: endpoint.body?.(target),
        });
        if (allowed) {
          expect(reply.status, reply.text).toBe(endpoint.okStatus);
        } else {
          expect(reply.status, reply.text).toBe(403);
          expect(reply.json.error.code).toBe('forbidden');
        }
      });
    }
  }
});

describe('API keys against every endpoint', () => {
  it('a key acts only within its scopes and never on person-only or key-management endpoints', async () => {
    const owner = tokens.get('owner');
    const created = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: owner,
      body: { name: 'broad', scopes: ['orgs:read', 'members:read', 'keys:read'] },
    });
    expect(created.status).toBe(201);
    const key = created.json.secret as string;
    const expected: Record<string, number> = {
      'list roles': 200,
      'who am I': 403,
      'list my organizations': 403,
      'read organization': 200,
      'list members': 200,
      'change a member role': 403,
      'list API keys': 200,
      'create an API key': 403,
      'read an API key': 200,
      'rotate an API key': 403,
      'revoke an API key': 403,
      'read audit entries': 403,
      'read the latest checkpoint': 403,
      'read the signing-key announcements and their proofs': 403,
      'read an inclusion proof': 403,
      'read a consistency proof': 403,
      'export the audit log': 403,
      'list approval requests': 403,
      'read the approval policy': 200,
      'raise an approval request': 403,
      'list evidence': 403,
      'write the approval policy directly': 403,
      'write the webhook target directly': 403,
      'list my device keys': 403,
      'read the tenant directory': 200,
    };
    for (const endpoint of endpoints) {
      const target = await freshTarget(platform, 'acme', 'test');
      const reply = await platform.call(endpoint.method, endpoint.path(target), {
        token: key,
        body: endpoint.body?.(target),
      });
      expect([endpoint.name, reply.status]).toEqual([endpoint.name, expected[endpoint.name]]);
    }
  });

  it('a key cannot be given a scope that manages keys or members', async () => {
    for (const scope of ['keys:manage', 'members:manage']) {
      const reply = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
        token: tokens.get('owner'),
        body: { name: 'escalate', scopes: [scope] },
      });
      expect(reply.status).toBe(400);
    }
  });

  it('a person cannot hand a key a permission their role lacks', () => {
    // Only owners and admins reach key creation over HTTP today, and they hold every permission, so the
    // rule is proved on the service that enforces it.
    const org = platform.ctx.stores.organizations.findBySlug('acme');
    if (!org) throw new Error('acme missing');
    const tenant = tenantScope(orgScope(org.id, org.slug), 'test');
    const officer = platform.user('acme', 'compliance_officer');
    const refused = platform.ctx.apiKeys.create(
      tenant,
      { userId: officer.userId, role: 'compliance_officer' },
      { name: 'too broad', scopes: ['approvals:read', 'audit:export'] },
      systemContext,
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('forbidden');
      expect(refused.error.message).toContain('audit:export');
    }
    const allowed = platform.ctx.apiKeys.create(
      tenant,
      { userId: officer.userId, role: 'compliance_officer' },
      { name: 'within role', scopes: ['approvals:read', 'audit:read'] },
      systemContext,
    );
    expect(allowed.ok).toBe(true);
  });
});

describe('owner role rules', () => {
  it('an admin cannot grant the owner role; an owner can, and the last owner cannot step down', async () => {
    const viewer = platform.user('acme', 'viewer');
    const owner = platform.user('acme', 'owner');
    const byAdmin = await platform.call('PUT', `/v1/orgs/acme/members/${viewer.userId}/role`, {
      token: tokens.get('admin'),
      body: { role: 'owner' },
    });
    expect(byAdmin.status).toBe(403);
    const lastOwner = await platform.call('PUT', `/v1/orgs/acme/members/${owner.userId}/role`, {
      token: tokens.get('owner'),
      body: { role: 'admin' },
    });
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.json.error.code).toBe('conflict');
  });
});

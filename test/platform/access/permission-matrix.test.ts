import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../platform/audit/audit-context';
import { orgScope, tenantScope } from '../../../platform/db/scope';
import { routeTableOf } from '../../../platform/http/route-table';
import { type Permission, type RoleName, roleNames } from '../../../shared/domain/permissions';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import {
  apiKeyCaller,
  type Caller,
  callEndpoint,
  type Endpoint,
  endpoints,
  everyKeyScope,
  freshTarget,
  pathMatchesRoute,
  personCaller,
} from '../endpoints';

/** Routes anyone may call without credentials, written out by hand; every other route needs a row below. */
const publicRoutes = [
  'GET /v1/health',
  'POST /v1/auth/sign-in',
  'POST /v1/auth/refresh',
  'POST /v1/auth/sign-out',
  'GET /.well-known/openid-configuration',
  'GET /.well-known/oauth-authorization-server',
  'GET /oauth/jwks',
  'GET /oauth/authorize',
  'POST /oauth/authorize',
  'POST /oauth/token',
  'GET /v1/audit/verifier-keys',
  // The enrollment page: the one-time link's secret is its credential.
  'GET /enroll',
  'POST /enroll',
];

/** A platform started for one describe block, stopped after it. */
function platformFor(options: { defaultPolicy: boolean }): () => TestPlatform {
  let platform: TestPlatform | undefined;
  beforeAll(async () => {
    platform = await startPlatform(options);
  });
  afterAll(() => platform?.stop());
  return () => {
    if (!platform) throw new Error('platform not started');
    return platform;
  };
}

const endpointByName = (name: string): Endpoint => {
  const found = endpoints.find((e) => e.name === name);
  if (!found) throw new Error(`No endpoint named ${name}`);
  return found;
};

describe('the matrix against the server’s route table', () => {
  const platform = platformFor({ defaultPolicy: false });

  it('has a row for every authenticated route the server declares, and none for a route it does not', () => {
    const declared = routeTableOf(platform().app).map((r) => `${r.method} ${r.url}`);
    // Fastify answers HEAD for every GET route through the GET route itself (same guards).
    const routes = declared.filter(
      (r) => !(r.startsWith('HEAD ') && declared.includes(r.replace(/^HEAD /, 'GET '))),
    );
    expect(routes.length).toBeGreaterThan(publicRoutes.length);
    expect(publicRoutes.filter((r) => !routes.includes(r))).toEqual([]);
    const authenticated = routes.filter((r) => !publicRoutes.includes(r)).sort();
    const rows = [...new Set(endpoints.map((e) => `${e.method} ${e.route}`))].sort();
    expect(rows).toEqual(authenticated);
  });

  it('each row’s path is an instance of the route it claims', async () => {
    const caller = await personCaller(platform(), 'acme', 'owner');
    const target = await freshTarget(platform(), 'acme', 'test', caller);
    const mismatched = endpoints.filter((e) => !pathMatchesRoute(e.route, e.path(target)));
    expect(mismatched.map((e) => e.name)).toEqual([]);
  });

  it('every row refuses a call without credentials with 401; every public route answers one', async () => {
    const caller = await personCaller(platform(), 'acme', 'owner');
    for (const endpoint of endpoints) {
      const target = await freshTarget(platform(), 'acme', 'test', caller);
      const reply = await callEndpoint(platform(), endpoint, target, undefined);
      expect([endpoint.name, reply.status, reply.json?.error?.code]).toEqual([
        endpoint.name,
        401,
        'unauthenticated',
      ]);
    }
    for (const route of publicRoutes) {
      const [method, path] = route.split(' ') as [string, string];
      const reply = await platform().call(method, path);
      expect([route, reply.status === 401 || reply.json?.error?.code === 'unauthenticated']).toEqual([
        route,
        false,
      ]);
    }
  });
});

const runs = [
  { policy: 'the test helper’s green lanes', defaultPolicy: false, envs: ['test'] as const },
  { policy: 'the default policy', defaultPolicy: true, envs: ['test', 'live'] as const },
];

for (const run of runs) {
  describe(`every role against every endpoint, under ${run.policy}`, () => {
    const platform = platformFor({ defaultPolicy: run.defaultPolicy });
    const callers = new Map<RoleName, Caller>();
    beforeAll(async () => {
      for (const role of roleNames) callers.set(role, await personCaller(platform(), 'acme', role));
    });

    for (const env of run.envs) {
      for (const endpoint of endpoints) {
        for (const role of roleNames) {
          const allowed = endpoint.allowed === 'any-user' || endpoint.allowed.includes(role);
          const laneRefuses = run.defaultPolicy && endpoint.approvalRequiredByDefaultIn?.includes(env);
          const expected = !allowed
            ? 'is refused'
            : laneRefuses
              ? 'is told an approval is required to'
              : 'may';
          it(`${env}: ${role} ${expected} ${endpoint.name}`, async () => {
            const caller = callers.get(role) as Caller;
            const target = await freshTarget(platform(), 'acme', env, caller);
            const reply = await callEndpoint(platform(), endpoint, target, caller.token);
            if (!allowed) {
              expect(reply.status, reply.text).toBe(403);
              expect(reply.json.error.code).toBe('forbidden');
            } else if (laneRefuses) {
              expect(reply.status, reply.text).toBe(403);
              expect(reply.json.error.code).toBe('approval-required');
            } else {
              expect(reply.status, reply.text).toBe(endpoint.okStatus);
            }
          });
        }
      }
    }
  });
}

const someReadScopes: Permission[] = ['orgs:read', 'members:read', 'keys:read'];

describe('API keys against every endpoint', () => {
  const platform = platformFor({ defaultPolicy: false });

  it('a key acts only within its scopes and never on person-only or key-management endpoints', async () => {
    // [a key with some read scopes, a key with every scope a key may hold]
    const expected: Record<string, [number, number]> = {
      'list roles': [200, 200],
      'who am I': [403, 403],
      'list my organizations': [403, 403],
      'describe the calling API key': [200, 200],
      'read organization': [200, 200],
      'list members': [200, 200],
      'change a member role': [403, 403],
      'list API keys': [200, 200],
      'create an API key': [403, 403],
      'read an API key': [200, 200],
      'rotate an API key': [403, 403],
      'revoke an API key': [403, 403],
      'read audit entries': [403, 200],
      'read the latest checkpoint': [403, 200],
      'read the signing-key announcements and their proofs': [403, 200],
      'read an inclusion proof': [403, 200],
      'read a consistency proof': [403, 200],
      'export the audit log': [403, 200],
      'list approval requests': [403, 200],
      'raise an approval request': [403, 201],
      'read an approval request': [403, 200],
      'read the timeline of a request': [403, 200],
      'read the webhook deliveries of a request': [403, 200],
      'decide a request (signed by a registered device)': [403, 403],
      'comment on a request': [403, 403],
      'withdraw an own request': [403, 200],
      'collect the result of an own request': [403, 200],
      'upload evidence': [403, 201],
      'list evidence': [403, 200],
      'list evidence with filters and pages': [403, 200],
      'read the evidence coverage per month': [403, 200],
      'read one evidence file’s metadata': [403, 200],
      'issue a download URL for evidence': [403, 200],
      'download evidence through a URL issued to the caller': [403, 200],
      'read the approval policy': [200, 200],
      'write the approval policy directly': [403, 403],
      'write the webhook target directly': [403, 403],
      'list my device keys': [403, 403],
      'register a device key': [403, 403],
      'revoke an own device key': [403, 403],
      'read the tenant directory': [200, 200],
      'list invitations': [200, 200],
      'revoke an invitation': [403, 403],
      'list elevations': [200, 200],
      'end an elevation early': [403, 403],
      'read the grants of a tenant with their last use': [200, 200],
      // Reviews are made by people: a key may read them (with approvals:decide or audit:read), never act.
      'start an access review': [403, 403],
      'list access reviews': [403, 200],
      'read an access review': [403, 200],
      'list review items': [403, 200],
      'decide a review item': [403, 403],
      'close an access review early': [403, 403],
      'read the evidence pack of an access review': [403, 200],
    };
    expect(endpoints.map((e) => e.name).filter((name) => !(name in expected))).toEqual([]);
    for (const [column, scopes] of [someReadScopes, everyKeyScope].entries()) {
      for (const endpoint of endpoints) {
        const key = await apiKeyCaller(platform(), 'acme', 'test', scopes);
        const target = await freshTarget(platform(), 'acme', 'test', key);
        const reply = await callEndpoint(platform(), endpoint, target, key.token);
        expect([endpoint.name, scopes.length, reply.status]).toEqual([
          endpoint.name,
          scopes.length,
          expected[endpoint.name]?.[column],
        ]);
        if (reply.status === 403) expect(reply.json.error.code, endpoint.name).toBe('forbidden');
      }
    }
  });

  it('a key holding approvals:decide can neither decide nor comment, even signed by its creator’s device', async () => {
    const key = await apiKeyCaller(platform(), 'acme', 'test', everyKeyScope);
    // The request is someone else's; the decision is signed by the key's creator's registered device.
    const target = await freshTarget(platform(), 'acme', 'test', key);
    const decide = endpointByName('decide a request (signed by a registered device)');
    const comment = endpointByName('comment on a request');
    const byKey = [
      await callEndpoint(platform(), decide, target, key.token),
      await callEndpoint(platform(), comment, target, key.token),
    ];
    expect(byKey.map((r) => [r.status, r.json.error?.code])).toEqual([
      [403, 'forbidden'],
      [403, 'forbidden'],
    ]);
    const path = `/v1/orgs/acme/envs/test/approvals/${target.requestId}`;
    const creator = key.person.token;
    const untouched = (await platform().call('GET', path, { token: creator })).json;
    expect(untouched).toMatchObject({ status: 'pending', approvals: 0, decisions: [] });
    const timeline = (await platform().call('GET', `${path}/timeline`, { token: creator })).json;
    // Nothing but the request and the record of the key's refused attempt (comments by keys are not decisions).
    expect(timeline.events.map((e: { action: string }) => e.action)).toEqual([
      'approval.request',
      'approval.decide_refused',
    ]);
    // The same signed decision and comment from the creator in person are accepted: only the key was refused.
    const byCreator = [
      await callEndpoint(platform(), decide, target, creator),
      await callEndpoint(platform(), comment, target, creator),
    ];
    expect(byCreator.map((r) => r.status)).toEqual([200, 200]);
    const decided = (await platform().call('GET', path, { token: creator })).json;
    expect(decided.decisions.map((d: { approverId: string }) => d.approverId)).toEqual([
      key.person.user.userId,
    ]);
  });

  it('a key cannot be given a scope that manages keys or members', async () => {
    const owner = await personCaller(platform(), 'acme', 'owner');
    for (const scope of ['keys:manage', 'members:manage']) {
      const reply = await platform().call('POST', '/v1/orgs/acme/envs/test/api-keys', {
        token: owner.token,
        body: { name: 'escalate', scopes: [scope] },
      });
      expect(reply.status).toBe(400);
    }
  });

  it('a person cannot hand a key a permission their role lacks', async () => {
    // Only owners and admins reach key creation over HTTP today, and they hold every permission, so the
    // rule is proved on the service that enforces it.
    const org = await platform().ctx.stores.organizations.findBySlug('acme');
    if (!org) throw new Error('acme missing');
    const tenant = tenantScope(orgScope(org.id, org.slug), 'test');
    const officer = platform().user('acme', 'compliance_officer');
    const refused = await platform().ctx.apiKeys.create(
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
    const allowed = await platform().ctx.apiKeys.create(
      tenant,
      { userId: officer.userId, role: 'compliance_officer' },
      { name: 'within role', scopes: ['approvals:read', 'audit:read'] },
      systemContext,
    );
    expect(allowed.ok).toBe(true);
  });
});

describe('owner role rules', () => {
  const platform = platformFor({ defaultPolicy: false });

  it('an admin cannot grant the owner role; an owner can, and the last owner cannot step down', async () => {
    const viewer = platform().user('acme', 'viewer');
    const owner = platform().user('acme', 'owner');
    const admin = await personCaller(platform(), 'acme', 'admin');
    const ownerCaller = await personCaller(platform(), 'acme', 'owner');
    const byAdmin = await platform().call('PUT', `/v1/orgs/acme/members/${viewer.userId}/role`, {
      token: admin.token,
      body: { role: 'owner' },
    });
    expect(byAdmin.status).toBe(403);
    const lastOwner = await platform().call('PUT', `/v1/orgs/acme/members/${owner.userId}/role`, {
      token: ownerCaller.token,
      body: { role: 'admin' },
    });
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.json.error.code).toBe('conflict');
    const byOwner = await platform().call('PUT', `/v1/orgs/acme/members/${viewer.userId}/role`, {
      token: ownerCaller.token,
      body: { role: 'owner' },
    });
    expect([byOwner.status, byOwner.json.role]).toEqual([200, 'owner']);
  });
});

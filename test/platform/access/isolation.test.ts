import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { endpoints, freshTarget, type Target } from '../endpoints';

let platform: TestPlatform;
let acmeOwner: string;
let acmeTestKey: string;
let globexFingerprints: string[];

beforeAll(async () => {
  platform = await startPlatform();
  acmeOwner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
  const created = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
    token: acmeOwner,
    body: { name: 'acme test key', scopes: ['orgs:read', 'members:read', 'keys:read', 'audit:read'] },
  });
  acmeTestKey = created.json.secret;
  const globex = platform.ctx.stores.organizations.findBySlug('globex');
  globexFingerprints = [
    'globex',
    'Globex',
    globex?.id ?? 'missing',
    ...platform.users.filter((u) => u.organization === 'globex').flatMap((u) => [u.userId, u.email]),
  ];
});
afterAll(() => platform.stop());

function expectNoGlobexBytes(text: string, extra: readonly string[] = []): void {
  for (const fingerprint of [...globexFingerprints, ...extra]) expect(text).not.toContain(fingerprint);
}

const scoped = endpoints.filter((e) => e.scoped);
const withIds = scoped.filter((e) =>
  e.path({ org: 'o', env: 'test', keyId: 'KEY', userId: 'USER' }).match(/KEY|USER/),
);

describe('organization isolation', () => {
  for (const endpoint of scoped) {
    for (const env of ['test', 'live'] as const) {
      it(`${endpoint.name} (${env}): an acme owner naming globex gets 404 and no globex data`, async () => {
        const target = await freshTarget(platform, 'globex', env);
        const reply = await platform.call(endpoint.method, endpoint.path(target), {
          token: acmeOwner,
          body: endpoint.body?.(target),
        });
        expect(reply.status, reply.text).toBe(404);
        expectNoGlobexBytes(reply.text, [target.keyId]);
      });
    }
  }

  for (const endpoint of withIds) {
    it(`${endpoint.name}: globex ids inside an acme path get 404`, async () => {
      const globex = await freshTarget(platform, 'globex', 'test');
      const target: Target = { ...globex, org: 'acme' };
      const reply = await platform.call(endpoint.method, endpoint.path(target), {
        token: acmeOwner,
        body: endpoint.body?.(target),
      });
      expect(reply.status, reply.text).toBe(404);
      expectNoGlobexBytes(reply.text, [globex.keyId]);
    });
  }

  for (const endpoint of scoped) {
    it(`${endpoint.name}: an acme API key naming globex gets 404`, async () => {
      const target = await freshTarget(platform, 'globex', 'test');
      const reply = await platform.call(endpoint.method, endpoint.path(target), {
        token: acmeTestKey,
        body: endpoint.body?.(target),
      });
      expect(reply.status, reply.text).toBe(404);
      expectNoGlobexBytes(reply.text, [target.keyId]);
    });
  }
});

describe('environment isolation', () => {
  const envScoped = scoped.filter((e) =>
    e.path({ org: 'o', env: 'live', keyId: 'k', userId: 'u' }).includes('/envs/'),
  );

  for (const endpoint of envScoped) {
    it(`${endpoint.name}: a test key against live is refused with 403`, async () => {
      const target = await freshTarget(platform, 'acme', 'live');
      const reply = await platform.call(endpoint.method, endpoint.path(target), {
        token: acmeTestKey,
        body: endpoint.body?.(target),
      });
      expect(reply.status, reply.text).toBe(403);
      expect(reply.json.error.code).toBe('wrong-environment');
      expect(reply.text).not.toContain(target.keyId);
    });
  }

  for (const endpoint of envScoped.filter((e) => withIds.includes(e))) {
    it(`${endpoint.name}: a test key id inside a live path gets 404`, async () => {
      const testTarget = await freshTarget(platform, 'acme', 'test');
      const target: Target = { ...testTarget, env: 'live' };
      const reply = await platform.call(endpoint.method, endpoint.path(target), {
        token: acmeOwner,
        body: endpoint.body?.(target),
      });
      expect(reply.status, reply.text).toBe(404);
    });
  }

  it('listing live keys never shows a test key', async () => {
    const testTarget = await freshTarget(platform, 'acme', 'test');
    const live = await platform.call('GET', '/v1/orgs/acme/envs/live/api-keys', { token: acmeOwner });
    expect(live.status).toBe(200);
    expect(live.json.keys.length).toBeGreaterThan(0);
    expect(live.json.keys.every((k: { environment: string }) => k.environment === 'live')).toBe(true);
    expect(live.text).not.toContain(testTarget.keyId);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
let owner: string;
beforeAll(async () => {
  platform = await startPlatform({ bodyLimitBytes: 16 * 1024 });
  owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
});
afterAll(() => platform.stop());

const keys = '/v1/orgs/acme/envs/test/api-keys';
const json = { 'content-type': 'application/json' };

describe('bad input gets a clear 4xx and changes nothing', () => {
  const cases: {
    name: string;
    path?: string;
    rawBody?: string;
    body?: unknown;
    headers?: Record<string, string>;
    status: number;
    code: string;
    says?: RegExp;
  }[] = [
    { name: 'malformed JSON', rawBody: '{"name": "x", ', headers: json, status: 400, code: 'malformed-json' },
    { name: 'an empty JSON body', rawBody: '', headers: json, status: 400, code: 'malformed-json' },
    {
      name: 'a wrong type',
      body: { name: 42, scopes: ['orgs:read'] },
      status: 400,
      code: 'bad-request',
      says: /body\.name/,
    },
    {
      name: 'an unknown scope',
      body: { name: 'x', scopes: ['orgs:delete'] },
      status: 400,
      code: 'bad-request',
      says: /body\.scopes\.0/,
    },
    {
      name: 'an unknown field',
      body: { name: 'x', scopes: ['orgs:read'], admin: true },
      status: 400,
      code: 'bad-request',
      says: /admin/,
    },
    {
      name: 'a missing field',
      body: { scopes: ['orgs:read'] },
      status: 400,
      code: 'bad-request',
      says: /body\.name/,
    },
    {
      name: 'an out-of-range number',
      body: { name: 'x', scopes: ['orgs:read'], expiresInDays: 0 },
      status: 400,
      code: 'bad-request',
    },
    { name: 'a JSON array instead of an object', body: [1, 2], status: 400, code: 'bad-request' },
    {
      name: 'an oversized body',
      body: { name: 'x'.repeat(20_000), scopes: ['orgs:read'] },
      status: 413,
      code: 'payload-too-large',
    },
    {
      name: 'a non-JSON content type',
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
      code: 'unsupported-media-type',
    },
    {
      name: 'a bad environment in the path',
      path: '/v1/orgs/acme/envs/prod/api-keys',
      body: { name: 'x', scopes: ['orgs:read'] },
      status: 400,
      code: 'bad-request',
      says: /params\.env/,
    },
    {
      name: 'a bad organization slug',
      path: '/v1/orgs/ACME!/envs/test/api-keys',
      body: { name: 'x', scopes: ['orgs:read'] },
      status: 400,
      code: 'bad-request',
    },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const before = await platform.call('GET', keys, { token: owner });
      const reply = await platform.call('POST', c.path ?? keys, {
        token: owner,
        body: c.body,
        rawBody: c.rawBody,
        headers: c.headers,
      });
      expect(reply.status, reply.text).toBe(c.status);
      expect(reply.json.error.code).toBe(c.code);
      expect(reply.json.error.requestId).toBe(reply.headers.get('x-request-id'));
      if (c.says) expect(reply.json.error.message).toMatch(c.says);
      const after = await platform.call('GET', keys, { token: owner });
      expect(after.json.keys).toEqual(before.json.keys);
    });
  }

  it('an unknown route is a 404 in the same error shape', async () => {
    const reply = await platform.call('GET', '/v1/nowhere', { token: owner });
    expect(reply.status).toBe(404);
    expect(reply.json.error.code).toBe('not-found');
  });

  it('a missing or malformed Authorization header is 401 unauthenticated', async () => {
    for (const headers of [
      {},
      { authorization: 'Basic Zm9vOmJhcg==' },
      { authorization: 'Bearer ' },
    ] as Record<string, string>[]) {
      const reply = await platform.call('GET', '/v1/me', { headers });
      expect(reply.status).toBe(401);
      expect(reply.json.error.code).toBe('unauthenticated');
    }
  });

  it('a 4xx message names the problem without echoing a secret it was sent', async () => {
    const reply = await platform.call('POST', '/v1/auth/sign-in', {
      body: { email: 'owner@acme.example', password: 'hunter2-secret', totp: 'hunter' },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toMatch(/body\.totp/);
    expect(reply.text).not.toContain('hunter2-secret');
    expect(reply.text).not.toContain('"hunter"');
  });
});

describe('security headers', () => {
  it('every reply carries helmet headers and no-store caching', async () => {
    for (const path of ['/v1/health', '/v1/me', '/v1/nowhere']) {
      const reply = await platform.call('GET', path);
      expect(reply.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('strict-transport-security')).toContain('max-age=');
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.headers.get('x-powered-by')).toBeNull();
    }
  });
});

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

describe('hostile input is refused before it can do harm', () => {
  const approvals = '/v1/orgs/acme/envs/test/approvals';

  it('JSON nested thousands deep is a 400 naming the limit, not a 500, and the platform stays up', async () => {
    const deep = `{"kind":"custom.deep","title":"Deep","payload":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    const reply = await platform.call('POST', approvals, { token: owner, rawBody: deep, headers: json });
    expect(reply.status, reply.text).toBe(400);
    expect(reply.json.error.message).toMatch(/nests deeper than 32 levels/);
    const moderate = `{"kind":"custom.deep","title":"Moderate","payload":{"x":${'['.repeat(20)}1${']'.repeat(20)}}}`;
    expect(
      (await platform.call('POST', approvals, { token: owner, rawBody: moderate, headers: json })).status,
    ).toBe(201);
    expect((await platform.call('GET', '/v1/health')).status).toBe(200);
  });

  it('control and bidirectional formatting characters in titles, names, comments and payloads are refused', async () => {
    const rlo = '\u202e';
    const attempts: [string, unknown][] = [
      [approvals, { kind: 'custom.pay', title: `Pay ${rlo}0001$ to 42`, payload: {} }],
      [approvals, { kind: 'custom.pay', title: 'Bell\u0007', payload: {} }],
      [approvals, { kind: 'custom.pay', title: 'Line\nbreak', payload: {} }],
      [approvals, { kind: 'custom.pay', title: 'C1 \u0085', payload: {} }],
      [approvals, { kind: 'custom.pay', title: 'Pay', summary: `Isolate \u2066x\u2069`, payload: {} }],
      [approvals, { kind: 'custom.pay', title: 'Pay', payload: { account: `12${rlo}34` } }],
      [approvals, { kind: 'custom.pay', title: 'Pay', payload: { [`ke${rlo}y`]: 1 } }],
      [keys, { name: `key${rlo}`, scopes: ['orgs:read'] }],
      ['/v1/me/device-keys', { name: 'laptop\u200f', publicKey: `${'A'.repeat(43)}=` }],
    ];
    for (const [path, body] of attempts) {
      const reply = await platform.call('POST', path, { token: owner, body });
      expect(reply.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(reply.json.error.message).toMatch(/control characters or bidirectional formatting characters/);
    }
    const multiLine = await platform.call('POST', approvals, {
      token: owner,
      body: {
        kind: 'custom.pay',
        title: 'Pay',
        summary: 'Two\nlines\twith a tab',
        payload: { note: 'a\nb' },
      },
    });
    expect(multiLine.status, multiLine.text).toBe(201);
  });

  it('an unauthenticated upload is answered 401 before its body is read', async () => {
    const { request } = await import('node:http');
    const url = new URL('/v1/orgs/acme/envs/test/evidence?name=big.pdf', platform.url);
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(10 * 1024 * 1024) },
        },
        (reply) => {
          reply.resume();
          resolve(reply.statusCode ?? 0);
          outgoing.destroy();
        },
      );
      outgoing.on('error', (error) => (outgoing.destroyed ? undefined : reject(error)));
      // One megabyte of the promised ten is sent and the rest never comes: only a server that decides
      // before reading the body can answer at all.
      outgoing.write(Buffer.alloc(1024 * 1024));
    });
    expect(status).toBe(401);
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

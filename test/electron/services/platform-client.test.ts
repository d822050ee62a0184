import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptablePlatformOrigin,
  PlatformClient,
} from '../../../electron/services/platform/platform-client';
import { RefreshingSession } from '../../../electron/services/platform/session';
import { Vault } from '../../../electron/services/vault/vault';
import { Me } from '../../../shared/api/auth';
import { auditApi, authApi, evidenceApi, organizationsApi } from '../../../shared/api/routes';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
const vault = new Vault(keytar, `cc-test-client-${process.pid}`);

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

async function signedInClient(clockOffset = { ms: 0 }) {
  const owner = platform.user('acme', 'owner');
  const tokens = await platform.signIn(owner);
  const profile = { platformOrigin: platform.url, principalId: owner.userId };
  const session = new RefreshingSession(platform.url, profile, vault, () => Date.now() + clockOffset.ms);
  await session.start(tokens);
  const client = PlatformClient.create(platform.url, session);
  if (!client.ok) throw new Error(client.error.message);
  return { client: client.value, session, profile, tokens };
}

describe('the platform client', () => {
  it('speaks HTTPS only, plain HTTP only to this machine', () => {
    expect(acceptablePlatformOrigin('https://compliance.example.com').ok).toBe(true);
    expect(acceptablePlatformOrigin('http://127.0.0.1:4610').ok).toBe(true);
    for (const bad of [
      'http://compliance.example.com',
      'https://user:pw@x.example.com',
      'https://x.example.com/api',
      'nonsense',
    ]) {
      expect(acceptablePlatformOrigin(bad).ok, bad).toBe(false);
    }
  });

  it('validates every reply against the declared schema', async () => {
    const { client } = await signedInClient();
    const orgs = await client.call(organizationsApi.list, {});
    expect(orgs.ok && orgs.value.organizations.map((o) => o.slug)).toEqual(['acme']);
    const wrong = await client.call({ ...authApi.health, reply: Me }, {});
    expect(wrong).toEqual({
      ok: false,
      error: { code: 'internal', message: 'The platform sent a reply this console does not understand.' },
    });
  });

  it('refreshes before expiry, rotating the refresh token in the keychain', async () => {
    const clock = { ms: 0 };
    const { client, profile, tokens } = await signedInClient(clock);
    clock.ms = 10 * 60 * 1000;
    expect((await client.call(authApi.me, {})).ok).toBe(true);
    const rotated = await vault.get(profile, 'refresh-token');
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(tokens.refreshToken);
  });

  it('refreshes once on a 401, even for many calls at once, and the family stays alive', async () => {
    const { client, profile, tokens } = await signedInClient();
    platform.clock.advance(11 * 60 * 1000);
    // What reached the platform, from its own request log.
    const from = platform.logLines.length;
    const requestsTo = (path: string) =>
      platform.logLines
        .slice(from)
        .map(
          (line) =>
            JSON.parse(line) as { msg?: string; req?: { path?: string }; res?: { statusCode?: number } },
        )
        .filter((line) => line.msg === 'request completed' && line.req?.path === path)
        .map((line) => line.res?.statusCode);
    const replies = await Promise.all(Array.from({ length: 8 }, () => client.call(authApi.me, {})));
    expect(replies.every((r) => r.ok)).toBe(true);
    expect(requestsTo('/v1/auth/refresh')).toEqual([200]);
    expect(requestsTo('/v1/me').filter((status) => status === 401).length).toBeGreaterThan(0);
    const rotated = await vault.get(profile, 'refresh-token');
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(tokens.refreshToken);
    expect((await client.call(organizationsApi.list, {})).ok).toBe(true);
    expect(requestsTo('/v1/auth/refresh')).toEqual([200]);
  });

  it('says the session ended when the refresh token is refused, and forgets it', async () => {
    const { client, profile } = await signedInClient();
    await vault.put(profile, 'refresh-token', 'rt_aaaaaaaaaaaaaaaaaaaaaaaaaa.forged');
    platform.clock.advance(11 * 60 * 1000);
    const reply = await client.call(authApi.me, {});
    expect(reply).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'The session has ended; sign in again.' },
    });
    expect(await vault.get(profile, 'refresh-token')).toBeUndefined();
  });

  it('passes the platform’s safe errors through and never a token', async () => {
    const { client, tokens } = await signedInClient();
    const missing = await client.call(organizationsApi.members, { params: { org: 'globex' } });
    expect(missing).toEqual({ ok: false, error: { code: 'not-found', message: 'Organization not found.' } });
    expect(JSON.stringify(missing)).not.toContain(tokens.accessToken);
  });
});

describe('retries', () => {
  let flaky: Server;
  let failuresLeft = 0;
  let seen = 0;
  let flakyUrl: string;

  beforeAll(async () => {
    // The network between console and platform, failing on demand; the platform behind it is real.
    const target = new URL(platform.url);
    flaky = createServer((req, res) => {
      seen++;
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
  });
  afterAll(() => flaky.close());

  it('retries an idempotent call with backoff, and never a call that is not', async () => {
    const client = PlatformClient.create(flakyUrl, undefined, { backoffMs: 10 });
    if (!client.ok) throw new Error('client');
    failuresLeft = 2;
    seen = 0;
    const health = await client.value.call(authApi.health, {});
    expect(health.ok).toBe(true);
    expect(seen).toBe(3);
    failuresLeft = 1;
    seen = 0;
    const post = await client.value.call(authApi.signIn, {
      body: { email: 'nobody@example.com', password: 'x', totp: '000000' },
    });
    expect(post).toEqual({ ok: false, error: { code: 'unavailable', message: expect.any(String) } });
    expect(seen).toBe(1);
  });

  it('retries a POST the declaration says is safe to repeat', async () => {
    const client = PlatformClient.create(flakyUrl, undefined, { backoffMs: 10 });
    if (!client.ok) throw new Error('client');
    failuresLeft = 1;
    seen = 0;
    const signedOut = await client.value.call(authApi.signOut, { body: { refreshToken: 'x' } });
    expect(signedOut).toEqual({ ok: true, value: null });
    expect(seen).toBe(2);
  });

  it('builds paths and queries from the declaration; what a schema refuses never goes out', async () => {
    const client = PlatformClient.create(flakyUrl, undefined, { backoffMs: 10 });
    if (!client.ok) throw new Error('client');
    seen = 0;
    for (const org of ['../auth', 'acme/members', 'ACME', '']) {
      const reply = await client.value.call(organizationsApi.members, { params: { org } });
      expect([org, reply.ok || reply.error.code]).toEqual([org, 'bad-request']);
    }
    const tooMany = await client.value.call(auditApi.entries, {
      params: { org: 'acme', env: 'test' },
      query: { limit: 100_000 },
    });
    expect(tooMany.ok || tooMany.error.code).toBe('bad-request');
    const wrongEnv = await client.value.call(auditApi.entries, {
      params: { org: 'acme', env: 'staging' as 'test' },
    });
    expect(wrongEnv.ok || wrongEnv.error.code).toBe('bad-request');
    expect(seen).toBe(0);
  });

  it('downloads only from URLs of the declared download route on this platform', async () => {
    const client = PlatformClient.create(flakyUrl);
    if (!client.ok) throw new Error('client');
    seen = 0;
    for (const url of [
      '/v1/orgs/acme/members',
      '/v1/orgs/acme/envs/test/evidence/evd_aaaaaaaaaaaaaaaaaaaaaaaaaa/url',
      'https://elsewhere.example/v1/orgs/acme/envs/test/evidence/evd_aaaaaaaaaaaaaaaaaaaaaaaaaa/content',
    ]) {
      const reply = await client.value.download(evidenceApi.content, url, 1024);
      expect([url, reply.ok || reply.error.code]).toEqual([url, 'bad-request']);
    }
    const refused = await client.value.download(
      evidenceApi.content,
      '/v1/orgs/acme/envs/test/evidence/evd_aaaaaaaaaaaaaaaaaaaaaaaaaa/content?expires=1&signature=x',
      1024,
    );
    expect(refused.ok || refused.error.code).toBe('unauthenticated');
    expect(seen).toBe(1);
  });

  it('reports an unreachable platform plainly', async () => {
    const client = PlatformClient.create('http://127.0.0.1:9', undefined, { backoffMs: 1, attempts: 2 });
    if (!client.ok) throw new Error('client');
    const reply = await client.value.call(authApi.health, {});
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'unavailable',
        message: 'The platform cannot be reached. Check the address and your connection.',
      },
    });
  });
});

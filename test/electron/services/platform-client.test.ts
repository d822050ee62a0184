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
import { Health } from '../../../shared/api/common';
import { OrganizationList } from '../../../shared/api/organizations';
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

  it('validates every reply against the shared schema', async () => {
    const { client } = await signedInClient();
    const orgs = await client.request('GET', '/v1/orgs', OrganizationList);
    expect(orgs.ok && orgs.value.organizations.map((o) => o.slug)).toEqual(['acme']);
    const wrong = await client.request('GET', '/v1/health', Me);
    expect(wrong).toEqual({
      ok: false,
      error: { code: 'internal', message: 'The platform sent a reply this console does not understand.' },
    });
  });

  it('refreshes before expiry, rotating the refresh token in the keychain', async () => {
    const clock = { ms: 0 };
    const { client, profile, tokens } = await signedInClient(clock);
    clock.ms = 10 * 60 * 1000;
    expect((await client.request('GET', '/v1/me', Me)).ok).toBe(true);
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
    const replies = await Promise.all(Array.from({ length: 8 }, () => client.request('GET', '/v1/me', Me)));
    expect(replies.every((r) => r.ok)).toBe(true);
    expect(requestsTo('/v1/auth/refresh')).toEqual([200]);
    expect(requestsTo('/v1/me').filter((status) => status === 401).length).toBeGreaterThan(0);
    const rotated = await vault.get(profile, 'refresh-token');
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(tokens.refreshToken);
    expect((await client.request('GET', '/v1/orgs', OrganizationList)).ok).toBe(true);
    expect(requestsTo('/v1/auth/refresh')).toEqual([200]);
  });

  it('says the session ended when the refresh token is refused, and forgets it', async () => {
    const { client, profile } = await signedInClient();
    await vault.put(profile, 'refresh-token', 'rt_aaaaaaaaaaaaaaaaaaaaaaaaaa.forged');
    platform.clock.advance(11 * 60 * 1000);
    const reply = await client.request('GET', '/v1/me', Me);
    expect(reply).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'The session has ended; sign in again.' },
    });
    expect(await vault.get(profile, 'refresh-token')).toBeUndefined();
  });

  it('passes the platform’s safe errors through and never a token', async () => {
    const { client, tokens } = await signedInClient();
    const missing = await client.request('GET', '/v1/orgs/globex/members', OrganizationList);
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
    const health = await client.value.request('GET', '/v1/health', Health);
    expect(health.ok).toBe(true);
    expect(seen).toBe(3);
    failuresLeft = 1;
    seen = 0;
    const post = await client.value.request('POST', '/v1/auth/sign-out', Health, { refreshToken: 'x' });
    expect(post).toEqual({ ok: false, error: { code: 'unavailable', message: expect.any(String) } });
    expect(seen).toBe(1);
  });

  it('reports an unreachable platform plainly', async () => {
    const client = PlatformClient.create('http://127.0.0.1:9', undefined, { backoffMs: 1, attempts: 2 });
    if (!client.ok) throw new Error('client');
    const reply = await client.value.request('GET', '/v1/health', Health);
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'unavailable',
        message: 'The platform cannot be reached. Check the address and your connection.',
      },
    });
  });
});

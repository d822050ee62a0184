import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrubCredentials } from '../../../platform/http/logging';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

describe('logs never carry secrets', () => {
  it('sign-in, token refresh, key creation, key use and errors leave no secret in any log line', async () => {
    const owner = platform.user('acme', 'owner');
    const code = platform.totp(owner);
    const secrets: string[] = [owner.password, code];

    const failed = await platform.call('POST', '/v1/auth/sign-in', {
      body: { email: owner.email, password: `${owner.password}-typo`, totp: code },
    });
    expect(failed.status).toBe(401);
    secrets.push(`${owner.password}-typo`);

    const signIn = await platform.call('POST', '/v1/auth/sign-in', {
      body: { email: owner.email, password: owner.password, totp: code },
    });
    expect(signIn.status).toBe(200);
    secrets.push(signIn.json.accessToken, signIn.json.refreshToken);

    const refreshed = await platform.call('POST', '/v1/auth/refresh', {
      body: { refreshToken: signIn.json.refreshToken },
    });
    secrets.push(refreshed.json.accessToken, refreshed.json.refreshToken);

    const created = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
      token: refreshed.json.accessToken,
      body: { name: 'log probe', scopes: ['orgs:read'] },
    });
    expect(created.status).toBe(201);
    const keySecret: string = created.json.secret;
    secrets.push(keySecret, keySecret.split('.')[1] ?? '');

    // Errors that echo what they were sent would leak: a key in a bad body, a key as a token, a query string.
    await platform.call('POST', '/v1/auth/refresh', { body: { refreshToken: keySecret, extra: keySecret } });
    await platform.call('GET', `/v1/orgs/acme?token=${keySecret}`, { token: keySecret });
    await platform.call('GET', '/v1/orgs/acme', { token: `${keySecret}x` });
    await platform.call('POST', '/v1/auth/sign-in', {
      rawBody: `{"password":"${owner.password}"`,
      headers: { 'content-type': 'application/json' },
    });

    expect(platform.logLines.filter((l) => l.includes('request completed')).length).toBe(8);
    const everything = platform.logLines.join('\n');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(5);
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toContain(Buffer.from(owner.totpSeed).toString('hex'));
  });

  it('an unexpected failure is logged with its request id and answered with a generic 500', async () => {
    const broken = await startPlatform();
    try {
      const token = (await broken.signIn(broken.user('acme', 'owner'))).accessToken;
      await broken.ctx.stores.db.close();
      const reply = await broken.call('GET', '/v1/orgs/acme/members', { token });
      expect(reply.status).toBe(500);
      expect(reply.json).toEqual({
        error: {
          code: 'internal',
          message: 'Something went wrong on our side.',
          requestId: expect.any(String),
        },
      });
      expect(reply.text).not.toMatch(/database|sqlite|stack|\.ts/i);
      const logged = broken.logLines.filter(
        (l) => l.includes(reply.json.error.requestId) && l.includes('"level":50'),
      );
      expect(logged.length).toBe(1);
      expect(logged[0]).toContain('driver has already been destroyed');
      expect(logged[0]).not.toContain(token);
    } finally {
      await broken.app.close();
    }
  });

  it('scrubs credential-shaped strings from any line', () => {
    const line = scrubCredentials(
      'key cck_live_abcdefghijklmnopqrstuvwxyz.SECRETSECRET token eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl rt_abcdefghijklmnopqrstuvwxyz.REFRESH',
    );
    expect(line).not.toMatch(/SECRETSECRET|c2lnbmF0dXJl|REFRESH/);
    expect(line).toContain('cck_live_abcdefghijklmnopqrstuvwxyz.[redacted]');
  });
});

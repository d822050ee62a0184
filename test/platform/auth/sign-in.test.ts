import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../../platform/auth/totp';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

describe('password and TOTP sign-in', () => {
  it('returns a short-lived EdDSA access token and a refresh token that open /v1/me', async () => {
    const owner = platform.user('acme', 'owner');
    const tokens = await platform.signIn(owner);
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.expiresIn).toBeLessThanOrEqual(900);
    const header = JSON.parse(Buffer.from(tokens.accessToken.split('.')[0] ?? '', 'base64url').toString());
    expect(header.alg).toBe('EdDSA');
    const me = await platform.call('GET', '/v1/me', { token: tokens.accessToken });
    expect(me.status).toBe(200);
    expect(me.json.email).toBe(owner.email);
    expect(me.json.memberships).toEqual([
      expect.objectContaining({ organizationSlug: 'acme', role: 'owner' }),
    ]);
  });

  it('answers a wrong password, a wrong code and an unknown address with the same error', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const attempts = [
      { email: officer.email, password: 'wrong-password', totp: platform.totp(officer) },
      { email: officer.email, password: officer.password, totp: '000000' },
      { email: 'nobody@acme.example', password: officer.password, totp: platform.totp(officer) },
    ];
    const replies = await Promise.all(
      attempts.map((body) => platform.call('POST', '/v1/auth/sign-in', { body })),
    );
    for (const reply of replies) {
      expect(reply.status).toBe(401);
      expect(reply.json.error.code).toBe('invalid-credentials');
      expect(reply.json.error.message).toBe(replies[0]?.json.error.message);
    }
  });

  it('refuses a TOTP code whose time step was already used', async () => {
    const member = platform.user('acme', 'member');
    const code = platform.totp(member);
    const body = { email: member.email, password: member.password, totp: code };
    expect((await platform.call('POST', '/v1/auth/sign-in', { body })).status).toBe(200);
    const replay = await platform.call('POST', '/v1/auth/sign-in', { body });
    expect(replay.status).toBe(401);
  });

  it('rotates the refresh token on every use', async () => {
    const first = await platform.signIn(platform.user('acme', 'viewer'));
    const second = await platform.call('POST', '/v1/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(second.status).toBe(200);
    expect(second.json.refreshToken).not.toBe(first.refreshToken);
    const me = await platform.call('GET', '/v1/me', { token: second.json.accessToken });
    expect(me.status).toBe(200);
  });

  it('revokes the whole token family when a used refresh token is presented again', async () => {
    const first = await platform.signIn(platform.user('acme', 'auditor'));
    const rotated = await platform.call('POST', '/v1/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(rotated.status).toBe(200);

    const reuse = await platform.call('POST', '/v1/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(reuse.status).toBe(401);
    // The thief's reuse also ends the legitimate holder's newer tokens.
    const newer = await platform.call('POST', '/v1/auth/refresh', {
      body: { refreshToken: rotated.json.refreshToken },
    });
    expect(newer.status).toBe(401);
    expect((await platform.call('GET', '/v1/me', { token: rotated.json.accessToken })).status).toBe(401);
  });

  it('ends the session at sign-out, access token included', async () => {
    const tokens = await platform.signIn(platform.user('globex', 'member'));
    const out = await platform.call('POST', '/v1/auth/sign-out', {
      body: { refreshToken: tokens.refreshToken },
    });
    expect(out.status).toBe(204);
    expect((await platform.call('GET', '/v1/me', { token: tokens.accessToken })).status).toBe(401);
    const refresh = await platform.call('POST', '/v1/auth/refresh', {
      body: { refreshToken: tokens.refreshToken },
    });
    expect(refresh.status).toBe(401);
  });

  it('refuses an access token after it expires', async () => {
    const tokens = await platform.signIn(platform.user('globex', 'viewer'));
    platform.clock.advance((tokens.expiresIn + 1) * 1000);
    const reply = await platform.call('GET', '/v1/me', { token: tokens.accessToken });
    expect(reply.status).toBe(401);
    expect(reply.json.error.code).toBe('unauthenticated');
  });

  it('refuses a forged token signed by another key', async () => {
    const tokens = await platform.signIn(platform.user('globex', 'owner'));
    const [header, payload] = tokens.accessToken.split('.');
    const forged = `${header}.${payload}.${Buffer.alloc(64).toString('base64url')}`;
    expect((await platform.call('GET', '/v1/me', { token: forged })).status).toBe(401);
  });
});

describe('sign-in rate limit', () => {
  it('answers 429 once a client exceeds the sign-in limit', async () => {
    const limited = await startPlatform({ rateLimits: { signIn: { max: 3, timeWindowMs: 60_000 } } });
    try {
      const user = limited.user('acme', 'member');
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const reply = await limited.call('POST', '/v1/auth/sign-in', {
          body: { email: user.email, password: 'wrong', totp: totpCode(user.totpSeed, limited.clock.now()) },
        });
        statuses.push(reply.status);
        if (reply.status === 429) expect(reply.json.error.code).toBe('rate-limited');
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.stop();
    }
  });
});

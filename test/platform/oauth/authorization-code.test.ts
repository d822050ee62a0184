import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_CLIENT_ID } from '../../../shared/api/oauth';
import { authorizationParams, authorize, exchange, newPkce, postForm } from '../../helpers/oauth';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

const refresh = (token: string) =>
  postForm(`${platform.url}/oauth/token`, {
    grant_type: 'refresh_token',
    refresh_token: token,
    client_id: DESKTOP_CLIENT_ID,
  });

describe('discovery', () => {
  it('publishes the endpoints, S256 only, public clients, and an EdDSA JWKS', async () => {
    const doc = await platform.call('GET', '/.well-known/openid-configuration');
    expect(doc.status).toBe(200);
    expect(doc.json).toMatchObject({
      issuer: platform.url,
      authorization_endpoint: `${platform.url}/oauth/authorize`,
      token_endpoint: `${platform.url}/oauth/token`,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      id_token_signing_alg_values_supported: ['EdDSA'],
    });
    const jwks = await platform.call('GET', '/oauth/jwks');
    expect(jwks.json.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' })]);
    expect(jwks.json.keys[0]).not.toHaveProperty('d');
  });
});

describe('the sign-in page', () => {
  it('is a no-script page with a strict CSP that allows the loopback answer only', async () => {
    const pkce = newPkce();
    const reply = await fetch(
      `${platform.url}/oauth/authorize?${new URLSearchParams(authorizationParams(pkce))}`,
    );
    expect(reply.status).toBe(200);
    const html = await reply.text();
    expect(html).toContain('<label for="totp">');
    expect(html).not.toContain('<script');
    const csp = reply.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/form-action 'self' http:\/\/127\.0\.0\.1:\* http:\/\/\[::1\]:\*/);
  });

  it('never redirects to an unregistered client or a non-loopback redirect', async () => {
    const pkce = newPkce();
    const cases: Record<string, string>[] = [
      { client_id: 'someone-else' },
      { redirect_uri: 'https://evil.example/callback' },
      { redirect_uri: 'http://127.0.0.1:5000/elsewhere' },
      { redirect_uri: 'http://localhost:5000/callback' },
    ];
    for (const overrides of cases) {
      const reply = await fetch(
        `${platform.url}/oauth/authorize?${new URLSearchParams(authorizationParams(pkce, overrides))}`,
        { redirect: 'manual' },
      );
      expect(reply.status, JSON.stringify(overrides)).toBe(400);
      expect(reply.headers.get('location')).toBeNull();
    }
  });

  it('sends a request without S256 PKCE, state or nonce back with invalid_request', async () => {
    const pkce = newPkce();
    const cases: Record<string, string>[] = [
      { code_challenge_method: 'plain' },
      { code_challenge: '' },
      { nonce: '' },
      { scope: 'offline_access' },
    ];
    for (const overrides of cases) {
      const reply = await fetch(
        `${platform.url}/oauth/authorize?${new URLSearchParams(authorizationParams(pkce, overrides))}`,
        { redirect: 'manual' },
      );
      expect(reply.status).toBe(303);
      const back = new URL(reply.headers.get('location') ?? '');
      expect(back.origin + back.pathname).toBe(pkce.redirectUri);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('code')).toBeNull();
    }
  });

  it('keeps the address and shows one generic error for wrong credentials, without issuing a code', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const reply = await postForm(`${platform.url}/oauth/authorize`, {
      ...authorizationParams(newPkce()),
      email: officer.email,
      password: 'not-the-password',
      totp: platform.totp(officer),
    });
    expect(reply.status).toBe(401);
    const html = await reply.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain(`value="${officer.email}"`);
    expect(html).not.toContain('not-the-password');
  });

  it('escapes every reflected field', async () => {
    const reply = await postForm(`${platform.url}/oauth/authorize`, {
      ...authorizationParams(newPkce()),
      email: '"><img src=x onerror=alert(1)>',
      password: 'x',
      totp: '12',
    });
    const html = await reply.text();
    expect(html).not.toContain('<img');
    expect(html).toContain('&#34;&#62;&#60;img');
  });
});

describe('authorization code with PKCE', () => {
  it('issues a code to the loopback redirect with state and iss, and exchanges it once for tokens and an ID token', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const pkce = newPkce(50123);
    const back = await authorize(platform, officer, pkce);
    expect(back.origin + back.pathname).toBe('http://127.0.0.1:50123/callback');
    expect(back.searchParams.get('state')).toBe(pkce.state);
    expect(back.searchParams.get('iss')).toBe(platform.url);
    const reply = await exchange(platform, pkce, back.searchParams.get('code') ?? '');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const tokens = await reply.json();
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'openid offline_access' });
    const jwks = (await platform.call('GET', '/oauth/jwks')).json;
    const key = await importJWK(jwks.keys[0], 'EdDSA');
    const { payload } = await jwtVerify(tokens.id_token, key, {
      issuer: platform.url,
      audience: DESKTOP_CLIENT_ID,
    });
    expect(decodeProtectedHeader(tokens.id_token).kid).toBe(jwks.keys[0].kid);
    expect(payload.nonce).toBe(pkce.nonce);
    expect(payload.sub).toBe(decodeJwt(tokens.access_token).sub);
    const me = await platform.call('GET', '/v1/me', { token: tokens.access_token });
    expect(me.json.email).toBe(officer.email);
  });

  it('refuses a wrong code verifier and burns the code', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const pkce = newPkce();
    const code = (await authorize(platform, officer, pkce)).searchParams.get('code') ?? '';
    const wrong = await exchange(platform, pkce, code, { code_verifier: newPkce().verifier });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    const right = await exchange(platform, pkce, code);
    expect(right.status).toBe(400);
  });

  it('refuses a code presented with another redirect URI or client', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const pkce = newPkce();
    const code = (await authorize(platform, officer, pkce)).searchParams.get('code') ?? '';
    const moved = await exchange(platform, pkce, code, { redirect_uri: 'http://127.0.0.1:1/callback' });
    expect((await moved.json()).error).toBe('invalid_grant');
    const other = await exchange(platform, newPkce(), 'made-up-code');
    expect((await other.json()).error).toBe('invalid_grant');
    const client = await exchange(platform, pkce, code, { client_id: 'someone-else' });
    expect(client.status).toBe(401);
    expect((await client.json()).error).toBe('invalid_client');
  });

  it('refuses a reused code and revokes the session the first exchange started', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const pkce = newPkce();
    const code = (await authorize(platform, officer, pkce)).searchParams.get('code') ?? '';
    const first = await (await exchange(platform, pkce, code)).json();
    const again = await exchange(platform, pkce, code);
    expect(again.status).toBe(400);
    expect((await again.json()).error).toBe('invalid_grant');
    expect((await platform.call('GET', '/v1/me', { token: first.access_token })).status).toBe(401);
    expect((await refresh(first.refresh_token)).status).toBe(400);
  });

  it('refuses an expired code', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const pkce = newPkce();
    const code = (await authorize(platform, officer, pkce)).searchParams.get('code') ?? '';
    platform.clock.advance(61_000);
    expect((await exchange(platform, pkce, code)).status).toBe(400);
  });

  it('rotates refresh tokens and revokes the family when a used one is replayed', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const pkce = newPkce();
    const code = (await authorize(platform, officer, pkce)).searchParams.get('code') ?? '';
    const first = await (await exchange(platform, pkce, code)).json();
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    const rotated = await second.json();
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    expect((await replay.json()).error).toBe('invalid_grant');
    expect((await refresh(rotated.refresh_token)).status).toBe(400);
  });

  it('answers malformed token requests in the OAuth error format', async () => {
    const json = await fetch(`${platform.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":"authorization_code"}',
    });
    expect((await json.json()).error).toBe('invalid_request');
    expect(
      (await (await postForm(`${platform.url}/oauth/token`, { grant_type: 'password' })).json()).error,
    ).toBe('unsupported_grant_type');
    const repeated = await fetch(`${platform.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=a&refresh_token=b&client_id=compliance-console',
    });
    expect((await repeated.json()).error).toBe('invalid_request');
    const nested = await fetch(`${platform.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":1,"code":{"x":1}}',
    });
    expect(nested.status).toBe(400);
    expect(await nested.json()).toEqual({
      error: 'invalid_request',
      error_description: 'The token request is incomplete or malformed.',
    });
  });

  it('keeps codes hashed at rest', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const pkce = newPkce();
    const code = (await authorize(platform, officer, pkce)).searchParams.get('code') ?? '';
    expect((await platform.databaseBytes()).includes(Buffer.from(code))).toBe(false);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import type { DemoUser } from '../../platform/seed/demo';
import { DESKTOP_CLIENT_ID, DESKTOP_SCOPE } from '../../shared/api/oauth';
import type { TestPlatform } from './platform';

/** A hand-driven desktop sign-in, for tests that need to tamper with each step. */
export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
  readonly state: string;
  readonly nonce: string;
  readonly redirectUri: string;
}

export function newPkce(port = 49152): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return {
    verifier,
    challenge: createHash('sha256').update(verifier).digest('base64url'),
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    redirectUri: `http://127.0.0.1:${port}/callback`,
  };
}

export function authorizationParams(
  pkce: Pkce,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    response_type: 'code',
    client_id: DESKTOP_CLIENT_ID,
    redirect_uri: pkce.redirectUri,
    scope: DESKTOP_SCOPE,
    state: pkce.state,
    nonce: pkce.nonce,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
}

export async function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

/** Signs in on the platform's page and returns where it sent the browser back to. */
export async function authorize(platform: TestPlatform, user: DemoUser, pkce: Pkce): Promise<URL> {
  const reply = await postForm(`${platform.url}/oauth/authorize`, {
    ...authorizationParams(pkce),
    email: user.email,
    password: user.password,
    totp: platform.totp(user),
  });
  if (reply.status !== 303) throw new Error(`authorize answered ${reply.status}`);
  return new URL(reply.headers.get('location') ?? '');
}

export function exchange(
  platform: TestPlatform,
  pkce: Pkce,
  code: string,
  overrides: Record<string, string> = {},
) {
  return postForm(`${platform.url}/oauth/token`, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: pkce.redirectUri,
    client_id: DESKTOP_CLIENT_ID,
    code_verifier: pkce.verifier,
    ...overrides,
  });
}

/**
 * What a person does in the browser, done with fetch: open the console's authorization URL, sign in on
 * the platform's page, follow the redirect to the console's loopback address. Returns the loopback page.
 */
export async function signInThroughBrowser(
  authorizationUrl: string,
  user: DemoUser,
  totp: string,
): Promise<{ status: number; text: string; loopback: URL }> {
  const url = new URL(authorizationUrl);
  const page = await fetch(url);
  if (page.status !== 200) throw new Error(`the sign-in page answered ${page.status}`);
  const reply = await postForm(`${url.origin}/oauth/authorize`, {
    ...Object.fromEntries(url.searchParams),
    email: user.email,
    password: user.password,
    totp,
  });
  if (reply.status !== 303) throw new Error(`the sign-in answered ${reply.status}`);
  const loopback = new URL(reply.headers.get('location') ?? '');
  const back = await fetch(loopback);
  return { status: back.status, text: await back.text(), loopback };
}

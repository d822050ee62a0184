import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { DESKTOP_CLIENT_ID, DESKTOP_SCOPE } from '../../../shared/api/oauth';
import { authApi } from '../../../shared/api/routes';
import { fail, ok, type Result } from '../../../shared/result';
import type { DeviceKeys } from '../device-key/device-key';
import { networkFailure, platformUnreachable } from '../platform/network-failure';
import { acceptablePlatformOrigin } from '../platform/platform-client';
import type { ProfileSessions } from '../profiles/profile-sessions';
import type { Profile } from '../vault/vault';
import { type LoopbackRedirect, openLoopbackRedirect } from './loopback-redirect';

const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

interface Pending {
  readonly origin: string;
  readonly config: oidc.Configuration;
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly redirect: LoopbackRedirect;
}

export interface SignedIn {
  readonly profile: Profile;
  readonly email: string;
  readonly displayName: string;
  readonly deviceKeyId: string;
}

/**
 * The desktop sign-in: authorization code with PKCE (S256) through the system browser and a loopback
 * redirect, checked by openid-client (state, nonce, issuer, ID token). The code verifier never leaves
 * this process; the authorization URL carries only the challenge, state and nonce.
 */
export class BrowserSignIn {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly sessions: ProfileSessions,
    private readonly deviceKeys: DeviceKeys,
    private readonly openExternal?: (url: string) => Promise<void>,
    private readonly timeoutMs = SIGN_IN_TIMEOUT_MS,
  ) {}

  async begin(
    platformUrl: string,
  ): Promise<Result<{ signInId: string; authorizationUrl: string; opened: boolean }>> {
    const origin = acceptablePlatformOrigin(platformUrl);
    if (!origin.ok) return origin;
    const insecure = origin.value.startsWith('http:');
    let config: oidc.Configuration;
    try {
      config = await oidc.discovery(new URL(origin.value), DESKTOP_CLIENT_ID, undefined, oidc.None(), {
        execute: insecure ? [oidc.allowInsecureRequests] : [],
        timeout: 15,
      });
    } catch (error) {
      return networkFailure(error);
    }
    // The console talks only to the platform the person named, and sends the person to its sign-in page
    // only: endpoints elsewhere mean this is not that platform, said exactly as for no platform at all.
    if (!endpointsOn(config.serverMetadata(), origin.value)) return platformUnreachable();
    // One sign-in waits at a time: starting again ends the one before (and its loopback listener).
    for (const id of [...this.#pending.keys()]) this.cancel(id);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const redirect = await openLoopbackRedirect(state, this.timeoutMs);
    let url: URL;
    try {
      url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirect.redirectUri,
        scope: DESKTOP_SCOPE,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      if (this.openExternal) await this.openExternal(url.href);
    } catch {
      // An authorization endpoint openid-client refuses, or a browser that would not open: nothing waits.
      redirect.close();
      return fail('unavailable', 'The platform did not offer a usable sign-in page; check the address.');
    }
    const signInId = randomBytes(16).toString('base64url');
    this.#pending.set(signInId, { origin: origin.value, config, verifier, state, nonce, redirect });
    redirect.answer.catch(() => this.#pending.delete(signInId));
    return ok({ signInId, authorizationUrl: url.href, opened: this.openExternal !== undefined });
  }

  /** Waits for the browser to come back, then exchanges the code; the session lands in the keychain. */
  async complete(signInId: string): Promise<Result<SignedIn>> {
    const pending = this.#pending.get(signInId);
    if (!pending) return fail('not-found', 'No sign-in is waiting; start again.');
    let answer: Awaited<LoopbackRedirect['answer']>;
    try {
      answer = await pending.redirect.answer;
    } catch {
      return fail('unauthenticated', 'The sign-in was cancelled or took too long; start again.');
    } finally {
      this.#pending.delete(signInId);
    }
    // The browser's page waits for the outcome, whatever it is, so it never hangs on an error here.
    let result: Result<SignedIn> = fail('internal', 'The sign-in could not be finished; start again.');
    try {
      result = await this.#exchange(pending, answer.url);
      return result;
    } finally {
      answer.finish(
        result.ok ? 'signed-in' : 'failed',
        result.ok
          ? 'You are signed in. Return to Compliance Console; you can close this tab.'
          : result.error.message,
      );
    }
  }

  cancel(signInId: string): boolean {
    const pending = this.#pending.get(signInId);
    pending?.redirect.close();
    return this.#pending.delete(signInId);
  }

  async #exchange(pending: Pending, callbackUrl: URL): Promise<Result<SignedIn>> {
    if (callbackUrl.searchParams.has('error')) {
      return fail('unauthenticated', 'The platform did not sign you in; start again.');
    }
    let tokens: oidc.TokenEndpointResponse;
    try {
      tokens = await oidc.authorizationCodeGrant(pending.config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch {
      // openid-client's errors can quote the response; none of it goes further than this line.
      return fail('unauthenticated', 'The platform did not complete the sign-in; start again.');
    }
    if (!tokens.refresh_token || !tokens.expires_in) {
      return fail('unauthenticated', 'The platform did not grant a lasting session; start again.');
    }
    const subject = (tokens as { claims?: () => { sub?: string } | undefined }).claims?.()?.sub;
    if (!subject) return fail('unauthenticated', 'The platform did not say who signed in; start again.');
    const profile = { platformOrigin: pending.origin, principalId: subject };
    const client = await this.sessions.startUserSession(profile, {
      accessToken: tokens.access_token,
      expiresIn: tokens.expires_in,
      refreshToken: tokens.refresh_token,
    });
    if (!client.ok) return client;
    const me = await client.value.call(authApi.me, {});
    if (!me.ok) return me;
    const device = await this.deviceKeys.ensure(profile, client.value);
    if (!device.ok) return device;
    return ok({
      profile,
      email: me.value.email,
      displayName: me.value.displayName,
      deviceKeyId: device.value.keyId,
    });
  }
}

/** Whether every endpoint a discovery document names (and its key set) is on the given origin. */
function endpointsOn(metadata: Readonly<Record<string, unknown>>, origin: string): boolean {
  return Object.entries(metadata)
    .filter(([name]) => name.endsWith('_endpoint') || name === 'jwks_uri')
    .every(
      ([, value]) => typeof value === 'string' && URL.canParse(value) && new URL(value).origin === origin,
    );
}

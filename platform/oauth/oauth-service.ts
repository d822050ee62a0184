import { createHash } from 'node:crypto';
import type { TokenPair } from '../../shared/api/auth';
import {
  type AuthorizationParams,
  DESKTOP_CLIENT_ID,
  DESKTOP_SCOPE,
  isDesktopRedirect,
  type OAuthError,
  type OAuthErrorCode,
  type OAuthTokenResponse,
  type TokenGrant,
} from '../../shared/api/oauth';
import type { AccessTokens } from '../auth/access-tokens';
import type { Sessions } from '../auth/sessions';
import type { Clock } from '../clock';
import { sha256 } from '../crypto/hash';
import { newSecret } from '../crypto/random';
import type { Stores } from '../db/stores';

const CODE_TTL_MS = 60_000;

export type OAuthResult<T> = { ok: true; value: T } | { ok: false; error: OAuthError };

function oauthFail<T>(error: OAuthErrorCode, description: string): OAuthResult<T> {
  return { ok: false, error: { error, error_description: description } };
}

/**
 * Whether an authorization request may be answered at all. A wrong client or redirect must never be
 * redirected to (RFC 6749 §4.1.2.1): the sign-in page shows the error instead.
 */
export function clientProblem(params: { client_id?: unknown; redirect_uri?: unknown }): string | undefined {
  if (params.client_id !== DESKTOP_CLIENT_ID) return 'This application is not registered with the platform.';
  if (typeof params.redirect_uri !== 'string' || !isDesktopRedirect(params.redirect_uri))
    return 'The application asked to be answered at an address the platform does not allow.';
  return undefined;
}

/** Codes for a proven user, and their one exchange for a session (with the PKCE verifier). */
export class OAuthService {
  constructor(
    private readonly stores: Stores,
    private readonly sessions: Sessions,
    private readonly tokens: AccessTokens,
    private readonly clock: Clock,
  ) {}

  async issueCode(userId: string, params: AuthorizationParams): Promise<string> {
    const now = this.clock.now();
    const code = newSecret();
    await this.stores.oauthCodes.prune(now);
    await this.stores.oauthCodes.insert({
      code_sha256: sha256(code),
      client_id: params.client_id,
      redirect_uri: params.redirect_uri,
      code_challenge: params.code_challenge,
      nonce: params.nonce,
      user_id: userId,
      auth_time: now,
      expires_at: now + CODE_TTL_MS,
    });
    return code;
  }

  async grant(grant: TokenGrant, issuer: string): Promise<OAuthResult<OAuthTokenResponse>> {
    if (grant.client_id !== DESKTOP_CLIENT_ID) return oauthFail('invalid_client', 'Unknown client.');
    if (grant.grant_type === 'refresh_token') {
      const pair = await this.sessions.refresh(grant.refresh_token);
      if (!pair.ok) return oauthFail('invalid_grant', 'The refresh token is not valid.');
      return { ok: true, value: tokenResponse(pair.value) };
    }
    const now = this.clock.now();
    const key = sha256(grant.code);
    const code = await this.stores.oauthCodes.find(key);
    const invalid = oauthFail<OAuthTokenResponse>('invalid_grant', 'The authorization code is not valid.');
    if (!code || code.client_id !== grant.client_id) return invalid;
    if (code.used_at !== null) {
      // RFC 6749 §4.1.2: a code presented twice was intercepted or replayed; end what it started.
      if (code.family_id) await this.sessions.revokeFamily(code.family_id);
      return invalid;
    }
    if (
      code.expires_at <= now ||
      code.redirect_uri !== grant.redirect_uri ||
      !challengeMatches(grant.code_verifier, code.code_challenge)
    ) {
      // Burn it: a wrong verifier must not leave a code open to guessing.
      await this.stores.oauthCodes.claim(key, now);
      return invalid;
    }
    if (!(await this.stores.oauthCodes.claim(key, now))) return invalid;
    const session = await this.sessions.startSession(code.user_id);
    await this.stores.oauthCodes.recordFamily(key, session.familyId);
    const idToken = await this.tokens.idToken(
      {
        issuer,
        userId: code.user_id,
        clientId: code.client_id,
        nonce: code.nonce,
        authTime: code.auth_time,
      },
      now,
    );
    return { ok: true, value: { ...tokenResponse(session.tokens), id_token: idToken } };
  }
}

function challengeMatches(verifier: string, challenge: string): boolean {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url') === challenge;
}

function tokenResponse(pair: TokenPair): OAuthTokenResponse {
  return {
    token_type: 'Bearer',
    access_token: pair.accessToken,
    expires_in: pair.expiresIn,
    refresh_token: pair.refreshToken,
    scope: DESKTOP_SCOPE,
  };
}

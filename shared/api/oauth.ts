import { z } from 'zod';

/**
 * The desktop sign-in: OAuth 2.1 authorization code with PKCE (RFC 7636, S256 only) for a native app
 * using a loopback redirect on any port (RFC 8252 §7.3), plus an OpenID Connect ID token bound to the
 * client's nonce. The console is a public client; it has no secret to keep.
 */
export const DESKTOP_CLIENT_ID = 'compliance-console';
export const DESKTOP_SCOPE = 'openid offline_access';
export const LOOPBACK_CALLBACK_PATH = '/callback';

/** RFC 7636 §4.1: 43 to 128 unreserved characters. State and nonce are held to the same alphabet. */
const Unreserved = (min: number) => z.string().regex(new RegExp(`^[A-Za-z0-9._~-]{${min},128}$`));

export const AuthorizationParams = z.object({
  response_type: z.literal('code'),
  client_id: z.string().max(100),
  redirect_uri: z.string().max(300),
  scope: z.string().max(200),
  state: Unreserved(16),
  nonce: Unreserved(16),
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Expected an S256 code challenge'),
  code_challenge_method: z.literal('S256'),
});
export type AuthorizationParams = z.infer<typeof AuthorizationParams>;

export const SignInForm = AuthorizationParams.extend({
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
  totp: z.string().regex(/^[0-9]{6}$/),
});

export const AuthorizationCodeGrant = z.object({
  grant_type: z.literal('authorization_code'),
  code: z.string().min(1).max(200),
  redirect_uri: z.string().max(300),
  client_id: z.string().max(100),
  code_verifier: Unreserved(43),
});

export const RefreshTokenGrant = z.object({
  grant_type: z.literal('refresh_token'),
  refresh_token: z.string().min(1).max(512),
  client_id: z.string().max(100),
  scope: z.string().max(200).optional(),
});

export const TokenGrant = z.discriminatedUnion('grant_type', [AuthorizationCodeGrant, RefreshTokenGrant]);
export type TokenGrant = z.infer<typeof TokenGrant>;

export const OAuthTokenResponse = z.object({
  token_type: z.literal('Bearer'),
  access_token: z.string(),
  expires_in: z.number().int().positive(),
  refresh_token: z.string(),
  scope: z.string(),
  id_token: z.string().optional(),
});
export type OAuthTokenResponse = z.infer<typeof OAuthTokenResponse>;

/** RFC 6749 §5.2 error codes this server answers with. */
export const OAuthErrorCode = z.enum([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
]);
export type OAuthErrorCode = z.infer<typeof OAuthErrorCode>;
export const OAuthError = z.object({ error: OAuthErrorCode, error_description: z.string() });
export type OAuthError = z.infer<typeof OAuthError>;

/**
 * Raw query or form fields, validated field by field by the routes themselves so that every problem is
 * answered in OAuth's way: a repeated parameter arrives as an array and is refused (RFC 6749 §3.1).
 */
export const OAuthFields = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export type OAuthFields = z.infer<typeof OAuthFields>;

/** OpenID Connect discovery (and RFC 8414 authorization server metadata, the same document). */
export const Discovery = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
  response_types_supported: z.array(z.string()),
  grant_types_supported: z.array(z.string()),
  code_challenge_methods_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()),
  scopes_supported: z.array(z.string()),
  subject_types_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()),
  authorization_response_iss_parameter_supported: z.boolean(),
});
export const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

/** A loopback redirect of the desktop client: http, 127.0.0.1 or [::1], any port, the callback path. */
export function isDesktopRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    (url.hostname === '127.0.0.1' || url.hostname === '[::1]') &&
    url.port !== '' &&
    url.pathname === LOOPBACK_CALLBACK_PATH &&
    !url.search &&
    !url.hash &&
    !url.username &&
    !url.password
  );
}

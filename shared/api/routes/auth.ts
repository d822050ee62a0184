import { z } from 'zod';
import { Me, RefreshRequest, SignInRequest, SignOutRequest, TokenPair } from '../auth';
import { Health } from '../common';
import { Discovery, Jwks, OAuthError, OAuthFields, OAuthTokenResponse } from '../oauth';
import { route } from '../route';

export const authApi = {
  health: route({ method: 'GET', path: '/v1/health', status: 200, reply: Health }),
  signIn: route({
    method: 'POST',
    path: '/v1/auth/sign-in',
    body: SignInRequest,
    status: 200,
    reply: TokenPair,
  }),
  refresh: route({
    method: 'POST',
    path: '/v1/auth/refresh',
    body: RefreshRequest,
    status: 200,
    reply: TokenPair,
  }),
  // Ending a session that is already ended changes nothing, so a lost reply may be retried.
  signOut: route({
    method: 'POST',
    path: '/v1/auth/sign-out',
    body: SignOutRequest,
    status: 204,
    reply: z.null(),
    idempotent: true,
  }),
  me: route({ method: 'GET', path: '/v1/me', status: 200, reply: Me }),
} as const;

/**
 * The desktop sign-in's authorization server. The console reaches these through openid-client (discovery
 * names the endpoints); they are declared here so the server registers them from one place too.
 */
export const oauthApi = {
  discovery: route({
    method: 'GET',
    path: '/.well-known/openid-configuration',
    status: 200,
    reply: Discovery,
    errors: 'none',
  }),
  serverMetadata: route({
    method: 'GET',
    path: '/.well-known/oauth-authorization-server',
    status: 200,
    reply: Discovery,
    errors: 'none',
  }),
  jwks: route({ method: 'GET', path: '/oauth/jwks', status: 200, reply: Jwks, errors: 'none' }),
  // The platform's own sign-in page; every answer is HTML (or a redirect back to the console).
  authorize: route({
    method: 'GET',
    path: '/oauth/authorize',
    query: OAuthFields,
    status: 200,
    reply: 'html',
    errors: 'none',
  }),
  signInForm: route({
    method: 'POST',
    path: '/oauth/authorize',
    body: OAuthFields,
    bodyEncoding: 'form',
    status: 303,
    reply: 'html',
    errors: 'none',
  }),
  token: route({
    method: 'POST',
    path: '/oauth/token',
    body: OAuthFields,
    bodyEncoding: 'form',
    status: 200,
    reply: OAuthTokenResponse,
    errors: { 400: OAuthError, 401: OAuthError },
  }),
} as const;

import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AuthorizationParams,
  DESKTOP_SCOPE,
  type OAuthFields,
  SignInForm,
  TokenGrant,
} from '../../shared/api/oauth';
import { oauthApi } from '../../shared/api/routes/auth';
import { requestMetaOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { serve } from '../http/declared-routes';
import type { RouteLimits } from '../http/server';
import { clientProblem } from './oauth-service';
import { errorPage, signInPage, signInPageHeaders } from './sign-in-page';

/**
 * The authorization server of the desktop sign-in: discovery, JWKS, the authorization endpoint with the
 * platform's own sign-in page (password + TOTP), and the token endpoint. `publicOrigin` names the issuer;
 * without it the issuer is the origin the request came to, which suits loopback and single-host use.
 */
export function oauthRoutes(
  ctx: PlatformContext,
  limits: RouteLimits,
  publicOrigin: string | undefined,
): FastifyPluginAsyncZod {
  const rateLimit = { max: limits.signIn.max, timeWindow: limits.signIn.timeWindowMs };
  const issuerOf = (request: FastifyRequest) => publicOrigin ?? `${request.protocol}://${request.host}`;

  return async (app) => {
    await app.register(formbody, { bodyLimit: 16 * 1024 });

    const discovery = async (request: FastifyRequest) => {
      const issuer = issuerOf(request);
      return {
        issuer,
        authorization_endpoint: `${issuer}${oauthApi.authorize.path}`,
        token_endpoint: `${issuer}${oauthApi.token.path}`,
        jwks_uri: `${issuer}${oauthApi.jwks.path}`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: DESKTOP_SCOPE.split(' '),
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['EdDSA'],
        authorization_response_iss_parameter_supported: true,
      };
    };
    serve(app, oauthApi.discovery, {}, discovery);
    serve(app, oauthApi.serverMetadata, {}, discovery);
    serve(app, oauthApi.jwks, {}, async () => ctx.oauthTokens.jwks());

    serve(app, oauthApi.authorize, {}, async (request, reply) => {
      const checked = checkAuthorization(request.query, reply, issuerOf(request));
      if (!checked) return reply;
      return reply.status(200).headers(signInPageHeaders).send(signInPage(checked, {}));
    });

    serve(
      app,
      oauthApi.signInForm,
      { config: { rateLimit }, attachValidation: true },
      async (request, reply) => {
        if (request.validationError) {
          return reply
            .status(400)
            .headers(signInPageHeaders)
            .send(errorPage('The sign-in form was not sent whole; start again from the console.'));
        }
        const checked = checkAuthorization(request.body, reply, issuerOf(request));
        if (!checked) return reply;
        const email = typeof request.body.email === 'string' ? request.body.email.slice(0, 254) : '';
        const form = SignInForm.safeParse(request.body);
        if (!form.success) {
          return reply
            .status(400)
            .headers(signInPageHeaders)
            .send(
              signInPage(checked, {
                email,
                error: 'Enter your e-mail address, password and the 6-digit code.',
              }),
            );
        }
        const user = await ctx.sessions.verifyCredentials(
          form.data.email,
          form.data.password,
          form.data.totp,
          requestMetaOf(request),
        );
        if (!user.ok) {
          return reply
            .status(401)
            .headers(signInPageHeaders)
            .send(signInPage(checked, { email, error: user.error.message }));
        }
        const code = await ctx.oauth.issueCode(user.value.id, checked);
        return redirectBack(reply, checked.redirect_uri, {
          code,
          state: checked.state,
          iss: issuerOf(request),
        });
      },
    );

    serve(
      app,
      oauthApi.token,
      // Validation failures are answered here, in OAuth's own error format (RFC 6749 §5.2).
      { config: { rateLimit }, attachValidation: true },
      async (request, reply) => {
        reply.header('pragma', 'no-cache');
        if (request.validationError) {
          return reply.status(400).send({
            error: 'invalid_request' as const,
            error_description: 'The token request is incomplete or malformed.',
          });
        }
        if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
          return reply.status(400).send({
            error: 'invalid_request' as const,
            error_description: 'Send the token request as application/x-www-form-urlencoded.',
          });
        }
        const grant = TokenGrant.safeParse(request.body);
        if (!grant.success) {
          const known = ['authorization_code', 'refresh_token'].includes(String(request.body.grant_type));
          return reply.status(400).send({
            error: known ? ('invalid_request' as const) : ('unsupported_grant_type' as const),
            error_description: known
              ? 'The token request is incomplete or malformed.'
              : 'Unsupported grant type.',
          });
        }
        const result = await ctx.oauth.grant(grant.data, issuerOf(request));
        if (!result.ok)
          return reply.status(result.error.error === 'invalid_client' ? 401 : 400).send(result.error);
        return result.value;
      },
    );
  };
}

/**
 * Validates an authorization request. A bad client or redirect gets an error page (never a redirect);
 * any other problem is reported back to the client's redirect with `invalid_request`.
 */
function checkAuthorization(
  fields: OAuthFields,
  reply: FastifyReply,
  issuer: string,
): AuthorizationParams | undefined {
  const problem = clientProblem(fields);
  if (problem) {
    void reply.status(400).headers(signInPageHeaders).send(errorPage(problem));
    return undefined;
  }
  const params = AuthorizationParams.safeParse(fields);
  if (!params.success || !params.data.scope.split(' ').includes('openid')) {
    const state = typeof fields.state === 'string' && fields.state.length <= 128 ? fields.state : undefined;
    redirectBack(reply, String(fields.redirect_uri), {
      error: 'invalid_request',
      error_description:
        'The sign-in request is incomplete or malformed (PKCE S256, state and nonce are required).',
      ...(state ? { state } : {}),
      iss: issuer,
    });
    return undefined;
  }
  return params.data;
}

function redirectBack(reply: FastifyReply, redirectUri: string, params: Record<string, string>) {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  return reply.status(303).header('location', target.href).send();
}

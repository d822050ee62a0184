import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Me, RefreshRequest, SignInRequest, SignOutRequest, TokenPair } from '../../shared/api/auth';
import { requestMetaOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { type Guards, principalOf } from '../http/guards';
import { orReply } from '../http/problem';
import { errorResponses } from '../http/schemas';
import type { RouteLimits } from '../http/server';

export function authRoutes(ctx: PlatformContext, guards: Guards, limits: RouteLimits): FastifyPluginAsyncZod {
  const rateLimit = { max: limits.signIn.max, timeWindow: limits.signIn.timeWindowMs };
  return async (app) => {
    app.post(
      '/v1/auth/sign-in',
      {
        config: { rateLimit },
        schema: { body: SignInRequest, response: { 200: TokenPair, ...errorResponses } },
      },
      async (request) => {
        const { email, password, totp } = request.body;
        const result = orReply(await ctx.sessions.signIn(email, password, totp, requestMetaOf(request)));
        return result.tokens;
      },
    );

    app.post(
      '/v1/auth/refresh',
      {
        config: { rateLimit },
        schema: { body: RefreshRequest, response: { 200: TokenPair, ...errorResponses } },
      },
      async (request) => orReply(await ctx.sessions.refresh(request.body.refreshToken)),
    );

    app.post(
      '/v1/auth/sign-out',
      { schema: { body: SignOutRequest, response: { 204: z.null(), ...errorResponses } } },
      async (request, reply) => {
        ctx.sessions.signOut(request.body.refreshToken);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/me',
      { onRequest: guards.user(), schema: { response: { 200: Me, ...errorResponses } } },
      async (request) => {
        const principal = principalOf(request);
        if (principal.kind !== 'user') throw new Error('unreachable: guarded by user()');
        const user = ctx.stores.users.findById(principal.userId);
        if (!user) throw new Error('Authenticated user vanished');
        return {
          kind: 'user' as const,
          id: user.id,
          email: user.email,
          displayName: user.display_name,
          memberships: ctx.stores.organizations.listForUser(user.id).map((o) => ({
            organizationId: o.id,
            organizationSlug: o.slug,
            organizationName: o.name,
            role: o.role,
          })),
        };
      },
    );
  };
}

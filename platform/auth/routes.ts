import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authApi } from '../../shared/api/routes/auth';
import { requestMetaOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { serve } from '../http/declared-routes';
import { type Guards, principalOf } from '../http/guards';
import { orReply } from '../http/problem';
import type { RouteLimits } from '../http/server';

export function authRoutes(ctx: PlatformContext, guards: Guards, limits: RouteLimits): FastifyPluginAsyncZod {
  const rateLimit = { max: limits.signIn.max, timeWindow: limits.signIn.timeWindowMs };
  return async (app) => {
    serve(app, authApi.signIn, { config: { rateLimit } }, async (request) => {
      const { email, password, totp } = request.body;
      const result = orReply(await ctx.sessions.signIn(email, password, totp, requestMetaOf(request)));
      return result.tokens;
    });

    serve(app, authApi.refresh, { config: { rateLimit } }, async (request) =>
      orReply(await ctx.sessions.refresh(request.body.refreshToken)),
    );

    serve(app, authApi.signOut, {}, async (request) => {
      await ctx.sessions.signOut(request.body.refreshToken);
      return null;
    });

    serve(app, authApi.me, { onRequest: guards.user() }, async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw new Error('unreachable: guarded by user()');
      const user = await ctx.stores.users.findById(principal.userId);
      if (!user) throw new Error('Authenticated user vanished');
      return {
        kind: 'user' as const,
        id: user.id,
        email: user.email,
        displayName: user.display_name,
        memberships: (await ctx.stores.organizations.listForUser(user.id)).map((o) => ({
          organizationId: o.id,
          organizationSlug: o.slug,
          organizationName: o.name,
          role: o.role,
        })),
      };
    });
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiKeysApi } from '../../shared/api/routes/api-keys';
import { laneFor } from '../../shared/approvals/lanes';
import { policyOf } from '../approvals/policy';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { orgOf } from '../db/scope';
import { serve } from '../http/declared-routes';
import { type Guards, orgAccessOf, principalOf, tenantOf } from '../http/guards';
import { orReply, Problem } from '../http/problem';
import type { RouteLimits } from '../http/server';

export function keyRoutes(ctx: PlatformContext, guards: Guards, limits: RouteLimits): FastifyPluginAsyncZod {
  const rateLimit = { max: limits.keys.max, timeWindow: limits.keys.timeWindowMs };

  /**
   * Writes to keys go through approval requests unless the organization's policy puts them in the green
   * lane for this environment; this direct route is the green lane.
   */
  async function requireGreenLane(request: Parameters<typeof tenantOf>[0], kind: string) {
    const tenant = tenantOf(request);
    const lane = laneFor(await policyOf(ctx.stores, orgOf(tenant)), kind, tenant.environment);
    if (lane !== 'green') {
      throw new Problem({
        code: 'approval-required',
        message: `In ${tenant.environment} this change is in the ${lane} lane: raise an approval request of kind ${kind}.`,
      });
    }
  }

  /** Key management is for people; `keys:manage` is never an API key scope, this makes it explicit. */
  function actorOf(request: Parameters<typeof principalOf>[0]) {
    const principal = principalOf(request);
    const { role } = orgAccessOf(request);
    if (principal.kind !== 'user' || !role) {
      throw new Problem({ code: 'forbidden', message: 'API keys are managed by people, not by API keys.' });
    }
    return { userId: principal.userId, role };
  }

  return async (app) => {
    serve(app, apiKeysApi.self, { onRequest: guards.principal() }, async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'api-key') {
        throw new Problem({ code: 'forbidden', message: 'This describes an API key; sign in with one.' });
      }
      const row = await ctx.stores.apiKeys.findCredential(principal.keyId);
      const org = row && (await ctx.stores.organizations.findById(row.organization_id));
      if (!row || !org) throw new Error('Authenticated key vanished');
      return {
        id: row.id,
        organization: org.slug,
        environment: row.environment,
        scopes: [...principal.scopes],
        expiresAt: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
      };
    });

    serve(
      app,
      apiKeysApi.list,
      { config: { rateLimit }, onRequest: guards.tenant('keys:read') },
      async (request) => ({ keys: await ctx.apiKeys.list(tenantOf(request)) }),
    );

    serve(
      app,
      apiKeysApi.create,
      { config: { rateLimit }, onRequest: guards.tenant('keys:manage') },
      async (request) => {
        await requireGreenLane(request, 'api_key.create');
        return orReply(
          await ctx.apiKeys.create(
            tenantOf(request),
            actorOf(request),
            request.body,
            auditContextOf(request),
          ),
        );
      },
    );

    serve(
      app,
      apiKeysApi.get,
      { config: { rateLimit }, onRequest: guards.tenant('keys:read') },
      async (request) => orReply(await ctx.apiKeys.get(tenantOf(request), request.params.keyId)),
    );

    serve(
      app,
      apiKeysApi.rotate,
      { config: { rateLimit }, onRequest: guards.tenant('keys:manage') },
      async (request) => {
        const { userId } = actorOf(request);
        await requireGreenLane(request, 'api_key.rotate');
        const rotated = await ctx.apiKeys.rotate(
          tenantOf(request),
          userId,
          request.params.keyId,
          request.body.gracePeriodSeconds,
          auditContextOf(request),
        );
        return orReply(rotated);
      },
    );

    serve(
      app,
      apiKeysApi.revoke,
      { config: { rateLimit }, onRequest: guards.tenant('keys:manage') },
      async (request) => {
        actorOf(request);
        await requireGreenLane(request, 'api_key.revoke');
        return orReply(
          await ctx.apiKeys.revoke(tenantOf(request), request.params.keyId, auditContextOf(request)),
        );
      },
    );
  };
}

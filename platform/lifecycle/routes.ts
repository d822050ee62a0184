import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { lifecycleApi } from '../../shared/api/routes/lifecycle';
import { roleAllows } from '../../shared/domain/permissions';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { ElevationService } from '../elevations/elevation-service';
import { serve } from '../http/declared-routes';
import { type Guards, orgAccessOf, principalOf, tenantOf } from '../http/guards';
import { orReply, Problem } from '../http/problem';
import { tenantGrants } from './grants';

/** Elevations (who holds a role for a while, until when; ended early) and a tenant's grants with last use. */
export function lifecycleRoutes(ctx: PlatformContext, guards: Guards): FastifyPluginAsyncZod {
  const elevations = new ElevationService(ctx);
  return async (app) => {
    serve(app, lifecycleApi.elevations, { onRequest: guards.org('members:read') }, async (request) => ({
      elevations: await elevations.list(orgAccessOf(request).scope, request.query.status === 'all'),
    }));

    serve(app, lifecycleApi.endElevation, { onRequest: guards.org('members:manage') }, async (request) => {
      const principal = principalOf(request);
      const by = principal.kind === 'user' ? principal.userId : principal.keyId;
      return orReply(
        await elevations.endEarly(
          orgAccessOf(request).scope,
          request.params.elevationId,
          by,
          auditContextOf(request),
        ),
      );
    });

    // People and keys together: it needs members:read (the guard) and keys:read (checked here).
    serve(app, lifecycleApi.grants, { onRequest: guards.tenant('members:read') }, async (request) => {
      const principal = principalOf(request);
      const { role } = orgAccessOf(request);
      const readsKeys =
        principal.kind === 'user'
          ? role !== undefined && roleAllows(role, 'keys:read')
          : principal.scopes.includes('keys:read');
      if (!readsKeys)
        throw new Problem({ code: 'forbidden', message: 'Reading grants also needs keys:read.' });
      return tenantGrants(ctx, tenantOf(request));
    });
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { organizationsApi } from '../../shared/api/routes/organizations';
import { permissions, roleDescriptions, roleNames, rolePermissions } from '../../shared/domain/permissions';
import { serve } from '../http/declared-routes';
import type { Guards } from '../http/guards';

export function roleRoutes(guards: Guards): FastifyPluginAsyncZod {
  const body = {
    permissions: [...permissions],
    roles: roleNames.map((name) => ({
      name,
      description: roleDescriptions[name],
      permissions: [...rolePermissions[name]],
    })),
  };
  return async (app) => {
    serve(app, organizationsApi.roles, { onRequest: guards.principal() }, async () => body);
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { RoleList } from '../../shared/api/roles';
import { permissions, roleDescriptions, roleNames, rolePermissions } from '../../shared/domain/permissions';
import type { Guards } from '../http/guards';
import { errorResponses } from '../http/schemas';

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
    app.get(
      '/v1/roles',
      { onRequest: guards.principal(), schema: { response: { 200: RoleList, ...errorResponses } } },
      async () => body,
    );
  };
}

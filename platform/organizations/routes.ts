import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Organization } from '../../shared/api/organizations';
import { organizationsApi } from '../../shared/api/routes/organizations';
import { laneOfChange } from '../../shared/approvals/lanes';
import { environments } from '../../shared/domain/environments';
import { readPermissions } from '../../shared/domain/permissions';
import { policyOf } from '../approvals/policy';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import type { OrganizationRow } from '../db/organizations';
import { serve } from '../http/declared-routes';
import { type Guards, orgAccessOf, principalOf, tenantOf } from '../http/guards';
import { orReply, Problem } from '../http/problem';
import { tenantDirectory } from './directory';
import { MembershipService } from './membership-service';

function toOrganization(row: OrganizationRow): Organization {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    environments: [...environments],
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export function organizationRoutes(ctx: PlatformContext, guards: Guards): FastifyPluginAsyncZod {
  const members = new MembershipService(ctx);
  return async (app) => {
    serve(app, organizationsApi.list, { onRequest: guards.user() }, async (request) => {
      const principal = principalOf(request);
      const userId = principal.kind === 'user' ? principal.userId : '';
      return { organizations: (await ctx.stores.organizations.listForUser(userId)).map(toOrganization) };
    });

    serve(app, organizationsApi.get, { onRequest: guards.org('orgs:read') }, async (request) => {
      const row = await ctx.stores.organizations.findBySlug(orgAccessOf(request).scope.organizationSlug);
      if (!row) throw new Error('Authorized organization vanished');
      return toOrganization(row);
    });

    serve(app, organizationsApi.members, { onRequest: guards.org('members:read') }, async (request) => ({
      members: await members.list(orgAccessOf(request).scope),
    }));

    // Anyone who may read anything in the tenant may see who its records name (auditors and viewers too).
    serve(
      app,
      organizationsApi.directory,
      { onRequest: guards.tenant({ anyOf: readPermissions }) },
      async (request) => await tenantDirectory(ctx, tenantOf(request)),
    );

    serve(app, organizationsApi.changeRole, { onRequest: guards.org('members:manage') }, async (request) => {
      const { scope, role } = orgAccessOf(request);
      // This route is the green lane of member.role_change (which always takes the live lane).
      const lane = laneOfChange(await policyOf(ctx.stores, scope), 'member.role_change', 'live');
      if (lane !== 'green') {
        throw new Problem({
          code: 'approval-required',
          message: `Role changes are in the ${lane} lane: raise an approval request of kind member.role_change.`,
        });
      }
      return orReply(
        await members.changeRole(
          scope,
          role,
          request.params.userId,
          request.body.role,
          auditContextOf(request),
        ),
      );
    });
  };
}

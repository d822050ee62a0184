import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ChangeRoleRequest,
  Member,
  MemberList,
  MemberParams,
  Organization,
  OrganizationList,
  OrgParams,
} from '../../shared/api/organizations';
import { environments } from '../../shared/domain/environments';
import { laneOfChange, policyOf } from '../approvals/policy';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import type { OrganizationRow } from '../db/organizations';
import { type Guards, orgAccessOf, principalOf } from '../http/guards';
import { orReply, Problem } from '../http/problem';
import { errorResponses } from '../http/schemas';
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
  const members = new MembershipService(ctx.stores, ctx.auditLog);
  return async (app) => {
    app.get(
      '/v1/orgs',
      { onRequest: guards.user(), schema: { response: { 200: OrganizationList, ...errorResponses } } },
      async (request) => {
        const principal = principalOf(request);
        const userId = principal.kind === 'user' ? principal.userId : '';
        return { organizations: ctx.stores.organizations.listForUser(userId).map(toOrganization) };
      },
    );

    app.get(
      '/v1/orgs/:org',
      {
        onRequest: guards.org('orgs:read'),
        schema: { params: OrgParams, response: { 200: Organization, ...errorResponses } },
      },
      async (request) => {
        const row = ctx.stores.organizations.findBySlug(orgAccessOf(request).scope.organizationSlug);
        if (!row) throw new Error('Authorized organization vanished');
        return toOrganization(row);
      },
    );

    app.get(
      '/v1/orgs/:org/members',
      {
        onRequest: guards.org('members:read'),
        schema: { params: OrgParams, response: { 200: MemberList, ...errorResponses } },
      },
      async (request) => ({ members: members.list(orgAccessOf(request).scope) }),
    );

    app.put(
      '/v1/orgs/:org/members/:userId/role',
      {
        onRequest: guards.org('members:manage'),
        schema: {
          params: MemberParams,
          body: ChangeRoleRequest,
          response: { 200: Member, ...errorResponses },
        },
      },
      async (request) => {
        const { scope, role } = orgAccessOf(request);
        // This route is the green lane of member.role_change (which always takes the live lane).
        const lane = laneOfChange(policyOf(ctx.stores, scope), 'member.role_change', 'live');
        if (lane !== 'green') {
          throw new Problem({
            code: 'approval-required',
            message: `Role changes are in the ${lane} lane: raise an approval request of kind member.role_change.`,
          });
        }
        return orReply(
          members.changeRole(scope, role, request.params.userId, request.body.role, auditContextOf(request)),
        );
      },
    );
  };
}

import type { FastifyRequest } from 'fastify';
import type { Environment } from '../../shared/domain/environments';
import type { Permission } from '../../shared/domain/permissions';
import type { OrgAccess } from '../access/access-control';
import type { Principal } from '../access/principal';
import { requestMetaOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import type { TenantScope } from '../db/scope';
import { orReply, Problem } from './problem';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    orgAccess: (OrgAccess & { tenant?: TenantScope }) | null;
  }
}

type PreHandler = (request: FastifyRequest) => Promise<void>;

/** preHandlers that establish who is asking and for which tenant, before any handler code runs. */
export function createGuards(ctx: PlatformContext) {
  async function authenticate(request: FastifyRequest): Promise<Principal> {
    const principal = orReply(
      await ctx.authentication.authenticate(request.headers.authorization, requestMetaOf(request)),
    );
    request.principal = principal;
    return principal;
  }

  return {
    principal: (): PreHandler => async (request) => {
      await authenticate(request);
    },
    user: (): PreHandler => async (request) => {
      const principal = await authenticate(request);
      if (principal.kind !== 'user') {
        throw new Problem({ code: 'forbidden', message: 'This needs a signed-in person, not an API key.' });
      }
    },
    org:
      (permission: Permission): PreHandler =>
      async (request) => {
        const principal = await authenticate(request);
        const { org } = request.params as { org: string };
        request.orgAccess = orReply(ctx.access.org(principal, org, permission));
      },
    tenant:
      (permission: Permission): PreHandler =>
      async (request) => {
        const principal = await authenticate(request);
        const { org, env } = request.params as { org: string; env: Environment };
        request.orgAccess = orReply(ctx.access.tenant(principal, org, env, permission));
      },
  };
}

export type Guards = ReturnType<typeof createGuards>;

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('Route is missing its authentication guard');
  return request.principal;
}

export function orgAccessOf(request: FastifyRequest): OrgAccess {
  if (!request.orgAccess) throw new Error('Route is missing its organization guard');
  return request.orgAccess;
}

export function tenantOf(request: FastifyRequest): TenantScope {
  const tenant = request.orgAccess?.tenant;
  if (!tenant) throw new Error('Route is missing its tenant guard');
  return tenant;
}

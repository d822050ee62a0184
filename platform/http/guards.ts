import type { FastifyRequest } from 'fastify';
import { OrgSlug } from '../../shared/api/common';
import { Environment } from '../../shared/domain/environments';
import type { OrgAccess, Requirement } from '../access/access-control';
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

/**
 * onRequest hooks that establish who is asking and for which tenant before anything else runs, the body
 * included: an unauthenticated upload is refused without its bytes being read. The organization and
 * environment in the path are checked here, since route validation comes after.
 */
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
      (permission: Requirement): PreHandler =>
      async (request) => {
        const principal = await authenticate(request);
        const { org } = pathOf(request);
        request.orgAccess = orReply(await ctx.access.org(principal, org, permission));
        // An environment's key must not change what governs both environments (its own among them).
        if (principal.kind === 'api-key' && request.method !== 'GET' && request.method !== 'HEAD') {
          throw new Problem({
            code: 'forbidden',
            message: 'Organization-wide changes are made by people, not by API keys.',
          });
        }
      },
    tenant:
      (permission: Requirement): PreHandler =>
      async (request) => {
        const principal = await authenticate(request);
        const { org, env } = pathOf(request);
        if (!env)
          throw new Problem({
            code: 'bad-request',
            message: 'Invalid request. params.env: Expected test or live',
          });
        request.orgAccess = orReply(await ctx.access.tenant(principal, org, env, permission));
      },
  };
}

export type Guards = ReturnType<typeof createGuards>;

function pathOf(request: FastifyRequest): { org: string; env: Environment | undefined } {
  const params = request.params as { org?: unknown; env?: unknown };
  const org = OrgSlug.safeParse(params.org);
  if (!org.success) {
    throw new Problem({
      code: 'bad-request',
      message: 'Invalid request. params.org: Expected an organization slug',
    });
  }
  const env = Environment.safeParse(params.env);
  return { org: org.data, env: env.success ? env.data : undefined };
}

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

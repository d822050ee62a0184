import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { approvalsApi, policyApi } from '../../shared/api/routes/approvals';
import { type Permission, roleAllows } from '../../shared/domain/permissions';
import { fail, type Result } from '../../shared/result';
import { type AuditContext, auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import type { ApprovalRow } from '../db/approvals';
import { type TenantScope, tenantScope } from '../db/scope';
import { serve } from '../http/declared-routes';
import { type Guards, orgAccessOf, principalOf, tenantOf } from '../http/guards';
import { orReply, Problem } from '../http/problem';
import type { WebhookService } from '../webhooks/webhook-service';
import { checkTarget } from '../webhooks/webhook-target';
import { ApprovalService } from './approval-service';
import { PolicyService } from './policy-service';

const closedStatuses: ApprovalRow['status'][] = ['executed', 'failed', 'rejected', 'withdrawn', 'expired'];
const allStatuses: ApprovalRow['status'][] = ['pending', ...closedStatuses];

function personOf(request: Parameters<typeof principalOf>[0]): string {
  const principal = principalOf(request);
  if (principal.kind !== 'user')
    throw new Problem({ code: 'forbidden', message: 'This needs a signed-in person, not an API key.' });
  return principal.userId;
}

/** Records a direct write to the policy or a webhook target, and says how such a change is made now. */
export async function refuseDirectPolicyWrite(
  ctx: PlatformContext,
  tenant: TenantScope,
  what: 'policy' | 'webhook',
  context: AuditContext,
): Promise<Result<never>> {
  await ctx.auditLog.append(tenant, context, {
    action: 'policy.update_refused',
    resource:
      what === 'policy'
        ? { type: 'organization', id: tenant.organizationId }
        : { type: 'webhook', id: `${tenant.organizationSlug}/${tenant.environment}` },
    change: { before: null, after: { reason: 'direct-write' } },
    outcome: 'failure',
  });
  return fail(
    'approval-required',
    `The ${what === 'policy' ? 'approval policy' : 'webhook target'} changes only through a policy.update request, which needs the red lane's approvals.`,
  );
}

export function approvalRoutes(
  ctx: PlatformContext,
  guards: Guards,
  webhooks: WebhookService,
): FastifyPluginAsyncZod {
  const approvals = new ApprovalService(ctx, webhooks);
  const policies = new PolicyService(ctx);
  return async (app) => {
    serve(app, approvalsApi.create, { onRequest: guards.tenant('approvals:request') }, async (request) => {
      const principal = principalOf(request);
      const { role } = orgAccessOf(request);
      // A proposed webhook target is resolved now, as a send would; each send checks it again.
      const proposedHook = request.body.kind === 'policy.update' ? request.body.payload.webhook : undefined;
      if (proposedHook && typeof proposedHook === 'object' && 'url' in proposedHook) {
        const url = (proposedHook as { url: unknown }).url;
        if (typeof url === 'string') orReply(await checkTarget(url, ctx.webhookTargets));
      }
      const allows = (p: Permission) =>
        principal.kind === 'user' ? role !== undefined && roleAllows(role, p) : principal.scopes.includes(p);
      return orReply(
        await approvals.create(tenantOf(request), principal, allows, request.body, auditContextOf(request)),
      );
    });

    serve(app, approvalsApi.list, { onRequest: guards.tenant('approvals:read') }, async (request) => {
      const q = request.query;
      const principal = principalOf(request);
      const [beforeAt, beforeId] = q.cursor?.split('.') ?? [];
      return await approvals.list(tenantOf(request), {
        statuses: q.status === 'all' ? allStatuses : q.status === 'closed' ? closedStatuses : [q.status],
        lane: q.lane,
        kind: q.kind,
        toDecideBy: q.mine === 'to-decide' && principal.kind === 'user' ? principal.userId : undefined,
        text: q.q,
        before: beforeAt && beforeId ? { createdAt: Number(beforeAt), id: beforeId } : undefined,
        limit: q.limit,
      });
    });

    serve(app, approvalsApi.get, { onRequest: guards.tenant('approvals:read') }, async (request) =>
      orReply(await approvals.get(tenantOf(request), request.params.requestId)),
    );

    serve(app, approvalsApi.timeline, { onRequest: guards.tenant('approvals:read') }, async (request) =>
      orReply(await approvals.timeline(tenantOf(request), request.params.requestId)),
    );

    serve(app, approvalsApi.decide, { onRequest: guards.tenant('approvals:decide') }, async (request) => {
      const principal = principalOf(request);
      const tenant = tenantOf(request);
      const { requestId } = request.params;
      if (principal.kind !== 'user') {
        return orReply(await approvals.refuseCredential(tenant, requestId, auditContextOf(request)));
      }
      return orReply(
        await approvals.decide(tenant, requestId, principal.userId, request.body, auditContextOf(request)),
      );
    });

    serve(app, approvalsApi.withdraw, { onRequest: guards.tenant('approvals:request') }, async (request) =>
      orReply(
        await approvals.withdraw(
          tenantOf(request),
          request.params.requestId,
          principalOf(request),
          auditContextOf(request),
        ),
      ),
    );

    serve(app, approvalsApi.comment, { onRequest: guards.tenant('approvals:read') }, async (request) =>
      orReply(
        await approvals.comment(
          tenantOf(request),
          request.params.requestId,
          personOf(request),
          request.body.body,
          auditContextOf(request),
        ),
      ),
    );

    serve(app, approvalsApi.result, { onRequest: guards.tenant('approvals:request') }, async (request) => {
      const principal = principalOf(request);
      const requester = principal.kind === 'user' ? principal.userId : principal.keyId;
      const { secret } = orReply(
        await approvals.result(tenantOf(request), request.params.requestId, requester),
      );
      // An invitation has none: its enrollment link is mailed to the invited address only.
      return { secret };
    });

    serve(
      app,
      policyApi.get,
      { onRequest: guards.org('orgs:read') },
      async (request) => await policies.get(orgAccessOf(request).scope),
    );

    // Kept so that a client that writes the policy directly is told how it changes now, and the attempt
    // is on record: no route changes the policy; an approved `policy.update` request does.
    serve(app, policyApi.put, { onRequest: guards.org('policy:manage') }, async (request) => {
      const org = orgAccessOf(request).scope;
      return orReply(
        await refuseDirectPolicyWrite(ctx, tenantScope(org, 'live'), 'policy', auditContextOf(request)),
      );
    });
  };
}

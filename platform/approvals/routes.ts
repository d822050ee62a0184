import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApprovalList,
  ApprovalListQuery,
  ApprovalParams,
  ApprovalRequest,
  ApprovalResult,
  CommentRequest,
  CreateApprovalRequest,
  DecideRequest,
  Policy,
  Timeline,
} from '../../shared/api/approvals';
import { OrgParams, TenantParams } from '../../shared/api/organizations';
import { type Permission, roleAllows } from '../../shared/domain/permissions';
import { fail, type Result } from '../../shared/result';
import { type AuditContext, auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { type TenantScope, tenantScope } from '../db/scope';
import { type Guards, orgAccessOf, principalOf, tenantOf } from '../http/guards';
import { orReply, Problem } from '../http/problem';
import { errorResponses } from '../http/schemas';
import type { WebhookService } from '../webhooks/webhook-service';
import { checkTarget } from '../webhooks/webhook-target';
import { ApprovalService } from './approval-service';
import { PolicyService } from './policy-service';

const closedStatuses = ['executed', 'failed', 'rejected', 'withdrawn', 'expired'];
const allStatuses = ['pending', ...closedStatuses];

function personOf(request: Parameters<typeof principalOf>[0]): string {
  const principal = principalOf(request);
  if (principal.kind !== 'user')
    throw new Problem({ code: 'forbidden', message: 'This needs a signed-in person, not an API key.' });
  return principal.userId;
}

/** Records a direct write to the policy or a webhook target, and says how such a change is made now. */
export function refuseDirectPolicyWrite(
  ctx: PlatformContext,
  tenant: TenantScope,
  what: 'policy' | 'webhook',
  context: AuditContext,
): Result<never> {
  ctx.auditLog.append(tenant, context, {
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
  const base = '/v1/orgs/:org/envs/:env/approvals';
  const one = `${base}/:requestId`;
  return async (app) => {
    app.post(
      base,
      {
        onRequest: guards.tenant('approvals:request'),
        schema: {
          params: TenantParams,
          body: CreateApprovalRequest,
          response: { 201: ApprovalRequest, ...errorResponses },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { role } = orgAccessOf(request);
        // A proposed webhook target is resolved now, as a send would; each send checks it again.
        const proposedHook = request.body.kind === 'policy.update' ? request.body.payload.webhook : undefined;
        if (proposedHook && typeof proposedHook === 'object' && 'url' in proposedHook) {
          const url = (proposedHook as { url: unknown }).url;
          if (typeof url === 'string') orReply(await checkTarget(url, ctx.webhookTargets));
        }
        const allows = (p: Permission) =>
          principal.kind === 'user'
            ? role !== undefined && roleAllows(role, p)
            : principal.scopes.includes(p);
        const created = approvals.create(
          tenantOf(request),
          principal,
          allows,
          request.body,
          auditContextOf(request),
        );
        return reply.status(201).send(orReply(created));
      },
    );

    app.get(
      base,
      {
        onRequest: guards.tenant('approvals:read'),
        schema: {
          params: TenantParams,
          querystring: ApprovalListQuery,
          response: { 200: ApprovalList, ...errorResponses },
        },
      },
      async (request) => {
        const q = request.query;
        const principal = principalOf(request);
        const [beforeAt, beforeId] = q.cursor?.split('.') ?? [];
        return approvals.list(tenantOf(request), {
          statuses: q.status === 'all' ? allStatuses : q.status === 'closed' ? closedStatuses : [q.status],
          lane: q.lane,
          kind: q.kind,
          toDecideBy: q.mine === 'to-decide' && principal.kind === 'user' ? principal.userId : undefined,
          text: q.q,
          before: beforeAt && beforeId ? { createdAt: Number(beforeAt), id: beforeId } : undefined,
          limit: q.limit,
        });
      },
    );

    app.get(
      one,
      {
        onRequest: guards.tenant('approvals:read'),
        schema: { params: ApprovalParams, response: { 200: ApprovalRequest, ...errorResponses } },
      },
      async (request) => orReply(approvals.get(tenantOf(request), request.params.requestId)),
    );

    app.get(
      `${one}/timeline`,
      {
        onRequest: guards.tenant('approvals:read'),
        schema: { params: ApprovalParams, response: { 200: Timeline, ...errorResponses } },
      },
      async (request) => orReply(approvals.timeline(tenantOf(request), request.params.requestId)),
    );

    app.post(
      `${one}/decisions`,
      {
        onRequest: guards.tenant('approvals:decide'),
        schema: {
          params: ApprovalParams,
          body: DecideRequest,
          response: { 200: ApprovalRequest, ...errorResponses },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const tenant = tenantOf(request);
        const { requestId } = request.params;
        if (principal.kind !== 'user') {
          return orReply(approvals.refuseCredential(tenant, requestId, auditContextOf(request)));
        }
        return orReply(
          approvals.decide(tenant, requestId, principal.userId, request.body, auditContextOf(request)),
        );
      },
    );

    app.post(
      `${one}/withdraw`,
      {
        onRequest: guards.tenant('approvals:request'),
        schema: { params: ApprovalParams, response: { 200: ApprovalRequest, ...errorResponses } },
      },
      async (request) =>
        orReply(
          approvals.withdraw(
            tenantOf(request),
            request.params.requestId,
            principalOf(request),
            auditContextOf(request),
          ),
        ),
    );

    app.post(
      `${one}/comments`,
      {
        onRequest: guards.tenant('approvals:read'),
        schema: {
          params: ApprovalParams,
          body: CommentRequest,
          response: { 200: ApprovalRequest, ...errorResponses },
        },
      },
      async (request) =>
        orReply(
          approvals.comment(
            tenantOf(request),
            request.params.requestId,
            personOf(request),
            request.body.body,
            auditContextOf(request),
          ),
        ),
    );

    app.post(
      `${one}/result`,
      {
        onRequest: guards.tenant('approvals:request'),
        schema: { params: ApprovalParams, response: { 200: ApprovalResult, ...errorResponses } },
      },
      async (request) => {
        const principal = principalOf(request);
        const requester = principal.kind === 'user' ? principal.userId : principal.keyId;
        return orReply(approvals.result(tenantOf(request), request.params.requestId, requester));
      },
    );

    app.get(
      '/v1/orgs/:org/policy',
      {
        onRequest: guards.org('orgs:read'),
        schema: { params: OrgParams, response: { 200: Policy, ...errorResponses } },
      },
      async (request) => policies.get(orgAccessOf(request).scope),
    );

    // Kept so that a client that writes the policy directly is told how it changes now, and the attempt
    // is on record: no route changes the policy; an approved `policy.update` request does.
    app.put(
      '/v1/orgs/:org/policy',
      {
        onRequest: guards.org('policy:manage'),
        schema: { params: OrgParams, response: { ...errorResponses } },
      },
      async (request) => {
        const org = orgAccessOf(request).scope;
        return orReply(
          refuseDirectPolicyWrite(ctx, tenantScope(org, 'live'), 'policy', auditContextOf(request)),
        );
      },
    );
  };
}

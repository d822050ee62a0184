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
  UpdatePolicy,
} from '../../shared/api/approvals';
import { OrgParams, TenantParams } from '../../shared/api/organizations';
import { type Permission, roleAllows } from '../../shared/domain/permissions';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { type Guards, orgAccessOf, principalOf, tenantOf } from '../http/guards';
import { orReply, Problem } from '../http/problem';
import { errorResponses } from '../http/schemas';
import type { WebhookService } from '../webhooks/webhook-service';
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
        preHandler: guards.tenant('approvals:request'),
        schema: {
          params: TenantParams,
          body: CreateApprovalRequest,
          response: { 201: ApprovalRequest, ...errorResponses },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { role } = orgAccessOf(request);
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
        preHandler: guards.tenant('approvals:read'),
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
        preHandler: guards.tenant('approvals:read'),
        schema: { params: ApprovalParams, response: { 200: ApprovalRequest, ...errorResponses } },
      },
      async (request) => orReply(approvals.get(tenantOf(request), request.params.requestId)),
    );

    app.get(
      `${one}/timeline`,
      {
        preHandler: guards.tenant('approvals:read'),
        schema: { params: ApprovalParams, response: { 200: Timeline, ...errorResponses } },
      },
      async (request) => orReply(approvals.timeline(tenantOf(request), request.params.requestId)),
    );

    app.post(
      `${one}/decisions`,
      {
        preHandler: guards.tenant('approvals:decide'),
        schema: {
          params: ApprovalParams,
          body: DecideRequest,
          response: { 200: ApprovalRequest, ...errorResponses },
        },
      },
      async (request) =>
        orReply(
          approvals.decide(
            tenantOf(request),
            request.params.requestId,
            personOf(request),
            request.body,
            auditContextOf(request),
          ),
        ),
    );

    app.post(
      `${one}/withdraw`,
      {
        preHandler: guards.tenant('approvals:request'),
        schema: { params: ApprovalParams, response: { 200: ApprovalRequest, ...errorResponses } },
      },
      async (request) => {
        const principal = principalOf(request);
        const requester = principal.kind === 'user' ? principal.userId : principal.keyId;
        return orReply(
          approvals.withdraw(tenantOf(request), request.params.requestId, requester, auditContextOf(request)),
        );
      },
    );

    app.post(
      `${one}/comments`,
      {
        preHandler: guards.tenant('approvals:read'),
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
        preHandler: guards.tenant('approvals:request'),
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
        preHandler: guards.org('orgs:read'),
        schema: { params: OrgParams, response: { 200: Policy, ...errorResponses } },
      },
      async (request) => policies.get(orgAccessOf(request).scope),
    );

    app.put(
      '/v1/orgs/:org/policy',
      {
        preHandler: guards.org('policy:manage'),
        schema: { params: OrgParams, body: UpdatePolicy, response: { 200: Policy, ...errorResponses } },
      },
      async (request) =>
        orReply(policies.update(orgAccessOf(request).scope, request.body, auditContextOf(request))),
    );
  };
}

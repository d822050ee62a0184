import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AuditEntriesPage,
  AuditEntriesQuery,
  CheckpointReply,
  ConsistencyQuery,
  ConsistencyReply,
  ExportQuery,
  InclusionQuery,
  InclusionReply,
  KeyAnnouncements,
  VerifierKeys,
} from '../../shared/api/audit';
import { TenantParams } from '../../shared/api/organizations';
import type { PlatformContext } from '../context';
import { type Guards, tenantOf } from '../http/guards';
import { orReply } from '../http/problem';
import { errorResponses } from '../http/schemas';
import { auditContextOf } from './audit-context';

export function auditRoutes(ctx: PlatformContext, guards: Guards): FastifyPluginAsyncZod {
  const base = '/v1/orgs/:org/envs/:env/audit';
  return async (app) => {
    app.get(
      '/v1/audit/verifier-keys',
      { schema: { response: { 200: VerifierKeys, ...errorResponses } } },
      async () => ({ current: ctx.auditKeys.current.verifierKey, keys: ctx.auditKeys.verifierKeys }),
    );

    app.get(
      `${base}/entries`,
      {
        onRequest: guards.tenant('audit:read'),
        schema: {
          params: TenantParams,
          querystring: AuditEntriesQuery,
          response: { 200: AuditEntriesPage, ...errorResponses },
        },
      },
      async (request) => {
        const q = request.query;
        const filter = {
          action: q.action,
          actorId: q.actorId,
          resourceType: q.resourceType,
          resourceId: q.resourceId,
          fromTs: q.from === undefined ? undefined : Date.parse(q.from),
          toTs: q.to === undefined ? undefined : Date.parse(q.to),
        };
        return ctx.audit.page(tenantOf(request), filter, q.before, q.limit);
      },
    );

    app.get(
      `${base}/checkpoint`,
      {
        onRequest: guards.tenant('audit:read'),
        schema: { params: TenantParams, response: { 200: CheckpointReply, ...errorResponses } },
      },
      async (request) => ctx.audit.checkpoint(tenantOf(request)),
    );

    app.get(
      `${base}/key-announcements`,
      {
        onRequest: guards.tenant('audit:read'),
        schema: { params: TenantParams, response: { 200: KeyAnnouncements, ...errorResponses } },
      },
      async (request) => ctx.audit.keyAnnouncements(tenantOf(request)),
    );

    app.get(
      `${base}/proofs/inclusion`,
      {
        onRequest: guards.tenant('audit:read'),
        schema: {
          params: TenantParams,
          querystring: InclusionQuery,
          response: { 200: InclusionReply, ...errorResponses },
        },
      },
      async (request) =>
        orReply(ctx.audit.inclusion(tenantOf(request), request.query.seq, request.query.size)),
    );

    app.get(
      `${base}/proofs/consistency`,
      {
        onRequest: guards.tenant('audit:read'),
        schema: {
          params: TenantParams,
          querystring: ConsistencyQuery,
          response: { 200: ConsistencyReply, ...errorResponses },
        },
      },
      async (request) =>
        orReply(ctx.audit.consistency(tenantOf(request), request.query.from, request.query.to)),
    );

    // The 200 body is the export file (audit-format.md), streamed; its format is checked by the verifier.
    app.get(
      `${base}/export`,
      {
        onRequest: guards.tenant('audit:export'),
        schema: { params: TenantParams, querystring: ExportQuery, response: errorResponses },
      },
      async (request, reply) => {
        const tenant = tenantOf(request);
        const now = new Date(ctx.clock.now());
        const exported = orReply(ctx.audit.export(tenant, auditContextOf(request), request.query, now));
        const name = `audit-${tenant.organizationSlug}-${tenant.environment}-${exported.start}-${exported.end}.jsonl`;
        reply.type('application/x-ndjson; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="${name}"`);
        return reply.send(Readable.from(exported.chunks) as never);
      },
    );
  };
}

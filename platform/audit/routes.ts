import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditApi } from '../../shared/api/routes/audit';
import type { PlatformContext } from '../context';
import { serve } from '../http/declared-routes';
import { type Guards, tenantOf } from '../http/guards';
import { orReply } from '../http/problem';
import { auditContextOf } from './audit-context';

export function auditRoutes(ctx: PlatformContext, guards: Guards): FastifyPluginAsyncZod {
  return async (app) => {
    serve(app, auditApi.verifierKeys, {}, async () => ({
      current: ctx.auditKeys.current.verifierKey,
      keys: ctx.auditKeys.verifierKeys,
    }));

    serve(app, auditApi.entries, { onRequest: guards.tenant('audit:read') }, async (request) => {
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
    });

    serve(app, auditApi.checkpoint, { onRequest: guards.tenant('audit:read') }, async (request) =>
      ctx.audit.checkpoint(tenantOf(request)),
    );

    serve(app, auditApi.keyAnnouncements, { onRequest: guards.tenant('audit:read') }, async (request) =>
      ctx.audit.keyAnnouncements(tenantOf(request)),
    );

    serve(app, auditApi.inclusion, { onRequest: guards.tenant('audit:read') }, async (request) =>
      orReply(await ctx.audit.inclusion(tenantOf(request), request.query.seq, request.query.size)),
    );

    serve(app, auditApi.consistency, { onRequest: guards.tenant('audit:read') }, async (request) =>
      orReply(await ctx.audit.consistency(tenantOf(request), request.query.from, request.query.to)),
    );

    // The 200 body is the export file (audit-format.md), streamed; its format is checked by the verifier.
    serve(app, auditApi.export, { onRequest: guards.tenant('audit:export') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const now = new Date(ctx.clock.now());
      const exported = orReply(await ctx.audit.export(tenant, auditContextOf(request), request.query, now));
      const name = `audit-${tenant.organizationSlug}-${tenant.environment}-${exported.start}-${exported.end}.jsonl`;
      reply.type('application/x-ndjson; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${name}"`);
      return reply.send(Readable.from(exported.chunks) as never);
    });
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { evidenceApi } from '../../shared/api/routes/evidence';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { serve } from '../http/declared-routes';
import { type Guards, principalOf, tenantOf } from '../http/guards';
import { orReply } from '../http/problem';
import { EvidenceCatalogService } from './evidence-catalog';
import { EvidenceService, MAX_EVIDENCE_BYTES } from './evidence-service';

export function evidenceRoutes(ctx: PlatformContext, guards: Guards): FastifyPluginAsyncZod {
  const evidence = new EvidenceService(ctx);
  const catalog = new EvidenceCatalogService(ctx);
  return async (app) => {
    // Files arrive as raw bytes; only these routes accept them, and only up to the evidence limit.
    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_EVIDENCE_BYTES },
      (_request, body, done) => done(null, body),
    );

    serve(
      app,
      evidenceApi.upload,
      { bodyLimit: MAX_EVIDENCE_BYTES, onRequest: guards.tenant('evidence:upload') },
      async (request) => {
        const { body } = request;
        const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
        const uploaded = await evidence.upload(
          tenantOf(request),
          principalOf(request),
          { ...request.query, bytes },
          auditContextOf(request),
        );
        return orReply(uploaded);
      },
    );

    serve(app, evidenceApi.list, { onRequest: guards.tenant('evidence:read') }, async (request) => ({
      evidence: await evidence.list(tenantOf(request), request.query.requestId),
    }));

    serve(app, evidenceApi.catalog, { onRequest: guards.tenant('evidence:read') }, async (request) =>
      catalog.catalog(tenantOf(request), request.query),
    );

    serve(app, evidenceApi.coverage, { onRequest: guards.tenant('evidence:read') }, async (request) =>
      catalog.coverage(tenantOf(request)),
    );

    serve(app, evidenceApi.get, { onRequest: guards.tenant('evidence:read') }, async (request) =>
      orReply(await catalog.record(tenantOf(request), request.params.evidenceId)),
    );

    serve(app, evidenceApi.url, { onRequest: guards.tenant('evidence:read') }, async (request) =>
      orReply(
        await evidence.issueUrl(
          tenantOf(request),
          principalOf(request),
          request.params.evidenceId,
          auditContextOf(request),
        ),
      ),
    );

    // The 200 body is the file itself, sent for download only, never to be run or rendered in place.
    serve(app, evidenceApi.content, { onRequest: guards.tenant('evidence:read') }, async (request, reply) => {
      const file = orReply(
        await evidence.download(
          tenantOf(request),
          principalOf(request),
          request.params.evidenceId,
          request.query,
        ),
      );
      reply.type(file.meta.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : file.meta.mediaType);
      reply.header(
        'content-disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent(file.meta.name)}`,
      );
      reply.header('content-security-policy', "default-src 'none'; sandbox");
      reply.header('x-evidence-sha256', file.meta.sha256);
      return reply.send(file.bytes as never);
    });
  };
}

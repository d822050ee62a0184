import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DownloadQuery,
  DownloadUrl,
  EvidenceList,
  EvidenceListQuery,
  EvidenceMeta,
  EvidenceParams,
  UploadEvidenceQuery,
} from '../../shared/api/evidence';
import { TenantParams } from '../../shared/api/organizations';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { type Guards, principalOf, tenantOf } from '../http/guards';
import { orReply } from '../http/problem';
import { errorResponses } from '../http/schemas';
import { EvidenceService, MAX_EVIDENCE_BYTES } from './evidence-service';

export function evidenceRoutes(ctx: PlatformContext, guards: Guards): FastifyPluginAsyncZod {
  const evidence = new EvidenceService(ctx);
  const base = '/v1/orgs/:org/envs/:env/evidence';
  return async (app) => {
    // Files arrive as raw bytes; only these routes accept them, and only up to the evidence limit.
    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_EVIDENCE_BYTES },
      (_request, body, done) => done(null, body),
    );

    app.post(
      base,
      {
        bodyLimit: MAX_EVIDENCE_BYTES,
        onRequest: guards.tenant('evidence:upload'),
        schema: {
          params: TenantParams,
          querystring: UploadEvidenceQuery,
          body: z.instanceof(Buffer),
          response: { 201: EvidenceMeta, ...errorResponses },
        },
      },
      async (request, reply) => {
        const uploaded = await evidence.upload(
          tenantOf(request),
          principalOf(request),
          { name: request.query.name, requestId: request.query.requestId, bytes: request.body },
          auditContextOf(request),
        );
        return reply.status(201).send(orReply(uploaded));
      },
    );

    app.get(
      base,
      {
        onRequest: guards.tenant('evidence:read'),
        schema: {
          params: TenantParams,
          querystring: EvidenceListQuery,
          response: { 200: EvidenceList, ...errorResponses },
        },
      },
      async (request) => ({ evidence: evidence.list(tenantOf(request), request.query.requestId) }),
    );

    app.post(
      `${base}/:evidenceId/url`,
      {
        onRequest: guards.tenant('evidence:read'),
        schema: { params: EvidenceParams, response: { 200: DownloadUrl, ...errorResponses } },
      },
      async (request) =>
        orReply(
          evidence.issueUrl(
            tenantOf(request),
            principalOf(request),
            request.params.evidenceId,
            auditContextOf(request),
          ),
        ),
    );

    // The 200 body is the file itself, sent for download only, never to be run or rendered in place.
    app.get(
      `${base}/:evidenceId/content`,
      {
        onRequest: guards.tenant('evidence:read'),
        schema: { params: EvidenceParams, querystring: DownloadQuery, response: errorResponses },
      },
      async (request, reply) => {
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
      },
    );
  };
}

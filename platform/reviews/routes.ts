import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { reviewsApi } from '../../shared/api/routes/reviews';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { serve } from '../http/declared-routes';
import { type Guards, orgAccessOf, principalOf } from '../http/guards';
import { orReply, Problem } from '../http/problem';
import type { WebhookService } from '../webhooks/webhook-service';
import { ItemDecisions } from './item-decisions';
import { ReviewService } from './review-service';

/** Who reads campaigns and their outcome: those who decide, and those who audit. */
const readers = { anyOf: ['approvals:decide', 'audit:read'] } as const;

function personOf(request: Parameters<typeof principalOf>[0]): string {
  const principal = principalOf(request);
  if (principal.kind !== 'user')
    throw new Problem({ code: 'forbidden', message: 'Reviews are made by people, not by API keys.' });
  return principal.userId;
}

/**
 * Access-review campaigns. Starting one, deciding and closing early need approvals:decide (compliance
 * officers, admins, owners), people only (the organization guard refuses keys' writes).
 */
export function reviewRoutes(
  ctx: PlatformContext,
  guards: Guards,
  webhooks: WebhookService,
): FastifyPluginAsyncZod {
  const reviews = new ReviewService(ctx);
  const decisions = new ItemDecisions(ctx, webhooks);
  const callerOf = (request: Parameters<typeof principalOf>[0]) => {
    const principal = principalOf(request);
    return principal.kind === 'user' ? principal.userId : undefined;
  };
  return async (app) => {
    serve(app, reviewsApi.start, { onRequest: guards.org('approvals:decide') }, async (request) =>
      orReply(
        await reviews.start(
          orgAccessOf(request).scope,
          personOf(request),
          request.body,
          auditContextOf(request),
        ),
      ),
    );

    serve(app, reviewsApi.list, { onRequest: guards.org(readers) }, async (request) => ({
      campaigns: await reviews.list(orgAccessOf(request).scope, callerOf(request)),
    }));

    serve(app, reviewsApi.get, { onRequest: guards.org(readers) }, async (request) =>
      orReply(await reviews.get(orgAccessOf(request).scope, request.params.campaignId, callerOf(request))),
    );

    serve(app, reviewsApi.items, { onRequest: guards.org(readers) }, async (request) => {
      const q = request.query;
      const [campaignId, seq] = q.cursor?.split('.') ?? [];
      return reviews.items(orgAccessOf(request).scope, {
        reviewerId: q.reviewer === 'me' ? personOf(request) : undefined,
        campaignId: q.campaignId,
        state: q.state === 'all' ? undefined : q.state,
        subjectType: q.subjectType,
        after: campaignId && seq ? { campaignId, seq: Number(seq) } : undefined,
        limit: q.limit,
      });
    });

    serve(app, reviewsApi.decide, { onRequest: guards.org('approvals:decide') }, async (request) =>
      orReply(
        await decisions.decide(
          orgAccessOf(request).scope,
          request.params.campaignId,
          request.params.itemId,
          personOf(request),
          request.body,
          auditContextOf(request),
        ),
      ),
    );

    serve(app, reviewsApi.close, { onRequest: guards.org('approvals:decide') }, async (request) => {
      const { scope, role } = orgAccessOf(request);
      return orReply(
        await reviews.closeEarly(
          scope,
          request.params.campaignId,
          { userId: personOf(request), role },
          auditContextOf(request),
        ),
      );
    });

    serve(app, reviewsApi.pack, { onRequest: guards.org(readers) }, async (request) => ({
      pack: orReply(await reviews.pack(orgAccessOf(request).scope, request.params.campaignId)),
    }));
  };
}

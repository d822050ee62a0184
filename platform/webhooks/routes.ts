import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { approvalsApi, policyApi } from '../../shared/api/routes/approvals';
import { refuseDirectPolicyWrite } from '../approvals/routes';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { serve } from '../http/declared-routes';
import { type Guards, principalOf, tenantOf } from '../http/guards';
import { orReply, Problem } from '../http/problem';
import type { WebhookService } from './webhook-service';

export function webhookRoutes(
  ctx: PlatformContext,
  guards: Guards,
  _webhooks: WebhookService,
): FastifyPluginAsyncZod {
  return async (app) => {
    serve(app, policyApi.putWebhook, { onRequest: guards.tenant('policy:manage') }, async (request) => {
      if (principalOf(request).kind !== 'user') {
        throw new Problem({
          code: 'forbidden',
          message: 'Webhook targets are changed by people, not by API keys.',
        });
      }
      return orReply(
        await refuseDirectPolicyWrite(ctx, tenantOf(request), 'webhook', auditContextOf(request)),
      );
    });

    serve(app, approvalsApi.deliveries, { onRequest: guards.tenant('approvals:read') }, async (request) => {
      const tenant = tenantOf(request);
      if (!(await ctx.stores.approvals.get(tenant, request.params.requestId))) {
        throw new Problem({ code: 'not-found', message: 'Approval request not found.' });
      }
      const deliveries = [];
      for (const d of await ctx.stores.webhooks.deliveriesFor(tenant, request.params.requestId)) {
        deliveries.push({
          id: d.id,
          status: d.status,
          // Readers learn only whether each attempt was delivered: what a remote answered (status codes,
          // errors) would make this endpoint a scanner of whatever the target could reach.
          attempts: (await ctx.stores.webhooks.attempts(tenant, d.id)).map((a) => ({
            attempt: a.attempt,
            at: new Date(a.at).toISOString(),
            outcome:
              a.status_code !== null && a.status_code >= 200 && a.status_code < 300
                ? ('delivered' as const)
                : ('failed' as const),
          })),
        });
      }
      return { deliveries };
    });
  };
}

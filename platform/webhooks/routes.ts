import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApprovalParams, ConfigureWebhook, DeliveryList, WebhookSecret } from '../../shared/api/approvals';
import { TenantParams } from '../../shared/api/organizations';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { type Guards, tenantOf } from '../http/guards';
import { orReply } from '../http/problem';
import { errorResponses } from '../http/schemas';
import type { WebhookService } from './webhook-service';

export function webhookRoutes(
  ctx: PlatformContext,
  guards: Guards,
  webhooks: WebhookService,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/v1/orgs/:org/envs/:env/webhook',
      {
        preHandler: guards.tenant('policy:manage'),
        schema: {
          params: TenantParams,
          body: ConfigureWebhook,
          response: { 200: WebhookSecret, ...errorResponses },
        },
      },
      async (request) =>
        orReply(webhooks.configure(tenantOf(request), request.body.url, auditContextOf(request))),
    );

    app.get(
      '/v1/orgs/:org/envs/:env/approvals/:requestId/deliveries',
      {
        preHandler: guards.tenant('approvals:read'),
        schema: { params: ApprovalParams, response: { 200: DeliveryList, ...errorResponses } },
      },
      async (request) => ({
        deliveries: ctx.stores.webhooks
          .deliveriesFor(tenantOf(request), request.params.requestId)
          .map((d) => ({
            id: d.id,
            status: d.status,
            attempts: ctx.stores.webhooks.attempts(d.id).map((a) => ({
              attempt: a.attempt,
              at: new Date(a.at).toISOString(),
              statusCode: a.status_code,
              error: a.error,
            })),
          })),
      }),
    );
  };
}

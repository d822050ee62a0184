import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DeviceKey, DeviceKeyList, DeviceKeyParams, RegisterDeviceKey } from '../../shared/api/approvals';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { type Guards, principalOf } from '../http/guards';
import { orReply } from '../http/problem';
import { errorResponses } from '../http/schemas';
import { DeviceKeyService } from './device-key-service';

function userIdOf(request: Parameters<typeof principalOf>[0]): string {
  const principal = principalOf(request);
  if (principal.kind !== 'user') throw new Error('unreachable: guarded by user()');
  return principal.userId;
}

export function deviceRoutes(ctx: PlatformContext, guards: Guards): FastifyPluginAsyncZod {
  const devices = new DeviceKeyService(ctx.stores, ctx.auditLog, ctx.clock);
  return async (app) => {
    app.get(
      '/v1/me/device-keys',
      { onRequest: guards.user(), schema: { response: { 200: DeviceKeyList, ...errorResponses } } },
      async (request) => ({ keys: devices.list(userIdOf(request)) }),
    );
    app.post(
      '/v1/me/device-keys',
      {
        onRequest: guards.user(),
        schema: { body: RegisterDeviceKey, response: { 201: DeviceKey, ...errorResponses } },
      },
      async (request, reply) => {
        const key = devices.register(
          userIdOf(request),
          request.body.name,
          request.body.publicKey,
          auditContextOf(request),
        );
        return reply.status(201).send(orReply(key));
      },
    );
    app.post(
      '/v1/me/device-keys/:keyId/revoke',
      {
        onRequest: guards.user(),
        schema: { params: DeviceKeyParams, response: { 200: DeviceKey, ...errorResponses } },
      },
      async (request) =>
        orReply(devices.revoke(userIdOf(request), request.params.keyId, auditContextOf(request))),
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deviceKeysApi } from '../../shared/api/routes/approvals';
import { auditContextOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { serve } from '../http/declared-routes';
import { type Guards, principalOf } from '../http/guards';
import { orReply } from '../http/problem';
import { DeviceKeyService } from './device-key-service';

function userIdOf(request: Parameters<typeof principalOf>[0]): string {
  const principal = principalOf(request);
  if (principal.kind !== 'user') throw new Error('unreachable: guarded by user()');
  return principal.userId;
}

export function deviceRoutes(ctx: PlatformContext, guards: Guards): FastifyPluginAsyncZod {
  const devices = new DeviceKeyService(ctx.stores, ctx.auditLog, ctx.clock);
  return async (app) => {
    serve(app, deviceKeysApi.list, { onRequest: guards.user() }, async (request) => ({
      keys: await devices.list(userIdOf(request)),
    }));
    serve(app, deviceKeysApi.register, { onRequest: guards.user() }, async (request) =>
      orReply(
        await devices.register(
          userIdOf(request),
          request.body.name,
          request.body.publicKey,
          auditContextOf(request),
        ),
      ),
    );
    serve(app, deviceKeysApi.revoke, { onRequest: guards.user() }, async (request) =>
      orReply(await devices.revoke(userIdOf(request), request.params.keyId, auditContextOf(request))),
    );
  };
}

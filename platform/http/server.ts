import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { authApi } from '../../shared/api/routes/auth';
import type { AppError } from '../../shared/result';
import { approvalRoutes } from '../approvals/routes';
import { auditRoutes } from '../audit/routes';
import { authRoutes } from '../auth/routes';
import type { PlatformContext } from '../context';
import { deviceRoutes } from '../devices/routes';
import { evidenceRoutes } from '../evidence/routes';
import { invitationRoutes } from '../invitations/routes';
import { keyRoutes } from '../keys/routes';
import { lifecycleRoutes } from '../lifecycle/routes';
import { LifecycleSweeper } from '../lifecycle/sweeper';
import { oauthRoutes } from '../oauth/routes';
import { organizationRoutes } from '../organizations/routes';
import { reviewRoutes } from '../reviews/routes';
import { roleRoutes } from '../roles/routes';
import { webhookRoutes } from '../webhooks/routes';
import { WebhookService } from '../webhooks/webhook-service';
import { serve } from './declared-routes';
import { createGuards } from './guards';
import { healthCheck } from './health';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-body';
import { Problem, statusOf } from './problem';
import { databaseRateLimitStore } from './rate-limit-store';
import { recordRoutes } from './route-table';

export interface RateLimit {
  readonly max: number;
  readonly timeWindowMs: number;
}

export interface ServerOptions {
  readonly logger: Logger;
  /** Per client IP. Sign-in guards passwords; keys guards key minting and rotation. */
  readonly rateLimits?: { readonly signIn?: RateLimit; readonly keys?: RateLimit };
  /** JSON bodies larger than this are refused with 413. */
  readonly bodyLimitBytes?: number;
  /** First webhook retry delay; each retry doubles it. */
  readonly webhookRetryBaseMs?: number;
  readonly webhookPollMs?: number;
  /** How often lapsed elevations and campaigns past their deadline are looked for (default one minute). */
  readonly sweepIntervalMs?: number;
  /** The issuer of the desktop sign-in (e.g. https://compliance.example.com); by default the request's origin. */
  readonly publicOrigin?: string;
}

export type RouteLimits = { signIn: RateLimit; keys: RateLimit };

const defaultLimits: RouteLimits = {
  signIn: { max: 10, timeWindowMs: 60_000 },
  keys: { max: 60, timeWindowMs: 60_000 },
};

export async function buildServer(ctx: PlatformContext, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // One line per request, written when it completes, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: false,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  recordRoutes(app);

  // Fastify's own JSON parser (prototype-poisoning checks included), behind a nesting limit: canonical
  // JSON and validation recurse, and a body nested thousands deep must be a 400, never a stack overflow.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepthExceeds(text)) {
      done(
        new Problem({ code: 'bad-request', message: `The JSON nests deeper than ${MAX_JSON_DEPTH} levels.` }),
        undefined,
      );
      return;
    }
    void parseJson(request, text, done);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  app.decorateRequest('orgAccess', null);

  await app.register(helmet, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  await app.register(rateLimit, {
    global: false,
    // Counted in the database: several platform processes behind one load balancer hold one limit.
    store: databaseRateLimitStore(ctx.stores.rateLimits, ctx.clock),
    errorResponseBuilder: () =>
      new Problem({ code: 'rate-limited', message: 'Too many requests; try again shortly.' }),
  });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ req: request, res: reply, ms: Math.round(reply.elapsedTime) }, 'request completed');
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-request-id', request.id);
  });

  app.setNotFoundHandler((request, reply) => {
    sendError(reply, request.id, { code: 'not-found', message: 'No such route.' });
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toAppError(error);
    if (known) return sendError(reply, request.id, known);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, request.id, { code: 'internal', message: 'Something went wrong on our side.' });
  });

  // Links sent by mail name the operator's public origin, or else the address this server listens on.
  if (options.publicOrigin) ctx.publicOrigin.set(options.publicOrigin);
  else
    app.addHook('onListen', async () => {
      const address = app.server.address();
      if (address && typeof address === 'object') {
        const unspecified = address.address === '0.0.0.0' || address.address === '::';
        const host = unspecified
          ? 'localhost'
          : address.family === 'IPv6'
            ? `[${address.address}]`
            : address.address;
        ctx.publicOrigin.set(`http://${host}:${address.port}`);
      }
    });
  // Invitations already decided are still mailed before the server stops.
  app.addHook('onClose', async () => ctx.outgoingMail.idle());
  const guards = createGuards(ctx);
  const limits: RouteLimits = { ...defaultLimits, ...options.rateLimits };
  serve(app, authApi.health, {}, healthCheck(ctx));
  await app.register(authRoutes(ctx, guards, limits));
  await app.register(oauthRoutes(ctx, limits, options.publicOrigin));
  await app.register(roleRoutes(guards));
  await app.register(organizationRoutes(ctx, guards));
  await app.register(keyRoutes(ctx, guards, limits));
  await app.register(auditRoutes(ctx, guards));
  await app.register(deviceRoutes(ctx, guards));
  const webhooks = new WebhookService(ctx, options.webhookRetryBaseMs);
  webhooks.start(options.webhookPollMs);
  app.addHook('onClose', async () => webhooks.stop());
  await app.register(approvalRoutes(ctx, guards, webhooks));
  await app.register(invitationRoutes(ctx, guards, limits, options.publicOrigin));
  await app.register(lifecycleRoutes(ctx, guards));
  await app.register(reviewRoutes(ctx, guards, webhooks));
  // Elevations that lapse and campaigns past their deadline are recorded (and closed) by the sweeper,
  // which catches up at once with whatever came due while the platform was down.
  const sweeper = new LifecycleSweeper(ctx, options.sweepIntervalMs);
  sweeper.start();
  app.addHook('onClose', async () => sweeper.stop());
  await app.register(webhookRoutes(ctx, guards, webhooks));
  await app.register(evidenceRoutes(ctx, guards));
  return app;
}

function sendError(
  reply: { status(code: number): { send(body: unknown): unknown } },
  requestId: string,
  error: AppError,
) {
  return reply.status(statusOf(error.code)).send({ error: { ...error, requestId } });
}

/** Maps what Fastify and its plugins throw for bad input to our codes; anything else is internal. */
function toAppError(error: FastifyError): AppError | undefined {
  if (error instanceof Problem) return error.error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation
      .slice(0, 5)
      .map(
        (issue) =>
          `${error.validationContext}${issue.instancePath.replaceAll('/', '.')}`.replace(/\.$/, '') +
          `: ${issue.message}`,
      )
      .join('; ');
    return { code: 'bad-request', message: `Invalid request. ${details}` };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'malformed-json', message: 'The request body is not valid JSON.' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'payload-too-large', message: 'The request body is too large.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported-media-type', message: 'Send the request body as application/json.' };
  }
  if (error.statusCode === 400 && error instanceof SyntaxError) {
    return { code: 'malformed-json', message: 'The request body is not valid JSON.' };
  }
  return undefined;
}

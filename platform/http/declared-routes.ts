import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
  RouteShorthandOptions,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { platformErrorReplies, type RouteDeclaration } from '../../shared/api/route';

export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

type ErrorSchemas<R extends RouteDeclaration> = R['errors'] extends 'none'
  ? unknown
  : R['errors'] extends Readonly<Record<number, z.ZodType>>
    ? R['errors']
    : typeof platformErrorReplies;

type ResponseSchemas<R extends RouteDeclaration> = (R['reply'] extends z.ZodType
  ? { [S in R['status']]: R['reply'] }
  : unknown) &
  ErrorSchemas<R>;

/** Fastify's `schema` for a declared route, typed so that handlers see its params, query and body. */
export interface DeclaredSchema<R extends RouteDeclaration> {
  params: R['params'];
  querystring: R['query'];
  body: R['body'];
  response: ResponseSchemas<R>;
}

export type DeclaredHandler<R extends RouteDeclaration> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  ContextConfigDefault,
  DeclaredSchema<R>,
  ZodTypeProvider,
  FastifyBaseLogger
>;

/** What only the server decides about a route: who may call it (the guard), its rate limit, body limit. */
export type ServerSide = Pick<
  RouteShorthandOptions,
  'onRequest' | 'config' | 'bodyLimit' | 'attachValidation'
>;

export function declaredSchema<R extends RouteDeclaration>(route: R): DeclaredSchema<R> {
  const errors =
    route.errors === 'none'
      ? {}
      : route.errors === undefined || route.errors === 'platform'
        ? platformErrorReplies
        : route.errors;
  const response =
    typeof route.reply === 'string' ? { ...errors } : { [route.status]: route.reply, ...errors };
  // Only the parts the route has: Fastify warns of a schema key that is present but empty.
  const schema: Record<string, unknown> = {};
  if (Object.keys(response).length > 0) schema.response = response;
  if (route.params) schema.params = route.params;
  if (route.query) schema.querystring = route.query;
  if (route.body) schema.body = route.body;
  return schema as unknown as DeclaredSchema<R>;
}

/**
 * Registers a route from its declaration: method, URL and every schema come from shared/api/routes, the
 * guard and limits from the caller, so each route still reads in one place. A successful reply carries
 * the declared status; a handler may still set another (a redirect) on the reply itself.
 */
export function serve<R extends RouteDeclaration>(
  app: ZodApp,
  route: R,
  server: ServerSide,
  handler: DeclaredHandler<R>,
): void {
  app.route<RouteGenericInterface, ContextConfigDefault, DeclaredSchema<R>>({
    method: route.method,
    url: route.path,
    schema: declaredSchema(route),
    ...server,
    handler(request, reply) {
      // The declared status, typed by the response schemas; the compiler cannot see it is one of them.
      reply.code(route.status as Parameters<typeof reply.code>[0]);
      return handler.call(this, request, reply);
    },
  });
}

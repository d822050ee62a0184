import type { z } from 'zod';
import { fail, ok, type Result } from '../result';
import { ErrorBody } from './common';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The names of a path template's `:params`: '/v1/orgs/:org/envs/:env' gives 'org' | 'env'. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** A success body that is not JSON: a file, a stream of JSON Lines, an HTML page, or a redirect. */
export type RawReply = 'file' | 'stream' | 'html';

/**
 * How errors are answered: the platform's `ErrorBody` (4xx and 5xx), a format of the route's own (OAuth
 * answers in RFC 6749's), or none declared (the sign-in page answers its errors as HTML).
 */
export type ErrorReplies = 'platform' | 'none' | Readonly<Record<number, z.ZodType>>;

/**
 * One HTTP route of the platform, declared once: the server registers it from this and the console's
 * platform client calls it through this, so a path, a parameter or a reply shape is never spelled twice.
 * Who may call it (the guard and permission) and its rate limit are the server's business and sit next to
 * where the server registers it.
 */
export interface RouteDeclaration {
  readonly method: HttpMethod;
  /** Fastify's template syntax: '/v1/orgs/:org/envs/:env/approvals/:requestId'. */
  readonly path: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** JSON unless said otherwise: raw bytes (evidence), or an HTML form (the sign-in page, OAuth). */
  readonly bodyEncoding?: 'json' | 'bytes' | 'form';
  /** The status of a successful reply. */
  readonly status: number;
  readonly reply: z.ZodType | RawReply;
  readonly errors?: ErrorReplies;
  /**
   * A POST that the platform makes safe to repeat (an idempotency key, or a revocation that stays done),
   * so a client may retry it like a GET. PUT and GET are idempotent by their method.
   */
  readonly idempotent?: boolean;
}

/** What the compiler requires of `params`: a schema producing every `:name` of the path, or none. */
type ParamsFor<P extends string> = [PathParamNames<P>] extends [never]
  ? { readonly params?: undefined }
  : { readonly params: z.ZodType<{ [K in PathParamNames<P>]: string }> };

/**
 * Declares a route. The parameters schema must produce every `:name` of the path (checked by the
 * compiler here, and by test/platform/http/route-declarations.test.ts at run time, both ways).
 */
export function route<const R extends RouteDeclaration>(declaration: R & ParamsFor<R['path']>): R {
  return declaration;
}

/** A route whose success reply is JSON, which the platform client can call and check. */
export type JsonRoute = RouteDeclaration & { readonly reply: z.ZodType };

export type RouteReply<R extends RouteDeclaration> = R['reply'] extends z.ZodType
  ? z.output<R['reply']>
  : never;

/** What a caller supplies for a route: its path parameters, query and body, each as its schema takes it. */
export type RouteInput<R extends RouteDeclaration> = (R['params'] extends z.ZodType
  ? { readonly params: z.input<R['params']> }
  : { readonly params?: undefined }) &
  (R['query'] extends z.ZodType ? { readonly query?: z.input<R['query']> } : { readonly query?: undefined }) &
  (R['body'] extends z.ZodType ? { readonly body: z.input<R['body']> } : { readonly body?: undefined });

const paramPattern = /:([A-Za-z][A-Za-z0-9]*)/g;

/** The `:names` in a path template, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(paramPattern)].map((m) => m[1] as string);
}

/**
 * The path and query string of a call: each parameter checked against the route's schema and then
 * percent-encoded into its segment, the query checked too and written from what the schema produced. A value
 * the schema refuses never becomes part of a URL.
 */
export function requestTarget(
  route: RouteDeclaration,
  input: { readonly params?: unknown; readonly query?: unknown },
): Result<string> {
  let path = route.path;
  if (route.params) {
    const params = route.params.safeParse(input.params);
    if (!params.success) return fail('bad-request', `Invalid path parameters for ${route.path}.`);
    const values = params.data as Record<string, unknown>;
    path = path.replace(paramPattern, (_, name: string) => encodeURIComponent(String(values[name])));
  }
  if (!route.query) return ok(path);
  const query = route.query.safeParse(input.query ?? {});
  if (!query.success) return fail('bad-request', `Invalid query for ${route.path}.`);
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query.data as Record<string, unknown>)) {
    if (value !== undefined && value !== null) search.set(name, String(value));
  }
  const text = search.toString();
  return ok(text ? `${path}?${text}` : path);
}

/** The path parameters of `pathname` when it is an instance of the route's template, else undefined. */
export function matchPath(route: RouteDeclaration, pathname: string): Record<string, string> | undefined {
  const template = route.path.split('/');
  const actual = pathname.split('/');
  if (template.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of template.entries()) {
    const segment = actual[i] as string;
    if (part.startsWith(':')) {
      if (segment === '') return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) return undefined;
  }
  return params;
}

/** The platform's error replies, as every route declares them unless it answers errors its own way. */
export const platformErrorReplies = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

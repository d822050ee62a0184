import { ErrorBody } from '../../../shared/api/common';
import {
  type JsonRoute,
  matchPath,
  type RouteDeclaration,
  type RouteInput,
  type RouteReply,
  requestTarget,
} from '../../../shared/api/route';
import { scrubCredentials } from '../../../shared/redaction';
import { errorCodes, fail, ok, type Result } from '../../../shared/result';
import { networkFailure } from './network-failure';

/** Where a bearer token comes from: a signed-in session that refreshes itself, or an API key. */
export interface TokenSource {
  /** A token good for the next call; a session refreshes here when it is about to expire. */
  token(): Promise<Result<string>>;
  /** After a 401: get a new token if the source can (a session refreshes; a key cannot). */
  renew(rejected?: string): Promise<Result<string>>;
}

export interface ClientOptions {
  readonly fetch?: typeof fetch;
  /** Attempts for an idempotent call that meets a network error, a 429 or a 5xx. */
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly timeoutMs?: number;
  /**
   * The origin has not yet shown itself to be a platform (a sign-in's first call, to an address the page
   * gave). Then any reply that is not the platform's own (a success that does not match the call's schema,
   * an error that is not in the platform's error format) is reported exactly as no reply at all, so that
   * the call cannot be used to tell which ports or hosts run some other service.
   */
  readonly unverifiedOrigin?: boolean;
}

const unreachable = 'The platform cannot be reached. Check the address and your connection.';
const unexpected = 'The platform sent a reply this console does not understand.';

/** HTTPS only, except to this machine itself (RFC 8252 style loopback development). */
export function acceptablePlatformOrigin(text: string): Result<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('bad-request', 'Enter the platform address, such as https://compliance.example.com.');
  }
  if (
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== '/' && url.pathname !== '')
  ) {
    return fail('bad-request', 'Enter only the platform address, without a path or credentials.');
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return fail('bad-request', 'The platform must be reached over HTTPS.');
  }
  return ok(url.origin);
}

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const cancelled = 'The call was cancelled.';
/** How much of a file is handed to the network at a time; each slice is one progress report. */
const UPLOAD_SLICE_BYTES = 256 * 1024;

export interface CallOptions {
  /** Stops the call: an upload the person cancelled answers `bad-request`, "The call was cancelled." */
  readonly signal?: AbortSignal;
  /** For a raw body (evidence): how many of its bytes have been handed to the network so far. */
  readonly onUploadProgress?: (sent: number, total: number) => void;
}

export interface DownloadOptions {
  /** Stops the download: it answers `bad-request`, "The call was cancelled.", and nothing is kept. */
  readonly signal?: AbortSignal;
  /** How many bytes have arrived, of how many (the reply's length, else `expectedBytes`). */
  readonly onProgress?: (received: number, total: number) => void;
  /** The size the platform published, for progress when the reply does not say its length. */
  readonly expectedBytes?: number;
}

/** A request body as it goes on the wire. */
type Outgoing =
  | { readonly kind: 'text'; readonly contentType: string; readonly text: string }
  | { readonly kind: 'bytes'; readonly contentType: string; readonly bytes: Uint8Array };

function encodeBody(route: RouteDeclaration, body: unknown): Result<Outgoing | undefined> {
  if (!route.body || body === undefined) return ok(undefined);
  switch (route.bodyEncoding ?? 'json') {
    case 'bytes':
      return body instanceof Uint8Array
        ? ok({ kind: 'bytes', contentType: 'application/octet-stream', bytes: body })
        : fail('bad-request', "Expected the file's bytes.");
    case 'form':
      return ok({
        kind: 'text',
        contentType: 'application/x-www-form-urlencoded',
        text: new URLSearchParams(body as Record<string, string>).toString(),
      });
    default:
      return ok({ kind: 'text', contentType: 'application/json', text: JSON.stringify(body) });
  }
}

/** The bytes as a stream the network pulls slice by slice, reporting each slice as it is taken. */
function sliced(bytes: Uint8Array, onProgress?: (sent: number, total: number) => void) {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) {
          controller.close();
          return;
        }
        const end = Math.min(offset + UPLOAD_SLICE_BYTES, bytes.length);
        controller.enqueue(bytes.subarray(offset, end));
        offset = end;
        onProgress?.(offset, bytes.length);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The main process's only way to the platform. Every reply is checked against the shared schema before
 * anything uses it, and every failure becomes a contract error whose message is safe to show: no token,
 * no URL query, no server detail.
 */
export class PlatformClient {
  readonly #fetch: typeof fetch;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #timeoutMs: number;
  readonly #unverified: boolean;

  private constructor(
    readonly origin: string,
    private readonly tokens: TokenSource | undefined,
    options: ClientOptions,
  ) {
    this.#fetch = options.fetch ?? fetch;
    this.#attempts = options.attempts ?? 3;
    this.#backoffMs = options.backoffMs ?? 250;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#unverified = options.unverifiedOrigin ?? false;
  }

  static create(origin: string, tokens?: TokenSource, options: ClientOptions = {}): Result<PlatformClient> {
    const checked = acceptablePlatformOrigin(origin);
    return checked.ok ? ok(new PlatformClient(checked.value, tokens, options)) : checked;
  }

  /**
   * Calls a declared platform route (shared/api/routes): the path is built from the declaration with each
   * parameter checked by its schema and percent-encoded, the query written from what its schema produced,
   * and the reply checked against the declared reply schema before anything uses it.
   */
  async call<R extends JsonRoute>(
    route: R,
    input: RouteInput<R>,
    options: CallOptions = {},
  ): Promise<Result<RouteReply<R>>> {
    const target = requestTarget(route, input);
    if (!target.ok) return target;
    const body = encodeBody(route, input.body);
    if (!body.ok) return body;
    const idempotent = route.idempotent === true || idempotentMethods.has(route.method);
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const token = this.tokens ? await this.tokens.token() : ok(undefined);
      if (!token.ok) return token;
      const reply = await this.#send(route.method, target.value, body.value, token.value, options);
      if (options.signal?.aborted) return fail('bad-request', cancelled);
      if (reply.kind === 'network' || reply.status === 429 || (reply.status >= 500 && reply.status !== 501)) {
        if (idempotent && attempt < this.#attempts) {
          await new Promise((resolve) => setTimeout(resolve, this.#backoffMs * 2 ** (attempt - 1)));
          continue;
        }
        return reply.kind === 'network' ? networkFailure(reply.error) : this.#error(reply.status, reply.text);
      }
      // A 401 means "renew" only from the platform; from anything else it is not an answer at all.
      const fromPlatform = !this.#unverified || platformError(reply.text) !== undefined;
      if (reply.status === 401 && this.tokens && !renewed && fromPlatform) {
        renewed = true;
        const again = await this.tokens.renew(token.value);
        if (!again.ok) return again;
        attempt--;
        continue;
      }
      if (reply.status >= 400) return this.#error(reply.status, reply.text);
      const parsed = route.reply.safeParse(reply.status === 204 ? null : safeJson(reply.text));
      if (parsed.success) return ok(parsed.data as RouteReply<R>);
      return this.#unverified ? fail('unavailable', unreachable) : fail('internal', unexpected);
    }
  }

  /**
   * A file body (evidence content), up to `maxBytes`, from a URL the platform issued (it carries a signed
   * query). The URL must be this platform's and an instance of the declared route: the console never
   * builds such a URL, and never follows one anywhere else.
   */
  async download(
    route: RouteDeclaration,
    url: string,
    maxBytes: number,
    options: DownloadOptions = {},
  ): Promise<Result<Buffer>> {
    const target = new URL(url, this.origin);
    if (target.origin !== this.origin || !matchPath(route, target.pathname) || route.reply !== 'file')
      return fail('bad-request', 'Unknown platform path.');
    const token = this.tokens ? await this.tokens.token() : ok(undefined);
    if (!token.ok) return token;
    let response: Response;
    try {
      response = await this.#fetch(target, {
        headers: token.value ? { authorization: `Bearer ${token.value}` } : {},
        redirect: 'error',
        signal: options.signal
          ? AbortSignal.any([AbortSignal.timeout(this.#timeoutMs * 4), options.signal])
          : AbortSignal.timeout(this.#timeoutMs * 4),
      });
    } catch (error) {
      return options.signal?.aborted ? fail('bad-request', cancelled) : networkFailure(error);
    }
    if (response.status >= 400) return this.#error(response.status, await response.text());
    // Counted as it arrives, so a platform that sends too much cannot fill this process's memory.
    const tooLarge = fail<Buffer>('payload-too-large', 'The file is larger than expected.');
    const announced = Number(response.headers.get('content-length') ?? 0);
    if (announced > maxBytes) return tooLarge;
    const total = announced > 0 ? announced : (options.expectedBytes ?? 0);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body?.getReader();
    options.onProgress?.(0, total);
    try {
      for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) {
        size += next.value.length;
        if (size > maxBytes) {
          await reader?.cancel();
          return tooLarge;
        }
        chunks.push(next.value);
        options.onProgress?.(size, Math.max(total, size));
      }
    } catch (error) {
      return options.signal?.aborted ? fail('bad-request', cancelled) : networkFailure(error);
    }
    if (options.signal?.aborted) return fail('bad-request', cancelled);
    return ok(Buffer.concat(chunks));
  }

  /**
   * A declared route whose reply is a stream (the audit export), as its bytes arrive: nothing is held
   * whole, whatever its length. Errors before the first byte are the platform's, as for `call`; the stream
   * itself throws when the connection fails midway or `signal` stops it.
   */
  async stream<R extends RouteDeclaration & { readonly reply: 'stream' }>(
    route: R,
    input: RouteInput<R>,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<Result<AsyncIterable<Uint8Array>>> {
    const target = requestTarget(route, input);
    if (!target.ok) return target;
    return this.#open(new URL(`${this.origin}${target.value}`), options.signal, Number.POSITIVE_INFINITY);
  }

  /**
   * `download`, as the bytes arrive: for files a caller hashes or writes on as it reads them. The same
   * checks of the URL, and at most `maxBytes`.
   */
  async downloadStream(
    route: RouteDeclaration,
    url: string,
    maxBytes: number,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<Result<AsyncIterable<Uint8Array>>> {
    const target = new URL(url, this.origin);
    if (target.origin !== this.origin || !matchPath(route, target.pathname) || route.reply !== 'file')
      return fail('bad-request', 'Unknown platform path.');
    return this.#open(target, options.signal, maxBytes);
  }

  async #open(
    target: URL,
    signal: AbortSignal | undefined,
    maxBytes: number,
  ): Promise<Result<AsyncIterable<Uint8Array>>> {
    let renewed = false;
    for (;;) {
      const token = this.tokens ? await (renewed ? this.tokens.renew() : this.tokens.token()) : ok(undefined);
      if (!token.ok) return token;
      let response: Response;
      try {
        response = await this.#fetch(target, {
          headers: token.value ? { authorization: `Bearer ${token.value}` } : {},
          redirect: 'error',
          signal,
        });
      } catch (error) {
        return signal?.aborted ? fail('bad-request', cancelled) : networkFailure(error);
      }
      if (response.status === 401 && this.tokens && !renewed) {
        await response.body?.cancel();
        renewed = true;
        continue;
      }
      if (response.status >= 400) return this.#error(response.status, await response.text());
      const body = response.body;
      if (!body) return fail('internal', unexpected);
      return ok(limited(body, maxBytes));
    }
  }

  async #send(
    method: string,
    path: string,
    body: Outgoing | undefined,
    token: string | undefined,
    options: CallOptions,
  ) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body) headers['content-type'] = body.contentType;
    // A file is streamed in slices so its progress can be told; it gets longer to arrive than a JSON call.
    const raw = body?.kind === 'bytes';
    const timeout = AbortSignal.timeout(raw ? this.#timeoutMs * 4 : this.#timeoutMs);
    try {
      const response = await this.#fetch(`${this.origin}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : raw ? sliced(body.bytes, options.onUploadProgress) : body.text,
        ...(raw ? { duplex: 'half' as const } : {}),
        redirect: 'error',
        signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
      });
      return {
        kind: 'reply' as const,
        status: response.status,
        text: await response.text(),
        error: undefined,
      };
    } catch (error) {
      return { kind: 'network' as const, status: 0, text: '', error };
    }
  }

  /** The platform's own code and message (already safe by its design), scrubbed again on the way through. */
  #error(status: number, text: string) {
    const error = platformError(text);
    if (error) return fail<never>(error.code, scrubCredentials(error.message).slice(0, 300));
    if (status >= 500 || this.#unverified) return fail<never>('unavailable', unreachable);
    return fail<never>('internal', unexpected);
  }
}

/** The body's chunks, refused past `maxBytes` so a platform that sends too much cannot fill a disk. */
async function* limited(body: ReadableStream<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  const reader = body.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      size += next.value.length;
      if (size > maxBytes) throw new RangeError('The platform sent more than expected.');
      yield next.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** The error in a reply body, when the body is in the platform's error format with a code it uses. */
function platformError(text: string): ErrorBody['error'] | undefined {
  const parsed = ErrorBody.safeParse(safeJson(text));
  if (!parsed.success || !(errorCodes as readonly string[]).includes(parsed.data.error.code))
    return undefined;
  return parsed.data.error;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

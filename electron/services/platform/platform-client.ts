import type { z } from 'zod';
import { ErrorBody } from '../../../shared/api/common';
import { scrubCredentials } from '../../../shared/redaction';
import { errorCodes, fail, ok, type Result } from '../../../shared/result';
import { networkFailure } from './network-failure';

/** Where a bearer token comes from: a signed-in session that refreshes itself, or an API key. */
export interface TokenSource {
  /** A token good for the next call; a session refreshes here when it is about to expire. */
  token(): Promise<Result<string>>;
  /** After a 401: get a new token if the source can (a session refreshes; a key cannot). */
  renew(): Promise<Result<string>>;
}

export interface ClientOptions {
  readonly fetch?: typeof fetch;
  /** Attempts for an idempotent call that meets a network error, a 429 or a 5xx. */
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly timeoutMs?: number;
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

  private constructor(
    readonly origin: string,
    private readonly tokens: TokenSource | undefined,
    options: ClientOptions,
  ) {
    this.#fetch = options.fetch ?? fetch;
    this.#attempts = options.attempts ?? 3;
    this.#backoffMs = options.backoffMs ?? 250;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
  }

  static create(origin: string, tokens?: TokenSource, options: ClientOptions = {}): Result<PlatformClient> {
    const checked = acceptablePlatformOrigin(origin);
    return checked.ok ? ok(new PlatformClient(checked.value, tokens, options)) : checked;
  }

  async request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
    options: { idempotent?: boolean } = {},
  ): Promise<Result<z.infer<S>>> {
    if (!path.startsWith('/v1/')) return fail('bad-request', 'Unknown platform path.');
    const idempotent = options.idempotent ?? idempotentMethods.has(method);
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const token = this.tokens ? await this.tokens.token() : ok(undefined);
      if (!token.ok) return token;
      const reply = await this.#send(method, path, body, token.value);
      if (reply.kind === 'network' || reply.status === 429 || (reply.status >= 500 && reply.status !== 501)) {
        if (idempotent && attempt < this.#attempts) {
          await new Promise((resolve) => setTimeout(resolve, this.#backoffMs * 2 ** (attempt - 1)));
          continue;
        }
        return reply.kind === 'network' ? networkFailure(reply.error) : this.#error(reply.status, reply.text);
      }
      if (reply.status === 401 && this.tokens && !renewed) {
        renewed = true;
        const again = await this.tokens.renew();
        if (!again.ok) return again;
        attempt--;
        continue;
      }
      if (reply.status >= 400) return this.#error(reply.status, reply.text);
      const parsed = schema.safeParse(reply.status === 204 ? null : safeJson(reply.text));
      return parsed.success ? ok(parsed.data) : fail('internal', unexpected);
    }
  }

  /**
   * A file body (evidence content), up to `maxBytes`. The path may carry the signed query the platform
   * issued, but must stay on this platform's /v1/ API.
   */
  async download(pathAndQuery: string, maxBytes: number): Promise<Result<Buffer>> {
    const url = new URL(pathAndQuery, this.origin);
    if (url.origin !== this.origin || !url.pathname.startsWith('/v1/'))
      return fail('bad-request', 'Unknown platform path.');
    const token = this.tokens ? await this.tokens.token() : ok(undefined);
    if (!token.ok) return token;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        headers: token.value ? { authorization: `Bearer ${token.value}` } : {},
        redirect: 'error',
        signal: AbortSignal.timeout(this.#timeoutMs * 4),
      });
    } catch (error) {
      return networkFailure(error);
    }
    if (response.status >= 400) return this.#error(response.status, await response.text());
    // Counted as it arrives, so a platform that sends too much cannot fill this process's memory.
    const tooLarge = fail<Buffer>('payload-too-large', 'The file is larger than expected.');
    if (Number(response.headers.get('content-length') ?? 0) > maxBytes) return tooLarge;
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body?.getReader();
    try {
      for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) {
        size += next.value.length;
        if (size > maxBytes) {
          await reader?.cancel();
          return tooLarge;
        }
        chunks.push(next.value);
      }
    } catch (error) {
      return networkFailure(error);
    }
    return ok(Buffer.concat(chunks));
  }

  async #send(method: string, path: string, body: unknown, token: string | undefined) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await this.#fetch(`${this.origin}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.#timeoutMs),
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
    const parsed = ErrorBody.safeParse(safeJson(text));
    if (parsed.success && (errorCodes as readonly string[]).includes(parsed.data.error.code)) {
      return fail<never>(parsed.data.error.code, scrubCredentials(parsed.data.error.message).slice(0, 300));
    }
    return fail<never>(status >= 500 ? 'unavailable' : 'internal', status >= 500 ? unreachable : unexpected);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

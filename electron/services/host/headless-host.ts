import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';
import { z } from 'zod';
import { LAUNCH_HEADER } from '../../../shared/contract/bridge';
import type { ContractReply } from '../../../shared/contract/contract';
import type { ConsoleServices } from '../console-services';
import { REPORT_PAGE } from '../contract/handlers/audit-package-handlers';
import { rendererContentTypes, rendererSecurityHeaders } from './renderer-assets';

/**
 * The console without Electron: the built renderer and the contract on 127.0.0.1, for browsers and
 * end-to-end tests. Contract calls need the per-launch secret, which the printed URL carries in its
 * fragment (never sent to any server, never in a log); the page sends it back in a header. Requests
 * naming any other host are refused, so a web page cannot reach the host through DNS rebinding, and so
 * are requests from any other origin (see `fromOwnOrigin`).
 */
export { LAUNCH_HEADER };

const MAX_BODY = 1024 * 1024;
/** Audit exports are large (a million entries is ~0.5 GB); this is the ceiling for one upload. */
const MAX_UPLOAD = 4 * 1024 ** 3;

const contentTypes = rendererContentTypes;
const securityHeaders = rendererSecurityHeaders;

export interface HeadlessHost {
  /**
   * The URL to open: the host's address with the launch secret in the fragment. A getter over a private
   * field, so printing or serializing the host (a log line, a test failure) never shows the secret.
   */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

class LoopbackHost implements HeadlessHost {
  readonly #secret: string;
  readonly #close: () => Promise<void>;

  constructor(
    readonly origin: string,
    secret: string,
    close: () => Promise<void>,
  ) {
    this.#secret = secret;
    this.#close = close;
  }

  get url(): string {
    return `${this.origin}/#k=${this.#secret}`;
  }

  close(): Promise<void> {
    return this.#close();
  }
}

export async function startHeadlessHost(options: {
  rendererDir: string;
  services: Pick<ConsoleServices, 'dispatcher' | 'events' | 'files'>;
  port?: number;
}): Promise<HeadlessHost> {
  const secret = randomBytes(32).toString('base64url');
  const root = await realpath(options.rendererDir);
  let allowedHosts: string[] = [];
  let ownOrigins: string[] = [];

  const server = createServer((request, response) => {
    void handle(request, response).catch(() =>
      reply(response, 500, {
        ok: false,
        error: { code: 'internal', message: 'Something went wrong in the console.' },
      }),
    );
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    if (!allowedHosts.includes(request.headers.host ?? ''))
      return reply(response, 421, { ok: false, error: { code: 'forbidden', message: 'Wrong host.' } });
    if (!fromOwnOrigin(request)) {
      request.resume();
      return reply(response, 403, { ok: false, error: { code: 'forbidden', message: 'Wrong origin.' } });
    }
    const url = new URL(request.url ?? '/', 'http://host');
    if (url.pathname.startsWith('/contract/')) return contractCall(request, response, callName(url.pathname));
    if (url.pathname === '/events') return eventStream(request, response);
    if (url.pathname === '/files')
      return upload(request, response, UploadName.safeParse(url.searchParams.get('name')));
    if (url.pathname.startsWith(REPORT_PAGE) && request.method === 'GET')
      return serveReport(response, url.pathname.slice(REPORT_PAGE.length));
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return reply(response, 405, {
        ok: false,
        error: { code: 'bad-request', message: 'Method not allowed.' },
      });
    return serveFile(response, url.pathname === '/' ? '/index.html' : url.pathname);
  }

  /**
   * Whether a request may come from the console's own page. Browsers send Origin with every cross-origin
   * request and with every POST (same-origin too), so a request carrying any Origin but ours (`null`
   * included: sandboxed frames, file: pages, cross-origin redirects) is refused on every path, whatever
   * else it carries. Browsers leave Origin out only of GETs: top-level navigations, no-cors loads (the
   * favicon, images) and same-origin fetches such as the page's event stream; so only GET and HEAD may
   * come without it. A POST without Origin is not our page. A local program can set any header it likes,
   * Origin included: against those the launch secret is the guard, and this check is not meant to be.
   */
  function fromOwnOrigin(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return request.method === 'GET' || request.method === 'HEAD';
    return ownOrigins.includes(origin);
  }

  function launchedHere(request: IncomingMessage): boolean {
    const presented = Buffer.from(String(request.headers[LAUNCH_HEADER] ?? ''));
    const expected = Buffer.from(secret);
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }

  function refuseStranger(request: IncomingMessage, response: ServerResponse) {
    request.resume();
    return reply(response, 401, {
      ok: false,
      error: { code: 'unauthenticated', message: 'Open the console from the address it printed.' },
    });
  }

  /** Push events as one JSON object per line, for as long as the page keeps the request open. */
  function eventStream(request: IncomingMessage, response: ServerResponse) {
    if (!launchedHere(request) || request.method !== 'GET') return refuseStranger(request, response);
    response.writeHead(200, { ...securityHeaders, 'content-type': 'application/x-ndjson' });
    response.write('\n');
    const stop = options.services.events.subscribe((name, payload) =>
      response.write(`${JSON.stringify({ name, payload })}\n`),
    );
    response.on('close', stop);
  }

  /**
   * A file the user picked in the page (an audit export): streamed to a private temporary file and
   * answered with an id, as the Electron open dialog is. The page never learns a path.
   */
  async function upload(
    request: IncomingMessage,
    response: ServerResponse,
    name: z.ZodSafeParseResult<string>,
  ) {
    if (!launchedHere(request)) return refuseStranger(request, response);
    if (!name.success) {
      request.resume();
      return reply(response, 400, {
        ok: false,
        error: { code: 'bad-request', message: 'Name the file (at most 255 characters).' },
      });
    }
    if (request.method !== 'POST' || request.headers['content-type'] !== 'application/octet-stream') {
      request.resume();
      return reply(response, 415, {
        ok: false,
        error: { code: 'unsupported-media-type', message: 'Send the file as application/octet-stream.' },
      });
    }
    const granted = await options.services.files.grantUpload(name.data, request, MAX_UPLOAD);
    if (!granted.ok) request.resume();
    const status = granted.ok ? 200 : granted.error.code === 'payload-too-large' ? 413 : 400;
    return reply(response, status, granted);
  }

  async function contractCall(request: IncomingMessage, response: ServerResponse, name: string) {
    if (!launchedHere(request)) return refuseStranger(request, response);
    if (
      request.method !== 'POST' ||
      !String(request.headers['content-type'] ?? '').startsWith('application/json')
    ) {
      request.resume();
      return reply(response, 415, {
        ok: false,
        error: { code: 'unsupported-media-type', message: 'Send contract calls as JSON POSTs.' },
      });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY)
        return reply(response, 413, {
          ok: false,
          error: { code: 'payload-too-large', message: 'The call is too large.' },
        });
      chunks.push(chunk as Buffer);
    }
    let input: unknown;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
    } catch {
      return reply(response, 400, {
        ok: false,
        error: { code: 'malformed-json', message: 'The call is not valid JSON.' },
      });
    }
    return reply(response, 200, await options.services.dispatcher.dispatch(name, input));
  }

  /**
   * A verification report the console wrote (audit.openReport answers its address), in a tab of its own.
   * Its id is the capability: 128 random bits, granted only for a report. The page is sandboxed (an opaque
   * origin, no script), so whatever the report holds cannot reach the console or its contract.
   */
  async function serveReport(response: ServerResponse, fileId: string) {
    const report = options.services.files.getReport(fileId);
    const body = report && (await readFile(report.path).catch(() => undefined));
    if (!report || !body)
      return reply(response, 404, { ok: false, error: { code: 'not-found', message: 'Not found.' } });
    response.writeHead(200, {
      ...securityHeaders,
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
      'content-type': report.name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'text/html; charset=utf-8',
      'content-length': body.length,
    });
    response.end(body);
  }

  async function serveFile(response: ServerResponse, path: string) {
    const type = contentTypes[extname(path)];
    let real: string;
    try {
      real = await realpath(join(root, path));
    } catch {
      return reply(response, 404, { ok: false, error: { code: 'not-found', message: 'Not found.' } });
    }
    if (!type || !(real === root || real.startsWith(root + sep))) {
      return reply(response, 404, { ok: false, error: { code: 'not-found', message: 'Not found.' } });
    }
    const body = await readFile(real);
    response.writeHead(200, { ...securityHeaders, 'content-type': type, 'content-length': body.length });
    response.end(body);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  ownOrigins = allowedHosts.map((h) => `http://${h}`);
  return new LoopbackHost(
    `http://127.0.0.1:${port}`,
    secret,
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
}

const UploadName = z.string().min(1).max(255);

/** The call named in the path; a malformed escape names no call (and so is refused as unknown). */
function callName(pathname: string): string {
  try {
    return decodeURIComponent(pathname.slice('/contract/'.length));
  } catch {
    return '';
  }
}

function reply(response: ServerResponse, status: number, body: ContractReply) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...securityHeaders,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

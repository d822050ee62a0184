import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOOPBACK_CALLBACK_PATH } from '../../../shared/api/oauth';
import { escapeHtml } from '../../../shared/text/escape-html';

/**
 * The loopback redirect of a browser sign-in (RFC 8252 §7.3): 127.0.0.1 on a port the OS picks, one
 * path, alive only while one sign-in waits. An answer whose state is not this sign-in's is refused and
 * the wait goes on, so another program on the machine cannot end or hijack the sign-in by calling first.
 */
export interface LoopbackAnswer {
  readonly url: URL;
  /** Finishes the browser's page once the console knows how the sign-in ended. */
  finish(outcome: 'signed-in' | 'failed', message: string): void;
}

export interface LoopbackRedirect {
  readonly redirectUri: string;
  readonly answer: Promise<LoopbackAnswer>;
  close(): void;
}

const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

function page(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function openLoopbackRedirect(state: string, timeoutMs: number): Promise<LoopbackRedirect> {
  let settle: { resolve(a: LoopbackAnswer): void; reject(e: Error): void } | undefined;
  const answer = new Promise<LoopbackAnswer>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The caller may never wait for the answer (a cancelled sign-in); its rejection is not an error.
  answer.catch(() => {});
  let answered = false;

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    if (request.method !== 'GET' || url.pathname !== LOOPBACK_CALLBACK_PATH || answered) {
      return respond(response, 404, 'Not found', 'Nothing is waiting here.');
    }
    if (!sameText(url.searchParams.get('state') ?? '', state)) {
      return respond(
        response,
        400,
        'Sign-in not accepted',
        'This answer does not belong to the sign-in in progress. Return to Compliance Console.',
      );
    }
    answered = true;
    clearTimeout(timer);
    settle?.resolve({
      url,
      finish: (outcome, message) => {
        respond(
          response,
          outcome === 'signed-in' ? 200 : 400,
          outcome === 'signed-in' ? 'Signed in' : 'Sign-in failed',
          message,
        );
        server.close();
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const timer = setTimeout(() => {
    settle?.reject(new Error('timeout'));
    server.close();
  }, timeoutMs);
  timer.unref();

  return {
    redirectUri: `http://127.0.0.1:${port}${LOOPBACK_CALLBACK_PATH}`,
    answer,
    close: () => {
      clearTimeout(timer);
      settle?.reject(new Error('cancelled'));
      server.closeAllConnections();
      server.close();
    },
  };
}

function respond(response: ServerResponse, status: number, title: string, message: string) {
  response.writeHead(status, pageHeaders);
  response.end(page(title, message));
}

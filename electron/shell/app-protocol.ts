import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import {
  CONTENT_SECURITY_POLICY,
  rendererContentTypes,
  rendererSecurityHeaders,
} from '../services/host/renderer-assets';
import { isAppUrl } from './app-origin';

/**
 * What the `app://` protocol handler answers, decided without Electron so it can be tested on real files.
 * Only regular files under the renderer's root, with a known type, are ever read: anything else is the
 * same bare 404, so a probe learns nothing about the disk.
 */

export { CONTENT_SECURITY_POLICY };

const contentTypes = rendererContentTypes;
const securityHeaders = rendererSecurityHeaders;

export interface AppResponse {
  readonly status: 200 | 404 | 405;
  readonly headers: Readonly<Record<string, string>>;
  /** An ArrayBuffer-backed copy, which is what a fetch `Response` accepts. */
  readonly body: Uint8Array<ArrayBuffer> | null;
}

function bare(status: 404 | 405): AppResponse {
  return { status, headers: { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' }, body: null };
}

/**
 * The URL's path as segments, or undefined when any segment could climb or smuggle a separator once
 * decoded (`%2e%2e`, `..%2f`, `%5c`, NUL). URL parsing already folds plain `..`; this catches what
 * decoding would otherwise reintroduce.
 */
function safeSegments(pathname: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment) || /^[A-Za-z]:/.test(segment))
      return undefined;
    segments.push(segment);
  }
  return segments;
}

/**
 * The real file a request names, or undefined. `realRoot` must already be a real path. The realpath of
 * the candidate must stay inside it, so a symlink placed in the renderer folder cannot lead out.
 */
export async function resolveAppPath(realRoot: string, requestUrl: string): Promise<string | undefined> {
  if (!isAppUrl(requestUrl)) return undefined;
  const segments = safeSegments(new URL(requestUrl).pathname);
  if (!segments) return undefined;
  const relative = segments.length === 0 ? ['index.html'] : segments;
  let real: string;
  try {
    real = await realpath(join(realRoot, ...relative));
  } catch {
    return undefined;
  }
  if (!real.startsWith(realRoot + sep)) return undefined;
  if (!contentTypes[extname(real).toLowerCase()]) return undefined;
  try {
    if (!(await stat(real)).isFile()) return undefined;
  } catch {
    return undefined;
  }
  return real;
}

export async function serveAppRequest(
  realRoot: string,
  request: { readonly url: string; readonly method: string },
): Promise<AppResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return bare(405);
  const path = await resolveAppPath(realRoot, request.url);
  if (!path) return bare(404);
  const type = contentTypes[extname(path).toLowerCase()] as string;
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = new Uint8Array(await readFile(path));
  } catch {
    return bare(404);
  }
  return {
    status: 200,
    headers: { ...securityHeaders, 'content-type': type, 'content-length': String(body.byteLength) },
    body: request.method === 'HEAD' ? null : body,
  };
}

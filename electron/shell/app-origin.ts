/**
 * The console's own origin. The renderer is served only from here (a privileged custom scheme, never
 * `file://`), so "is this our page?" is one exact comparison wherever it is asked: navigation, IPC
 * senders, the protocol handler.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * A URL's origin, as Chromium serializes it, or undefined. Only a URL already in the form Chromium reports
 * (nothing left for the parser to repair: no stray whitespace, backslashes or `..`) and without
 * credentials has one. Node's `URL.origin` is "null" for schemes WHATWG does not know, where Chromium
 * gives a registered standard scheme like ours a real one, so that case is built from the parsed parts.
 */
export function originOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.href !== url || parsed.username !== '' || parsed.password !== '') return undefined;
  if (parsed.origin !== 'null') return parsed.origin;
  return parsed.host === '' ? undefined : `${parsed.protocol}//${parsed.host}`;
}

/** Whether a URL is on the console's origin: the whole origin, parsed and compared exactly. */
export function isAppUrl(url: unknown): boolean {
  return originOf(url) === APP_ORIGIN;
}

/**
 * The page the window loads. A platform URL given at launch (`CC_PLATFORM_URL`, as `npm start` does for
 * the demo) rides along as a query parameter the renderer may show as the default; it is only a
 * suggestion, so anything that is not a plain http(s) URL is left out rather than passed on.
 */
export function entryUrl(platformUrl: string | undefined): string {
  const entry = new URL(APP_ENTRY_URL);
  if (platformUrl && platformUrl.length <= 300 && /^https?:\/\/[^/?#@\s]+(\/[^?#\s]*)?$/.test(platformUrl))
    entry.searchParams.set('platform', platformUrl);
  return entry.href;
}

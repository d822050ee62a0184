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
 * Whether a URL belongs to the console's origin. `URL.origin` is "null" for custom schemes in Node, so
 * the parts are compared instead; credentials or a port make it someone else's URL.
 */
export function isAppUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
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

/**
 * How the built renderer is served, whichever shell serves it (Electron's app:// protocol or the
 * headless host): the same content types and the same security headers, so the two cannot drift.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Directives a browser ignores (with a console error) when a policy comes in a meta tag. */
const headerOnlyDirectives = ['frame-ancestors', 'report-uri', 'sandbox'];

/**
 * The same policy for the page's meta tag, which still holds where no header arrives (the page saved or
 * opened some other way). Derived from the header's, so the two cannot drift.
 */
export const CONTENT_SECURITY_POLICY_META = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !headerOnlyDirectives.includes(directive.split(' ')[0] as string))
  .join('; ');

/**
 * renderer/index.html with the policy's meta tag at the top of its head, before anything it governs. The
 * renderer build (vite.config.ts) and the security scan both use this, so the scanned page is the shipped
 * one; a policy written into the source page by hand is refused, as it would be a second copy.
 */
export function withCspMeta(html: string): string {
  if (/Content-Security-Policy/i.test(html))
    throw new Error('renderer/index.html must not carry its own Content-Security-Policy');
  // Straight after the charset declaration (which must come first), else at the top of the head.
  const anchor = /<meta charset="[^"]*"\s*\/?>/i.exec(html) ?? /<head>/i.exec(html);
  if (!anchor) throw new Error('renderer/index.html has no <head>');
  const at = anchor.index + anchor[0].length;
  const meta = `\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`;
  return html.slice(0, at) + meta + html.slice(at);
}

export const rendererContentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export const rendererSecurityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

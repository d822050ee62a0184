import { createHash } from 'node:crypto';
import type { AuthorizationParams } from '../../shared/api/oauth';
import { oauthApi } from '../../shared/api/routes/auth';
import { escapeHtml } from '../../shared/text/escape-html';

/**
 * The platform's own sign-in page for the desktop sign-in: password and one-time code, nothing else.
 * Plain HTML with no script; the style is inline and allowed by its hash, so the page needs no other
 * origin. The form may be answered by a redirect to the console's loopback address, which the CSP's
 * form-action must therefore allow (browsers apply it to the redirect too).
 */
const style = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; }
  main { width: min(24rem, 92vw); padding: 2rem; border: 1px solid GrayText; border-radius: 12px; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  p { margin: 0 0 1rem; }
  label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
  input { box-sizing: border-box; width: 100%; padding: .55rem; font-size: 1rem; }
  input:focus-visible, button:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
  button { margin-top: 1.25rem; width: 100%; padding: .65rem; font-size: 1rem; font-weight: 600; cursor: pointer; }
  .error { padding: .6rem; border: 1px solid #b42318; border-radius: 8px; color: #b42318; }
  .hint { font-size: .85rem; color: GrayText; }
`;

const styleHash = createHash('sha256').update(style).digest('base64');

export const signInPageHeaders: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${styleHash}'; form-action 'self' http://127.0.0.1:* http://[::1]:*; frame-ancestors 'none'; base-uri 'none'`,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const carried = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
] as const satisfies readonly (keyof AuthorizationParams)[];

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${style}</style></head><body><main>${body}</main></body></html>`;
}

export function signInPage(params: AuthorizationParams, options: { email?: string; error?: string }): string {
  const hidden = carried
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params[name])}">`)
    .join('');
  const error = options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  return page(
    'Sign in to Compliance Console',
    `<h1>Sign in to Compliance Console</h1>
<p class="hint">The desktop console asked to sign you in. It receives a session, never your password.</p>
${error}
<form method="post" action="${oauthApi.signInForm.path}">${hidden}
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${escapeHtml(options.email ?? '')}" ${options.email ? '' : 'autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" ${options.email ? 'autofocus' : ''}>
<label for="totp">One-time code</label>
<input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6">
<button type="submit">Sign in</button>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page(
    'Sign-in cannot continue',
    `<h1>Sign-in cannot continue</h1><p class="error" role="alert">${escapeHtml(message)}</p><p class="hint">Start the sign-in again from the console.</p>`,
  );
}

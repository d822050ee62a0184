import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { enrollmentApi } from '../../shared/api/routes/lifecycle';
import { escapeHtml } from '../../shared/text/escape-html';
import { totpUri } from '../auth/totp';
import { base32 } from '../crypto/random';
import { roleWords } from './invitation-mail';
import { MIN_PASSWORD_LENGTH, type PageVisit, type ResolvedLink } from './invitation-service';

/**
 * The platform's own enrollment page, in the style of its sign-in page (oauth/sign-in-page.ts): plain HTML,
 * no script, the inline style allowed by its hash. The only other thing it loads is the QR code, an SVG
 * in a data: URI, so the CSP allows images from data: and nothing else; the form posts to this origin only.
 */
const style = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; }
  main { width: min(28rem, 92vw); padding: 2rem; border: 1px solid GrayText; border-radius: 12px; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.05rem; margin: 1.5rem 0 .25rem; }
  p { margin: 0 0 1rem; }
  label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
  input { box-sizing: border-box; width: 100%; padding: .55rem; font-size: 1rem; }
  input:focus-visible, button:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
  button { margin-top: 1.25rem; width: 100%; padding: .65rem; font-size: 1rem; font-weight: 600; cursor: pointer; }
  .error { padding: .6rem; border: 1px solid #b42318; border-radius: 8px; color: #b42318; }
  .hint { font-size: .85rem; color: GrayText; }
  .qr { display: block; width: 12rem; height: 12rem; margin: .5rem auto; background: #fff; }
  .secret { font-family: ui-monospace, monospace; font-size: 1.05rem; letter-spacing: .05em; word-break: break-all; }
`;

const styleHash = createHash('sha256').update(style).digest('base64');

export const enrollmentPageHeaders: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${styleHash}'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${style}</style></head><body><main>${body}</main></body></html>`;
}

/** The secret as people type it into an authenticator: upper-case base32 in groups of four. */
export function readableSecret(seed: Uint8Array): string {
  return base32(seed)
    .toUpperCase()
    .replace(/(.{4})/g, '$1 ')
    .trim();
}

async function qrDataUri(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * The form: a new account (password and authenticator, with this visit's seed and the nonce that binds the
 * form to it) or, for an existing one, a sign-in to accept.
 */
export async function enrollmentPage(
  link: ResolvedLink,
  token: string,
  visit: PageVisit | undefined,
  error?: string,
): Promise<string> {
  const { row } = link;
  const intro = `<h1>Join ${escapeHtml(link.organizationName)}</h1>
<p>${escapeHtml(link.inviterName)} invited ${escapeHtml(row.display_name)} (${escapeHtml(row.email)}) to join as ${escapeHtml(roleWords[row.role] ?? row.role)}. This link works once, until ${escapeHtml(new Date(row.expires_at).toUTCString())}.</p>`;
  const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
  const hidden = `<input type="hidden" name="token" value="${escapeHtml(token)}">`;
  if (link.existingUser || !visit) {
    return page(
      `Join ${link.organizationName}`,
      `${intro}
<p class="hint">You already have an account with this address: sign in to accept.</p>
${alert}
<form method="post" action="${enrollmentApi.submit.path}">${hidden}
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" autofocus>
<label for="totp">One-time code</label>
<input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6">
<button type="submit">Accept the invitation</button>
</form>`,
    );
  }
  const uri = totpUri(visit.totpSeed, row.email);
  const nonce = `<input type="hidden" name="nonce" value="${escapeHtml(visit.nonce)}">`;
  return page(
    `Join ${link.organizationName}`,
    `${intro}
${alert}
<form method="post" action="${enrollmentApi.submit.path}">${hidden}${nonce}
<h2>1. Choose a password</h2>
<label for="password">Password (at least ${MIN_PASSWORD_LENGTH} characters)</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="1024" autofocus>
<label for="confirm">The same password again</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="1024">
<h2>2. Add the account to your authenticator app</h2>
<p>Scan this code with the app, or type the secret below into it.</p>
<img class="qr" src="${await qrDataUri(uri)}" alt="QR code of the authenticator secret shown below">
<p class="secret" aria-label="Authenticator secret">${escapeHtml(readableSecret(visit.totpSeed))}</p>
<label for="totp">The 6-digit code the app shows now</label>
<input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6">
<button type="submit">Create my account</button>
</form>`,
  );
}

export function enrolledPage(organizationName: string, email: string): string {
  return page(
    'You have joined',
    `<h1>You have joined ${escapeHtml(organizationName)}</h1><p>Open the Compliance Console and sign in as ${escapeHtml(email)} with your password and a code from your authenticator.</p><p class="hint">This link has now been used and will not work again.</p>`,
  );
}

/** Why a link does not open: each case said plainly, with what to do. */
export function refusedLinkPage(
  state: 'unknown' | 'expired' | 'used' | 'revoked' | 'cross-site' | 'reopened',
): string {
  const words: Record<typeof state, readonly [string, string]> = {
    unknown: [
      'This enrollment link is not valid',
      'Check that the whole link was copied. If it still does not open, ask the administrator who invited you for a new invitation.',
    ],
    expired: [
      'This enrollment link has expired',
      'Enrollment links work for 72 hours. Ask an administrator of the organization to invite you again.',
    ],
    used: [
      'This enrollment link has already been used',
      'Each link works once. If you enrolled with it, sign in from the Compliance Console; if you did not, tell the administrator who invited you at once.',
    ],
    revoked: [
      'This invitation was withdrawn',
      'An administrator revoked it. Ask them if you should have been invited.',
    ],
    reopened: [
      'This page was opened again since',
      'The link was opened again (here or elsewhere), so this page’s authenticator secret no longer counts. Open the link again, add the new secret to your app and fill in the form there. If you did not open it again yourself, tell the administrator who invited you.',
    ],
    'cross-site': [
      'This form must be sent from the platform’s own page',
      'Open the enrollment link again and fill in the form there.',
    ],
  };
  const [title, text] = words[state];
  return page(title, `<h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(text)}</p>`);
}

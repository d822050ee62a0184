/**
 * Anything shaped like one of our credentials, wherever it turns up in text bound for a log or a person:
 * API key secrets, refresh tokens, enrollment tokens, JWTs and TOTP enrolment URIs.
 */
const credentialPatterns: readonly [RegExp, string][] = [
  [/(cck_(?:test|live)_[a-z2-7]{26})\.[A-Za-z0-9_-]+/g, '$1.[redacted]'],
  [/(rt_[a-z2-7]{26})\.[A-Za-z0-9_-]+/g, '$1.[redacted]'],
  // An enrollment link's token: the invitation id, then its one-time secret.
  [/(inv_[a-z2-7]{26})\.[A-Za-z0-9_-]+/g, '$1.[redacted]'],
  [/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[redacted-jwt]'],
  [/otpauth:\/\/[^\s"]+/g, '[redacted-otpauth]'],
  [/whsec_[A-Za-z0-9_-]+/g, 'whsec_[redacted]'],
];

export function scrubCredentials(text: string): string {
  let out = text;
  for (const [pattern, replacement] of credentialPatterns) out = out.replace(pattern, replacement);
  return out;
}

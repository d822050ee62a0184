import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Secrets are kept out of logs twice over: request logs never include headers or bodies, known secret
 * fields are censored, and every line is scrubbed of anything shaped like a credential before it is written.
 */
const credentialPatterns: readonly [RegExp, string][] = [
  [/(cck_(?:test|live)_[a-z2-7]{26})\.[A-Za-z0-9_-]+/g, '$1.[redacted]'],
  [/(rt_[a-z2-7]{26})\.[A-Za-z0-9_-]+/g, '$1.[redacted]'],
  [/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[redacted-jwt]'],
  [/otpauth:\/\/[^\s"]+/g, '[redacted-otpauth]'],
];

export function scrubCredentials(line: string): string {
  let out = line;
  for (const [pattern, replacement] of credentialPatterns) out = out.replace(pattern, replacement);
  return out;
}

const secretFields = [
  'password',
  'totp',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'apiKey',
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: {
        paths: [...secretFields, ...secretFields.map((f) => `*.${f}`), 'req.headers', 'res.headers'],
        censor: '[redacted]',
      },
      serializers: {
        // Only the path: query strings can carry signed-URL tokens.
        req: (req: { method: string; url: string; id: string; ip?: string }) => ({
          method: req.method,
          path: req.url.split('?')[0],
          requestId: req.id,
          ip: req.ip,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      hooks: { streamWrite: scrubCredentials },
    },
    options.destination ?? pino.destination(1),
  );
}

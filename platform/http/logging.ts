import pino, { type DestinationStream, type Logger } from 'pino';
import { scrubCredentials } from '../../shared/redaction';

export { scrubCredentials };

/**
 * Secrets are kept out of logs twice over: request logs never include headers or bodies, known secret
 * fields are censored, and every line is scrubbed of anything shaped like a credential before it is written.
 */
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

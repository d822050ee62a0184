/**
 * Webhook signatures, for the platform that sends and the integration that receives: HMAC-SHA256 over
 * `<timestamp>.<body>`, the timestamp (Unix seconds) in its own header, checked against a tolerance window
 * so that a captured delivery cannot be replayed later.
 */
export const TIMESTAMP_HEADER = 'x-cc-timestamp';
export const SIGNATURE_HEADER = 'x-cc-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signedContent(timestamp: number, body: string): string {
  return `${timestamp}.${body}`;
}

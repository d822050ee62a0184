import { fail, type Result } from '../../../shared/result';

const unreachable = 'The platform cannot be reached. Check the address and your connection.';
const untrusted =
  "The platform's certificate is not trusted (self-signed, expired, or issued for another name), so the console did not connect. Check the address, or ask your administrator.";

/**
 * Node's codes for a TLS certificate it refused; anything else is the network. A server that does not
 * speak TLS at all (ERR_SSL_WRONG_VERSION_NUMBER: plain HTTP, or any other service, on that port) is not
 * a certificate problem but something that is not the platform, so it is told as no platform.
 */
function isCertificateProblem(code: unknown): boolean {
  return (
    typeof code === 'string' &&
    (code.startsWith('CERT_') ||
      code.startsWith('ERR_TLS_CERT') ||
      code.includes('SELF_SIGNED') ||
      code.startsWith('UNABLE_TO_'))
  );
}

/** What a call learns when no platform answers: no reply, or a reply from something else. */
export function platformUnreachable<T = never>(): Result<T> {
  return fail('unavailable', unreachable);
}

/**
 * Why a request never got a reply, in words a person can act on: a certificate the console refused is
 * not the same problem as a platform that is down. The error's own text is never passed on.
 */
export function networkFailure<T = never>(error: unknown): Result<T> {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause; depth++) {
    if (isCertificateProblem((cause as { code?: unknown }).code)) return fail('unavailable', untrusted);
    cause = (cause as { cause?: unknown }).cause;
  }
  return platformUnreachable();
}

import type { AppError, ErrorCode, Result } from '../../shared/result';

const statusByCode: Readonly<Record<ErrorCode, number>> = {
  'bad-request': 400,
  'malformed-json': 400,
  'unsupported-media-type': 415,
  'payload-too-large': 413,
  unauthenticated: 401,
  'invalid-credentials': 401,
  forbidden: 403,
  'wrong-environment': 403,
  'not-found': 404,
  conflict: 409,
  'approval-required': 403,
  'rate-limited': 429,
  unavailable: 503,
  'keychain-unavailable': 503,
  internal: 500,
};

export function statusOf(code: ErrorCode): number {
  return statusByCode[code];
}

/** Carries an `AppError` from a route to the error handler, the one place that writes error replies. */
export class Problem extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

/** Unwraps a result inside a route; a failure becomes the reply. */
export function orReply<T>(result: Result<T>): T {
  if (!result.ok) throw new Problem(result.error);
  return result.value;
}

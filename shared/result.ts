/**
 * Errors are values: every expected failure is an `AppError` with a stable code and a message that is
 * safe to show to anyone (it never carries a secret, a token or server internals). Only a boundary
 * (HTTP reply, IPC reply) turns one into a wire format.
 */
export const errorCodes = [
  'bad-request',
  'malformed-json',
  'unsupported-media-type',
  'payload-too-large',
  'unauthenticated',
  'invalid-credentials',
  'forbidden',
  'wrong-environment',
  'not-found',
  'conflict',
  'approval-required',
  'rate-limited',
  'unavailable',
  // The console's own: the OS keychain, where it keeps every secret, cannot be reached.
  'keychain-unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

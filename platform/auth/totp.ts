import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;

function totpFor(seed: Uint8Array, label = 'user'): TOTP {
  return new TOTP({
    issuer: 'Compliance Platform',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: new Secret({ buffer: Uint8Array.from(seed).buffer }),
  });
}

export function newTotpSeed(): Uint8Array {
  return new Secret({ size: 20 }).bytes;
}

/** The `otpauth://` URI an authenticator app enrols from. */
export function totpUri(seed: Uint8Array, email: string): string {
  return totpFor(seed, email).toString();
}

/**
 * Checks a code against the current step and one step either side (clock drift) and returns the time
 * step it matched, so the caller can refuse a second use of the same step.
 */
export function matchTotpStep(seed: Uint8Array, code: string, now: number): number | undefined {
  const delta = totpFor(seed).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}

export function totpCode(seed: Uint8Array, now: number): string {
  return totpFor(seed).generate({ timestamp: now });
}

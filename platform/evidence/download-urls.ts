import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

export const MAX_URL_LIFETIME_MS = 5 * 60 * 1000;

export interface UrlBinding {
  readonly organizationId: string;
  readonly environment: string;
  readonly evidenceId: string;
  /** The principal the URL was issued to; only it may use the URL. */
  readonly principalId: string;
  readonly expires: number;
}

/** HMAC-SHA256 signatures that make a download URL short-lived and good for one object and one caller. */
export class DownloadUrlSigner {
  // Made once: raw key bytes cost Node 24 a failed KeyObject and CryptoKey parse on every signature.
  readonly #key: KeyObject;

  constructor(key: Buffer) {
    this.#key = createSecretKey(key);
  }

  sign(binding: UrlBinding): string {
    return createHmac('sha256', this.#key).update(this.#message(binding)).digest('base64url');
  }

  verify(binding: UrlBinding, signature: string, now: number): boolean {
    if (binding.expires <= now || binding.expires > now + MAX_URL_LIFETIME_MS) return false;
    const expected = Buffer.from(this.sign(binding), 'base64url');
    const given = Buffer.from(signature, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #message(b: UrlBinding): string {
    return [
      'cc-evidence-download/1',
      b.organizationId,
      b.environment,
      b.evidenceId,
      b.principalId,
      b.expires,
    ].join('\n');
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';

export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Compares a presented secret with a stored SHA-256 digest in constant time. */
export function secretMatches(presented: string, storedDigest: Uint8Array): boolean {
  const digest = sha256(presented);
  return digest.length === storedDigest.length && timingSafeEqual(digest, storedDigest);
}

import { createPublicKey, hash, verify } from 'node:crypto';
import type { AuditCrypto } from './hash';

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Node's native SHA-256 and Ed25519. Imported only where Node runs (platform, CLI, worker threads). */
export const nodeAuditCrypto: AuditCrypto = {
  sha256: (data) => hash('sha256', data, 'buffer'),
  verifyEd25519(publicKey, message, signature) {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      const key = createPublicKey({
        key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]),
        format: 'der',
        type: 'spki',
      });
      return verify(null, message, key, signature);
    } catch {
      return false;
    }
  },
};

import { createPublicKey, hash, type KeyObject, verify } from 'node:crypto';
import type { AuditCrypto, TreeHasher } from './hash';

/** Latin1 in and out of Node's one-shot hash, through one scratch buffer: no allocation but the result. */
function nodeTreeHasher(): TreeHasher {
  const scratch = Buffer.alloc(65);
  scratch[0] = 1;
  return {
    leafAt(buffer, start, end) {
      const saved = buffer[start - 1] as number;
      buffer[start - 1] = 0;
      const leaf = hash('sha256', buffer.subarray(start - 1, end), 'binary');
      buffer[start - 1] = saved;
      return leaf;
    },
    node(left, right) {
      scratch.write(left, 1, 'binary');
      scratch.write(right, 33, 'binary');
      return hash('sha256', scratch, 'binary');
    },
    empty: () => hash('sha256', '', 'binary'),
  };
}

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const keyObjects = new Map<string, KeyObject>();

/** Parsing a key costs more than checking a signature; an export holds one checkpoint per 1,024 entries. */
function keyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('base64');
  let key = keyObjects.get(id);
  if (!key) {
    key = createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    });
    if (keyObjects.size > 64) keyObjects.clear();
    keyObjects.set(id, key);
  }
  return key;
}

/** Node's native SHA-256 and Ed25519. Imported only where Node runs (platform, CLI, worker threads). */
export const nodeAuditCrypto: AuditCrypto = {
  sha256: (data) => hash('sha256', data, 'buffer'),
  treeHasher: nodeTreeHasher,
  verifyEd25519(publicKey, message, signature) {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      return verify(null, message, keyObject(publicKey), signature);
    } catch {
      return false;
    }
  },
};

import { createCipheriv, createDecipheriv, createSecretKey, hash, randomBytes } from 'node:crypto';

/**
 * The evidence cache's cryptography, and nothing else: AES-256-GCM (Node's OpenSSL) for both layers.
 *  - seal/open: one evidence blob under its tenant's data key; the associated data binds the blob to its
 *    profile, organization, environment, snapshot id and published SHA-256, so a blob moved to another
 *    tenant or another snapshot (or relabelled with another hash) fails authentication.
 *  - wrap/unwrap: one data key under the profile's master key (held in the OS keychain); the associated
 *    data binds the profile, organization, environment and the master key's id.
 * Every encryption draws a fresh random 12-byte nonce. Nothing here logs or formats key material.
 */
export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** A tenant of one profile: the scope of every cached row and of every data key. */
export interface KeyScope {
  readonly profileKey: string;
  readonly organization: string;
  readonly environment: string;
}

/** One encrypted blob: stored as three columns so neither side copies the ciphertext to split it. */
export interface Sealed {
  readonly nonce: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

export function randomKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** One-shot: no Hash object made, updated and finished for every snapshot put or read. */
export function sha256Hex(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex');
}

/** A master key's public name: the first 16 hex digits of its SHA-256 (it identifies, it reveals nothing). */
export function masterKeyId(masterKey: Uint8Array): string {
  return sha256Hex(masterKey).slice(0, 16);
}

/** The first field of a blob's associated data (read-threads.ts builds the same array in its threads). */
export const BLOB_AAD_LABEL = 'cc-evidence-blob-v1';

// JSON arrays as associated data: every field is delimited and escaped, so no two contexts share bytes.
export function blobAad(scope: KeyScope, snapshotId: string, sha256: string): Buffer {
  return Buffer.from(
    JSON.stringify([
      BLOB_AAD_LABEL,
      scope.profileKey,
      scope.organization,
      scope.environment,
      snapshotId,
      sha256,
    ]),
  );
}

export function wrapAad(scope: KeyScope, masterId: string): Buffer {
  return Buffer.from(
    JSON.stringify(['cc-data-key-v1', scope.profileKey, scope.organization, scope.environment, masterId]),
  );
}

/**
 * The key as a KeyObject made for this one operation. Node checks a raw key by first trying to read it as
 * a KeyObject and a CryptoKey, and each failed try throws and catches an exception: about 40 µs a cipher,
 * more than decrypting 64 KiB. Made from the bytes at each call, it reads them as they are now (a key
 * zeroed by shredding is zeros here too), and keeps no copy beyond the operation, as the cipher's own.
 */
function secret(key: Uint8Array) {
  return createSecretKey(key);
}

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Sealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, secret(key), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  return { nonce, tag: cipher.getAuthTag(), ciphertext };
}

/** The plaintext, or undefined when authentication fails (wrong key, tampered bytes, other context). */
export function open(key: Uint8Array, sealed: Sealed, aad: Uint8Array): Buffer | undefined {
  if (sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv(ALGORITHM, secret(key), sealed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    const plaintext = decipher.update(sealed.ciphertext);
    decipher.final();
    return plaintext;
  } catch {
    return undefined;
  }
}

/**
 * Frees the memory of a buffer nothing else will read (a row's ciphertext once opened, a sealed copy once
 * stored) at once instead of at some later garbage collection: a cache that reads 64 KiB snapshots
 * otherwise leaves V8 to collect their memory, and external memory that grows by megabytes a second makes it
 * mark the whole heap again and again. Only a buffer that is the whole of its memory: a slice of a shared
 * pool, or a view of a larger buffer, is left alone.
 */
export function release(bytes: Uint8Array): void {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength)
    buffer.transfer(0);
}

/**
 * For a caller done with evidence plaintext (a snapshot `get` answered, once encoded for the screen): its
 * bytes zeroed, then its memory freed at once (see release), so neither the plaintext nor the memory
 * lingers until some garbage collection.
 */
export function wipe(bytes: Uint8Array): void {
  bytes.fill(0);
  release(bytes);
}

/** A wrapped data key as stored: nonce ‖ ciphertext ‖ tag (60 bytes). */
export function wrapKey(masterKey: Uint8Array, dataKey: Uint8Array, aad: Uint8Array): Buffer {
  const { nonce, ciphertext, tag } = seal(masterKey, dataKey, aad);
  return Buffer.concat([nonce, ciphertext, tag]);
}

export function unwrapKey(masterKey: Uint8Array, wrapped: Uint8Array, aad: Uint8Array): Buffer | undefined {
  if (wrapped.length !== NONCE_BYTES + KEY_BYTES + TAG_BYTES) return undefined;
  const bytes = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
  return open(
    masterKey,
    {
      nonce: bytes.subarray(0, NONCE_BYTES),
      ciphertext: bytes.subarray(NONCE_BYTES, NONCE_BYTES + KEY_BYTES),
      tag: bytes.subarray(NONCE_BYTES + KEY_BYTES),
    },
    aad,
  );
}

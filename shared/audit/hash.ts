/**
 * The audit code takes its two primitives from the host: Node's crypto in the platform and the verifier
 * CLI, anything equivalent elsewhere. Both are synchronous so the verifier's inner loop stays a loop.
 */
export interface AuditCrypto {
  sha256(data: Uint8Array): Uint8Array;
  verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** A faster tree hasher for the verifier's hot loop, where the host has one (see latin1TreeHasher). */
  treeHasher?(): TreeHasher;
}

/**
 * RFC 6962 leaf and node hashes with each hash held as a 32-character latin1 string: in V8 a short
 * one-byte string is far cheaper to make than a byte array, and the verifier makes two per entry.
 */
export interface TreeHasher {
  /** Leaf hash of buffer[start, end); buffer[start - 1] exists and may be borrowed. */
  leafAt(buffer: Uint8Array, start: number, end: number): string;
  node(left: string, right: string): string;
  empty(): string;
}

const latin1 = new TextDecoder('latin1');

export function bytesToLatin1(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

export function latin1ToBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** A tree hasher built from the plain primitive, for hosts without a faster one. */
export function genericTreeHasher(crypto: AuditCrypto): TreeHasher {
  const node = new Uint8Array(65);
  node[0] = 1;
  return {
    leafAt(buffer, start, end) {
      const data = new Uint8Array(end - start + 1);
      data.set(buffer.subarray(start, end), 1);
      return bytesToLatin1(crypto.sha256(data));
    },
    node(left, right) {
      node.set(latin1ToBytes(left), 1);
      node.set(latin1ToBytes(right), 33);
      return bytesToLatin1(crypto.sha256(node));
    },
    empty: () => bytesToLatin1(crypto.sha256(new Uint8Array(0))),
  };
}

export { latin1 as latin1Decoder };

export const HASH_BYTES = 32;

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Strict standard base64: returns undefined for anything that does not round-trip. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    const binary = atob(text);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return toBase64(bytes) === text ? bytes : undefined;
  } catch {
    return undefined;
  }
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

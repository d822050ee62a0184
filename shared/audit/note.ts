import { type AuditCrypto, equalBytes, fromBase64, toBase64, toHex } from './hash';

/**
 * C2SP signed notes (golang.org/x/mod/sumdb/note) with Ed25519 keys, and the checkpoint body they carry
 * (C2SP tlog-checkpoint). Parsing never throws: hostile input yields a reason, not an exception.
 */

const ED25519_ALGORITHM = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
const encoder = new TextEncoder();

export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
}

function validKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/.test(name) && [...name].every((c) => c >= ' ');
}

/** First 4 bytes (big-endian) of SHA-256(name || "\n" || 0x01 || public key). */
export function keyIdOf(crypto: AuditCrypto, name: string, publicKey: Uint8Array): number {
  const nameBytes = encoder.encode(`${name}\n`);
  const input = new Uint8Array(nameBytes.length + 1 + publicKey.length);
  input.set(nameBytes, 0);
  input[nameBytes.length] = ED25519_ALGORITHM;
  input.set(publicKey, nameBytes.length + 1);
  const digest = crypto.sha256(input);
  return (
    (((digest[0] as number) << 24) |
      ((digest[1] as number) << 16) |
      ((digest[2] as number) << 8) |
      (digest[3] as number)) >>>
    0
  );
}

/** `<name>+<key id, 8 hex digits>+<base64(0x01 || public key)>`, the string an auditor pins. */
export function formatVerifierKey(crypto: AuditCrypto, name: string, publicKey: Uint8Array): string {
  const id = keyIdOf(crypto, name, publicKey).toString(16).padStart(8, '0');
  const material = new Uint8Array(33);
  material[0] = ED25519_ALGORITHM;
  material.set(publicKey, 1);
  return `${name}+${id}+${toBase64(material)}`;
}

export function parseVerifierKey(crypto: AuditCrypto, text: string): VerifierKey | undefined {
  // The base64 key material may itself contain '+', so only the first two separate fields.
  const trimmed = text.trim();
  const first = trimmed.indexOf('+');
  const second = trimmed.indexOf('+', first + 1);
  if (first < 0 || second < 0) return undefined;
  const name = trimmed.slice(0, first);
  const idHex = trimmed.slice(first + 1, second);
  const material = trimmed.slice(second + 1);
  if (!validKeyName(name) || !/^[0-9a-f]{8}$/.test(idHex)) return undefined;
  const bytes = fromBase64(material);
  if (bytes?.length !== 33 || bytes[0] !== ED25519_ALGORITHM) return undefined;
  const publicKey = bytes.subarray(1);
  const keyId = Number.parseInt(idHex, 16);
  if (keyIdOf(crypto, name, publicKey) !== keyId) return undefined;
  return { name, keyId, publicKey };
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

export interface ParsedNote {
  /** The signed text: everything up to and including the newline before the blank line. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** Notes are text: any control character other than newline makes one malformed. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x0a) || code === 0x7f) return true;
  }
  return false;
}

export function parseNote(note: string): ParsedNote | undefined {
  if (note.length > 1_000_000 || !note.endsWith('\n')) return undefined;
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return undefined;
  const text = note.slice(0, split + 1);
  if (hasControlCharacter(note)) return undefined;
  const signatures: NoteSignature[] = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return undefined;
    const [name, encoded, ...rest] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (rest.length > 0 || !name || !encoded || !validKeyName(name)) return undefined;
    const bytes = fromBase64(encoded);
    if (!bytes || bytes.length < 5) return undefined;
    const keyId =
      ((bytes[0] as number) * 2 ** 24 +
        ((bytes[1] as number) << 16) +
        ((bytes[2] as number) << 8) +
        (bytes[3] as number)) >>>
      0;
    signatures.push({ name, keyId, signature: bytes.subarray(4) });
  }
  if (signatures.length === 0) return undefined;
  return { text, signatures };
}

export type NoteVerdict =
  | { readonly status: 'valid'; readonly key: VerifierKey }
  | { readonly status: 'bad-signature'; readonly key: VerifierKey }
  | { readonly status: 'unknown-key' };

/**
 * Accepted when a known key's signature verifies. Signatures by unknown keys are ignored; a known key
 * whose signature fails makes the note bad even if another signature is good, since one of them lies.
 */
export function verifyNote(crypto: AuditCrypto, note: ParsedNote, keys: readonly VerifierKey[]): NoteVerdict {
  const message = encoder.encode(note.text);
  let valid: VerifierKey | undefined;
  for (const sig of note.signatures) {
    const key = keys.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (!key) continue;
    if (sig.signature.length !== 64 || !crypto.verifyEd25519(key.publicKey, message, sig.signature)) {
      return { status: 'bad-signature', key };
    }
    valid ??= key;
  }
  return valid ? { status: 'valid', key: valid } : { status: 'unknown-key' };
}

/** Appends a signature line to note text. `sign` produces the raw 64-byte Ed25519 signature. */
export function signNote(
  crypto: AuditCrypto,
  text: string,
  name: string,
  publicKey: Uint8Array,
  sign: (message: Uint8Array) => Uint8Array,
): string {
  if (!text.endsWith('\n')) throw new Error('Note text must end with a newline');
  const signature = sign(encoder.encode(text));
  const keyId = keyIdOf(crypto, name, publicKey);
  const blob = new Uint8Array(4 + signature.length);
  blob.set([keyId >>> 24, (keyId >>> 16) & 0xff, (keyId >>> 8) & 0xff, keyId & 0xff], 0);
  blob.set(signature, 4);
  return `${text}\n${SIGNATURE_PREFIX}${name} ${toBase64(blob)}\n`;
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
}

export function formatCheckpointBody(checkpoint: Checkpoint): string {
  return `${checkpoint.origin}\n${checkpoint.size}\n${toBase64(checkpoint.root)}\n`;
}

export function parseCheckpointBody(text: string): Checkpoint | undefined {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') return undefined;
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (!origin || !/^(0|[1-9][0-9]{0,15})$/.test(sizeText)) return undefined;
  const size = Number(sizeText);
  const root = fromBase64(rootText);
  if (!Number.isSafeInteger(size) || !root || root.length !== 32) return undefined;
  return { origin, size, root };
}

export function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  return a.origin === b.origin && a.size === b.size && equalBytes(a.root, b.root);
}

export function describeKey(key: VerifierKey): string {
  return `${key.name}+${key.keyId.toString(16).padStart(8, '0')}`;
}

export { toHex };

import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Lowercase RFC 4648 base32 without padding: safe in URLs, ids and file names. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** A 128-bit random id with a short type prefix, e.g. `usr_…`. */
export function newId(
  prefix:
    | 'usr'
    | 'org'
    | 'fam'
    | 'rt'
    | 'apr'
    | 'dev'
    | 'cmt'
    | 'evd'
    | 'whd'
    | 'inv'
    | 'elv'
    | 'rvc'
    | 'rvi',
): string {
  return `${prefix}_${base32(randomBytes(16))}`;
}

/** 256 bits of randomness for secrets handed to a client once. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

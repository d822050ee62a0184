import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  blobAad,
  masterKeyId,
  NONCE_BYTES,
  open,
  randomKey,
  release,
  seal,
  TAG_BYTES,
  unwrapKey,
  wipe,
  wrapAad,
  wrapKey,
} from '../../../../electron/services/cache/envelope';

const scope = {
  profileKey: 'https://platform.example.com|usr_alice',
  organization: 'acme',
  environment: 'live',
};
const other = { ...scope, organization: 'globex' };
const hash = 'a'.repeat(64);

describe('the cache envelope (AES-256-GCM)', () => {
  it('seals a blob with a fresh 12-byte nonce and a 16-byte tag, and opens it with the same context', () => {
    const key = randomKey();
    const plaintext = randomBytes(1000);
    const first = seal(key, plaintext, blobAad(scope, 'evd-1', hash));
    const second = seal(key, plaintext, blobAad(scope, 'evd-1', hash));
    expect(first.nonce).toHaveLength(NONCE_BYTES);
    expect(first.tag).toHaveLength(TAG_BYTES);
    expect(first.nonce.equals(second.nonce)).toBe(false);
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
    expect(open(key, first, blobAad(scope, 'evd-1', hash))?.equals(plaintext)).toBe(true);
  });

  it('refuses a blob opened under another tenant, snapshot, hash or key, or with a flipped bit', () => {
    const key = randomKey();
    const sealed = seal(key, Buffer.from('evidence'), blobAad(scope, 'evd-1', hash));
    expect(open(key, sealed, blobAad(other, 'evd-1', hash))).toBeUndefined();
    expect(open(key, sealed, blobAad({ ...scope, environment: 'test' }, 'evd-1', hash))).toBeUndefined();
    expect(open(key, sealed, blobAad({ ...scope, profileKey: 'x|usr_bob' }, 'evd-1', hash))).toBeUndefined();
    expect(open(key, sealed, blobAad(scope, 'evd-2', hash))).toBeUndefined();
    expect(open(key, sealed, blobAad(scope, 'evd-1', 'b'.repeat(64)))).toBeUndefined();
    expect(open(randomKey(), sealed, blobAad(scope, 'evd-1', hash))).toBeUndefined();
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(open(key, { ...sealed, ciphertext: flipped }, blobAad(scope, 'evd-1', hash))).toBeUndefined();
    expect(
      open(key, { ...sealed, tag: sealed.tag.subarray(0, 12) }, blobAad(scope, 'evd-1', hash)),
    ).toBeUndefined();
  });

  it('associated data cannot be confused by moving text between fields', () => {
    expect(blobAad({ ...scope, organization: 'a', environment: 'bc' }, 's', hash).toString()).not.toBe(
      blobAad({ ...scope, organization: 'ab', environment: 'c' }, 's', hash).toString(),
    );
  });

  it('wraps a data key under a master key, bound to the tenant and the master key id', () => {
    const master = randomKey();
    const dataKey = randomKey();
    const id = masterKeyId(master);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const wrapped = wrapKey(master, dataKey, wrapAad(scope, id));
    expect(wrapped).toHaveLength(12 + 32 + 16);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(unwrapKey(master, wrapped, wrapAad(scope, id))?.equals(dataKey)).toBe(true);
    expect(unwrapKey(master, wrapped, wrapAad(other, id))).toBeUndefined();
    expect(unwrapKey(master, wrapped, wrapAad(scope, '0'.repeat(16)))).toBeUndefined();
    expect(unwrapKey(randomKey(), wrapped, wrapAad(scope, id))).toBeUndefined();
    expect(unwrapKey(master, wrapped.subarray(1), wrapAad(scope, id))).toBeUndefined();
  });

  it('frees a buffer that is the whole of its memory at once, and leaves a slice of shared memory alone', () => {
    const owned = Buffer.from(randomBytes(64 * 1024));
    release(owned);
    expect(owned.buffer.byteLength).toBe(0);
    expect(owned.length).toBe(0);

    const pooled = Buffer.from('a small buffer from the shared pool');
    const whole = Buffer.alloc(4096, 7);
    const view = whole.subarray(100, 200);
    release(pooled);
    release(view);
    expect(pooled.toString()).toBe('a small buffer from the shared pool');
    expect(whole.length).toBe(4096);
    expect(view.every((byte) => byte === 7)).toBe(true);
  });

  it('wipes plaintext: zeroed, then freed when it is the whole of its memory', () => {
    const plaintext = Buffer.allocUnsafeSlow(4096);
    randomBytes(4096).copy(plaintext);
    const shared = Buffer.alloc(4096, 9);
    const part = shared.subarray(0, 1024);
    wipe(part);
    expect(shared.subarray(0, 1024).every((byte) => byte === 0)).toBe(true);
    expect(shared.subarray(1024).every((byte) => byte === 9)).toBe(true);
    wipe(plaintext);
    expect(plaintext.buffer.byteLength).toBe(0);
  });
});

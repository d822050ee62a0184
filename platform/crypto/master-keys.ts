import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataDir } from '../data-dir';

/**
 * What wraps the platform's data keys. A key file in the data directory today; a KMS (AWS KMS, Vault
 * Transit, Cloud KMS) later, behind the same interface: that is why it is asynchronous, and why nothing
 * but data keys (32 bytes each, a few per tenant) ever goes through it.
 */
export interface MasterKeyProvider {
  /** The key new wraps use. */
  currentKeyId(): string;
  wrap(dataKey: Buffer, associatedData: string): Promise<{ keyId: string; wrapped: Buffer }>;
  unwrap(keyId: string, wrapped: Buffer, associatedData: string): Promise<Buffer>;
  /** Keys still held, for a rotation to know which wraps are left to redo. */
  keyIds(): string[];
}

const FILE = 'evidence-master-keys.json';
const IV_BYTES = 12;

interface StoredMasterKey {
  readonly id: string;
  readonly key: string;
  readonly createdAt: string;
}

function newKey(version: number): StoredMasterKey {
  return {
    id: `mk${version}-${randomBytes(4).toString('hex')}`,
    key: randomBytes(32).toString('base64'),
    createdAt: new Date().toISOString(),
  };
}

/**
 * Master keys in `evidence-master-keys.json` (mode 0600): the last is current, earlier ones stay until a
 * rotation has re-wrapped everything they wrapped, then they are dropped (and with them, any old copy of a
 * data key wrapped under them becomes useless).
 */
export class FileMasterKeys implements MasterKeyProvider {
  #keys: StoredMasterKey[];

  constructor(private readonly dataDir: DataDir) {
    const content = dataDir.secretFile(FILE, () => Buffer.from(JSON.stringify({ keys: [newKey(1)] })));
    this.#keys = (JSON.parse(content.toString('utf8')) as { keys: StoredMasterKey[] }).keys;
  }

  currentKeyId(): string {
    return (this.#keys[this.#keys.length - 1] as StoredMasterKey).id;
  }

  keyIds(): string[] {
    return this.#keys.map((k) => k.id);
  }

  async wrap(dataKey: Buffer, associatedData: string): Promise<{ keyId: string; wrapped: Buffer }> {
    const current = this.#keys[this.#keys.length - 1] as StoredMasterKey;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(current.key, 'base64'), iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { keyId: current.id, wrapped: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  async unwrap(keyId: string, wrapped: Buffer, associatedData: string): Promise<Buffer> {
    const key = this.#keys.find((k) => k.id === keyId);
    if (!key) throw new Error(`Master key ${keyId} is no longer held`);
    const decipher = createDecipheriv(
      'aes-256-gcm',
      Buffer.from(key.key, 'base64'),
      wrapped.subarray(0, IV_BYTES),
    );
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + 16));
    return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + 16)), decipher.final()]);
  }

  /** Starts a rotation: a new current key, the old ones kept until nothing is wrapped under them. */
  addKey(): string {
    const next = newKey(this.#keys.length + 1);
    this.#write([...this.#keys, next]);
    return next.id;
  }

  /** Ends a rotation: keys other than the current one are dropped from the file. */
  dropAllButCurrent(): void {
    this.#write([this.#keys[this.#keys.length - 1] as StoredMasterKey]);
  }

  #write(keys: StoredMasterKey[]): void {
    this.dataDir.writeSecretFile(FILE, Buffer.from(JSON.stringify({ keys })));
    this.#keys = keys;
  }
}

import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { nodeAuditCrypto } from '../../shared/audit/node-crypto';
import { formatVerifierKey, signNote } from '../../shared/audit/note';
import type { DataDir } from '../data-dir';

const FILE = 'audit-signing-keys.json';

/** What precedes an operator's statement under the audit key's signature (see signOperatorStatement). */
export const OPERATOR_STATEMENT_PREFIX = 'cc-operator-statement/1\n';

interface StoredKey {
  readonly name: string;
  readonly privateKeyPem: string;
  readonly createdAt: string;
}

interface SigningKey {
  readonly name: string;
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
  readonly verifierKey: string;
}

function rawPublicKey(privateKey: KeyObject): Uint8Array {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

function load(stored: StoredKey): SigningKey {
  const privateKey = createPrivateKey(stored.privateKeyPem);
  const publicKey = rawPublicKey(privateKey);
  return {
    name: stored.name,
    privateKey,
    publicKey,
    verifierKey: formatVerifierKey(nodeAuditCrypto, stored.name, publicKey),
  };
}

function newStoredKey(host: string, version: number): StoredKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    name: `${host}/audit/v${version}`,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    createdAt: new Date().toISOString(),
  };
}

/**
 * The Ed25519 keys that sign checkpoints, kept in the data directory (mode 0600). The last is current;
 * earlier ones stay listed so verifiers can still check old checkpoints.
 */
export class AuditSigningKeys {
  #stored: StoredKey[];
  #keys: SigningKey[];

  constructor(
    private readonly dataDir: DataDir,
    private readonly host: string,
  ) {
    const content = dataDir.secretFile(FILE, () =>
      Buffer.from(JSON.stringify({ keys: [newStoredKey(host, 1)] })),
    );
    this.#stored = (JSON.parse(content.toString('utf8')) as { keys: StoredKey[] }).keys;
    this.#keys = this.#stored.map(load);
  }

  get current(): SigningKey {
    return this.#keys[this.#keys.length - 1] as SigningKey;
  }

  /** Every verifier key string, oldest first. */
  get verifierKeys(): string[] {
    return this.#keys.map((k) => k.verifierKey);
  }

  sign(text: string): string {
    const key = this.current;
    return signNote(nodeAuditCrypto, text, key.name, key.publicKey, (message) =>
      sign(null, message, key.privateKey),
    );
  }

  /**
   * Signs a statement the platform operator makes (a break-glass co-signature), with the key auditors pin.
   * The signed bytes start with a fixed line, so no statement can be read as a checkpoint note or vice versa.
   */
  signOperatorStatement(statement: Uint8Array): {
    verifierKey: string;
    publicKey: string;
    signature: string;
  } {
    const key = this.current;
    const message = Buffer.concat([Buffer.from(OPERATOR_STATEMENT_PREFIX), statement]);
    return {
      verifierKey: key.verifierKey,
      publicKey: Buffer.from(key.publicKey).toString('base64'),
      signature: sign(null, message, key.privateKey).toString('base64'),
    };
  }

  /** Makes a successor key without switching to it; `activate` switches once it has been announced. */
  prepareSuccessor(): { verifierKey: string; activate(): void } {
    const stored = newStoredKey(this.host, this.#stored.length + 1);
    const next = load(stored);
    return {
      verifierKey: next.verifierKey,
      activate: () => {
        const all = [...this.#stored, stored];
        this.dataDir.writeSecretFile(FILE, Buffer.from(JSON.stringify({ keys: all })));
        this.#stored = all;
        this.#keys = [...this.#keys, next];
      },
    };
  }
}

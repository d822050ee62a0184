import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import type { TenantScope } from '../db/scope';
import type { DataKey } from './tenant-data-keys';

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

// Derived once per data key and purpose, as KeyObjects (raw bytes cost Node 24 a failed parse per use).
const subkeys = new WeakMap<Buffer, Map<string, KeyObject>>();

function subkey(dataKey: DataKey, purpose: string): KeyObject {
  let derived = subkeys.get(dataKey.key);
  if (!derived) {
    derived = new Map();
    subkeys.set(dataKey.key, derived);
  }
  let key = derived.get(purpose);
  if (!key) {
    key = createSecretKey(Buffer.from(hkdfSync('sha256', dataKey.key, Buffer.alloc(0), purpose, 32)));
    derived.set(purpose, key);
  }
  return key;
}

/**
 * Where a file's encrypted bytes live within its tenant: an HMAC of its SHA-256 under a key only that
 * tenant's data key yields. The same file uploaded by two organizations has two unrelated addresses, so
 * neither the storage nor its names reveal that they hold the same file.
 */
export function blobAddress(dataKey: DataKey, sha256: string): string {
  return createHmac('sha256', subkey(dataKey, 'cc-evidence-address/1')).update(sha256).digest('hex');
}

function contentAad(tenant: TenantScope, sha256: string): Buffer {
  return Buffer.from(`cc-evidence/1:${tenant.organizationId}:${tenant.environment}:${sha256}`, 'utf8');
}

/** AES-256-GCM under the tenant's content key, bound to the tenant and the file's SHA-256. */
export function sealBlob(dataKey: DataKey, tenant: TenantScope, sha256: string, bytes: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', subkey(dataKey, 'cc-evidence-content/1'), iv);
  cipher.setAAD(contentAad(tenant, sha256));
  const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT), iv, cipher.getAuthTag(), body]);
}

/** The clear bytes, or undefined when they were altered, swapped or sealed for another tenant or file. */
export function openBlob(
  dataKey: DataKey,
  tenant: TenantScope,
  sha256: string,
  sealed: Buffer,
): Buffer | undefined {
  if (sealed[0] !== FORMAT || sealed.length < 1 + IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      subkey(dataKey, 'cc-evidence-content/1'),
      sealed.subarray(1, 1 + IV_BYTES),
    );
    decipher.setAAD(contentAad(tenant, sha256));
    decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { deviceKeysApi } from '../../../shared/api/routes';
import { ok, type Result } from '../../../shared/result';
import type { PlatformClient } from '../platform/platform-client';
import type { Profile, Vault } from '../vault/vault';

/** What the keychain holds for a device key: its platform id and the PKCS#8 private key. */
const StoredDeviceKey = z.object({ id: z.string(), pkcs8: z.string() });

export interface DeviceSigner {
  readonly keyId: string;
  sign(bytes: Uint8Array): string;
}

/**
 * The Ed25519 key this console signs approval decisions with, one per profile. Created at first sign-in:
 * the private half goes to the keychain and never leaves this process; the public half is registered
 * with the platform, which checks every decision against it.
 */
export class DeviceKeys {
  constructor(private readonly vault: Vault) {}

  async ensure(profile: Profile, client: PlatformClient): Promise<Result<DeviceSigner>> {
    const existing = await this.signer(profile);
    if (existing) return ok(existing);
    return this.register(profile, client);
  }

  /** A new key registered and stored; the caller revokes the old one if there was one. */
  async register(profile: Profile, client: PlatformClient): Promise<Result<DeviceSigner>> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const registered = await client.call(deviceKeysApi.register, {
      body: {
        name: `Compliance Console on ${hostname().slice(0, 60) || 'this computer'}`,
        publicKey: rawPublicKey(publicKey),
      },
    });
    if (!registered.ok) return registered;
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    await this.vault.put(profile, 'device-signing-key', JSON.stringify({ id: registered.value.id, pkcs8 }));
    return ok(signerOf(registered.value.id, privateKey));
  }

  async signer(profile: Profile): Promise<DeviceSigner | undefined> {
    const text = await this.vault.get(profile, 'device-signing-key');
    if (!text) return undefined;
    const stored = StoredDeviceKey.safeParse(safeJson(text));
    if (!stored.success) return undefined;
    const key = createPrivateKey({
      key: Buffer.from(stored.data.pkcs8, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    return signerOf(stored.data.id, key);
  }
}

function signerOf(keyId: string, privateKey: KeyObject): DeviceSigner {
  return { keyId, sign: (bytes) => sign(null, bytes, privateKey).toString('base64') };
}

export function rawPublicKey(publicKey: KeyObject): string {
  return Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)).toString('base64');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

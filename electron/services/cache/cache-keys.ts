import type { Profile, SecretKind, Vault } from '../vault/vault';
import type { CacheStore } from './cache-store';
import { KEY_BYTES, type KeyScope, masterKeyId, randomKey, unwrapKey, wrapAad, wrapKey } from './envelope';

export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/** A profile's master keys as the keychain holds them: the current one, and the next while rotating. */
export interface KeyRing {
  current: MasterKey;
  next?: MasterKey;
}

/** The key new data keys are wrapped with: the next one during a rotation, so it never has to be redone. */
export function wrappingKey(ring: KeyRing): MasterKey {
  return ring.next ?? ring.current;
}

export function masterById(ring: KeyRing, id: string): MasterKey | undefined {
  if (ring.current.id === id) return ring.current;
  return ring.next?.id === id ? ring.next : undefined;
}

function decode(text: string | undefined): MasterKey | undefined {
  if (!text) return undefined;
  const key = Buffer.from(text, 'base64');
  return key.length === KEY_BYTES ? { id: masterKeyId(key), key } : undefined;
}

const encode = (master: MasterKey) => master.key.toString('base64');

/** The keychain failed (no Secret Service, locked, denied); its own words are not kept. */
export class KeychainUnavailable extends Error {
  constructor() {
    super('The OS keychain is not available');
  }
}

/** The vault, with its failures as KeychainUnavailable. */
function keychain(vault: Vault) {
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch {
      throw new KeychainUnavailable();
    }
  };
  return {
    get: (p: Profile, kind: SecretKind) => call(() => vault.get(p, kind)),
    put: (p: Profile, kind: SecretKind, secret: string) => call(() => vault.put(p, kind, secret)),
    delete: (p: Profile, kind: SecretKind) => call(() => vault.delete(p, kind)),
  };
}

export function scopeKey(scope: KeyScope): string {
  return `${scope.profileKey}\n${scope.organization}\n${scope.environment}`;
}

/**
 * Master keys (OS keychain, one per profile, made on first use) and data keys (one per tenant, stored
 * only wrapped), both kept unwrapped in this process's memory once used, so a read costs no keychain
 * round trip and no unwrap. Nothing here is ever written anywhere but the keychain and, wrapped, the store.
 */
export class CacheKeys {
  private readonly rings = new Map<string, KeyRing>();
  private readonly loading = new Map<string, Promise<KeyRing>>();
  private readonly dataKeys = new Map<string, Buffer>();
  private readonly vault: ReturnType<typeof keychain>;

  constructor(
    vault: Vault,
    private readonly store: CacheStore,
    private readonly now: () => number,
  ) {
    this.vault = keychain(vault);
  }

  /** The tenant's data key if this process already holds it: the read path's fast case. */
  cachedDataKey(scope: KeyScope): Buffer | undefined {
    return this.dataKeys.get(scopeKey(scope));
  }

  /** The profile's key ring, read from the keychain once (creating the master key on first use). */
  async ring(profile: Profile, profileKey: string, reload = false): Promise<KeyRing> {
    const known = this.rings.get(profileKey);
    if (known && !reload) return known;
    let pending = this.loading.get(profileKey);
    if (!pending) {
      pending = this.load(profile).finally(() => this.loading.delete(profileKey));
      this.loading.set(profileKey, pending);
    }
    const ring = await pending;
    this.rings.set(profileKey, ring);
    return ring;
  }

  private async load(profile: Profile): Promise<KeyRing> {
    let current = decode(await this.vault.get(profile, 'cache-master-key'));
    let next = decode(await this.vault.get(profile, 'cache-master-key-next'));
    if (!current && next) {
      // Only the next key is left (the current one was removed outside the cache): it becomes current.
      await this.vault.put(profile, 'cache-master-key', encode(next));
      current = next;
    }
    if (next && next.id === current?.id) {
      await this.vault.delete(profile, 'cache-master-key-next');
      next = undefined;
    }
    if (!current) {
      const key = randomKey();
      current = { id: masterKeyId(key), key };
      await this.vault.put(profile, 'cache-master-key', encode(current));
    }
    return next ? { current, next } : { current };
  }

  /**
   * The tenant's data key: from memory, else unwrapped from its row, else (with `create`) a new random one
   * stored wrapped. A row no key in the keychain can unwrap is useless, and so are the tenant's blobs:
   * they are shredded, and the tenant starts again.
   */
  async dataKey(profile: Profile, scope: KeyScope, create: boolean): Promise<Buffer | undefined> {
    const name = scopeKey(scope);
    let ring = await this.ring(profile, scope.profileKey);
    let row = this.store.dataKey(scope);
    if (row && !masterById(ring, row.masterKeyId)) {
      ring = await this.ring(profile, scope.profileKey, true);
      row = this.store.dataKey(scope);
    }
    // From here on nothing awaits: a key another call settled meanwhile is the one (one object per tenant).
    const known = this.dataKeys.get(name);
    if (known) return known;
    if (row) {
      const master = masterById(ring, row.masterKeyId);
      const key = master && unwrapKey(master.key, row.wrapped, wrapAad(scope, master.id));
      if (key) {
        this.dataKeys.set(name, key);
        return key;
      }
      this.store.shredTenant(scope);
    }
    if (!create) return undefined;
    const master = wrappingKey(ring);
    const key = randomKey();
    if (
      !this.store.insertDataKey(
        scope,
        master.id,
        wrapKey(master.key, key, wrapAad(scope, master.id)),
        this.now(),
      )
    )
      return this.dataKey(profile, scope, create);
    this.dataKeys.set(name, key);
    return key;
  }

  /** Rotation, step one: the next master key goes into the keychain before any row depends on it. */
  async stageNext(profile: Profile, profileKey: string): Promise<KeyRing> {
    const ring = await this.ring(profile, profileKey);
    if (ring.next) return ring;
    const key = randomKey();
    const next = { id: masterKeyId(key), key };
    await this.vault.put(profile, 'cache-master-key-next', encode(next));
    ring.next = next;
    return ring;
  }

  /** Rotation, last step: the next key becomes the current one, and the old one leaves the keychain. */
  async promote(profile: Profile, profileKey: string): Promise<MasterKey> {
    const ring = await this.ring(profile, profileKey);
    const next = ring.next;
    if (!next) return ring.current;
    await this.vault.put(profile, 'cache-master-key', encode(next));
    this.rings.set(profileKey, { current: next });
    await this.vault.delete(profile, 'cache-master-key-next');
    return next;
  }

  forgetTenant(scope: KeyScope): void {
    this.dataKeys.get(scopeKey(scope))?.fill(0);
    this.dataKeys.delete(scopeKey(scope));
  }

  /** Drops the profile's keys from memory and its master keys from the keychain. */
  async forgetProfile(profile: Profile, profileKey: string): Promise<void> {
    for (const [name, key] of this.dataKeys) {
      if (!name.startsWith(`${profileKey}\n`)) continue;
      key.fill(0);
      this.dataKeys.delete(name);
    }
    this.rings.delete(profileKey);
    await this.vault.delete(profile, 'cache-master-key-next');
    await this.vault.delete(profile, 'cache-master-key');
  }

  forgetAll(): void {
    for (const key of this.dataKeys.values()) key.fill(0);
    this.dataKeys.clear();
  }
}

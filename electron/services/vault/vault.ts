import keytar from 'keytar';
import { z } from 'zod';

/**
 * The console's only place for secrets: the OS keychain (Secret Service, macOS Keychain, Windows
 * Credential Manager) through keytar, under one service name, one account per (profile, kind). Nothing
 * else in the main process writes a secret anywhere; nothing here ever logs one.
 */
export const VAULT_SERVICE = 'com.compliance-console.desktop';

export const secretKinds = [
  'refresh-token',
  'api-key',
  'device-signing-key',
  'cache-master-key',
  // A master key being rotated in: kept until every data key is re-wrapped, so a rotation can resume.
  'cache-master-key-next',
] as const;
export const SecretKind = z.enum(secretKinds);
export type SecretKind = z.infer<typeof SecretKind>;

/** A profile is one person on one platform: the platform's origin and the user (or API key) id. */
export const Profile = z.strictObject({
  platformOrigin: z
    .string()
    .url()
    .refine(
      (u) => URL.canParse(u) && new URL(u).origin === u,
      'Expected an origin such as https://platform.example.com',
    ),
  principalId: z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, 'Expected a user or API key id'),
});
export type Profile = z.infer<typeof Profile>;

/** The part of keytar the vault uses; the OS keychain in the app and in tests alike. */
export interface Keychain {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

/** How a profile is spelled as a key: `<platform origin>|<principal id>` (also the cache's key). */
export function profileKeyOf(profile: Profile): string {
  return `${profile.platformOrigin}|${profile.principalId}`;
}

function profileKey(profile: Profile): string {
  return profileKeyOf(Profile.parse(profile));
}

function account(profile: Profile, kind: SecretKind): string {
  return `${profileKey(profile)}#${SecretKind.parse(kind)}`;
}

/**
 * The OS keychain could not be used (no Secret Service on Linux, a locked or missing keychain). Thrown by
 * the vault whatever the keychain's own error said (which can name accounts); the contract's boundary
 * answers it as `keychain-unavailable`, never as an internal error.
 */
export class KeychainUnavailableError extends Error {
  constructor(cause?: unknown) {
    // The keychain's own error stays as the cause, for the console's (scrubbed) log line only.
    super('The OS keychain cannot be used.', cause === undefined ? undefined : { cause });
    this.name = 'KeychainUnavailableError';
  }
}

/** A keychain that does not answer in this time is treated as missing (a locked one can wait on a prompt). */
const KEYCHAIN_TIMEOUT_MS = 10_000;

async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      operation(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new KeychainUnavailableError(new Error('the keychain did not answer in time'))),
          KEYCHAIN_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    throw error instanceof KeychainUnavailableError ? error : new KeychainUnavailableError(error);
  } finally {
    clearTimeout(timer);
  }
}

export class Vault {
  constructor(
    private readonly keychain: Keychain = keytar,
    private readonly service: string = VAULT_SERVICE,
  ) {}

  /**
   * Whether a secret can be kept: one throwaway entry is written and removed. Reading is not enough: a
   * Secret Service started on demand with no unlocked collection lists nothing and then refuses every write.
   */
  async usable(): Promise<boolean> {
    const probe = `#keychain-probe-${process.pid}`;
    try {
      await guarded(() => this.keychain.setPassword(this.service, probe, 'probe'));
      await guarded(() => this.keychain.deletePassword(this.service, probe));
      return true;
    } catch {
      return false;
    }
  }

  async put(profile: Profile, kind: SecretKind, secret: string): Promise<void> {
    if (secret.length === 0 || secret.length > 8192)
      throw new RangeError('A secret must be 1 to 8192 characters');
    const name = account(profile, kind);
    await guarded(() => this.keychain.setPassword(this.service, name, secret));
  }

  async get(profile: Profile, kind: SecretKind): Promise<string | undefined> {
    const name = account(profile, kind);
    return (await guarded(() => this.keychain.getPassword(this.service, name))) ?? undefined;
  }

  async delete(profile: Profile, kind: SecretKind): Promise<boolean> {
    const name = account(profile, kind);
    return guarded(() => this.keychain.deletePassword(this.service, name));
  }

  /** Sign-out: every secret of this profile goes, and no other profile's. */
  async deleteProfile(profile: Profile): Promise<number> {
    const prefix = `${profileKey(profile)}#`;
    const mine = (await guarded(() => this.keychain.findCredentials(this.service))).filter((c) =>
      c.account.startsWith(prefix),
    );
    for (const credential of mine) {
      await guarded(() => this.keychain.deletePassword(this.service, credential.account));
    }
    return mine.length;
  }

  /** The profiles that hold anything, for the profile list; secrets themselves are not returned. */
  async profiles(): Promise<Profile[]> {
    const keys = new Set(
      (await guarded(() => this.keychain.findCredentials(this.service))).map(
        (c) => c.account.split('#')[0] ?? '',
      ),
    );
    return [...keys].flatMap((key) => {
      const [platformOrigin, principalId] = key.split('|');
      const parsed = Profile.safeParse({ platformOrigin, principalId });
      return parsed.success ? [parsed.data] : [];
    });
  }
}

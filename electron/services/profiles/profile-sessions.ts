import type { TokenPair } from '../../../shared/api/auth';
import { authApi } from '../../../shared/api/routes';
import { fail, ok, type Result } from '../../../shared/result';
import { PlatformClient, type TokenSource } from '../platform/platform-client';
import { RefreshingSession } from '../platform/session';
import { keychainUnavailableMessage } from '../vault/keychain-status';
import { KeychainUnavailableError, type Profile, profileKeyOf, type Vault } from '../vault/vault';

/** An API key as a token source: it cannot renew itself. */
export function keyTokens(apiKey: string): TokenSource {
  return {
    token: async () => ok(apiKey),
    renew: async () => fail('unauthenticated', 'The API key is not valid.'),
  };
}

/**
 * The platform clients of the profiles this console holds, side by side: a person's refreshing session
 * or an API key, each read from the keychain when first needed (so they survive a restart) and kept in
 * memory after. Every tenant call names its profile; nothing here has a "current" profile.
 */
export class ProfileSessions {
  readonly #clients = new Map<string, PlatformClient>();

  constructor(
    private readonly vault: Vault,
    private readonly onExpired: (profile: Profile) => Promise<void> | void = () => {},
  ) {}

  /** After a browser sign-in: the refresh token goes to the keychain, the access token stays in memory. */
  async startUserSession(
    profile: Profile,
    tokens: Pick<TokenPair, 'accessToken' | 'expiresIn' | 'refreshToken'>,
  ): Promise<Result<PlatformClient>> {
    const session = new RefreshingSession(profile.platformOrigin, profile, this.vault);
    try {
      await session.start(tokens);
    } catch (error) {
      if (!(error instanceof KeychainUnavailableError)) throw error;
      // A session this console cannot keep must not outlive the sign-in at the platform either.
      await revokeAtPlatform(profile.platformOrigin, tokens.refreshToken);
      return fail('keychain-unavailable', keychainUnavailableMessage);
    }
    return this.#remember(profile, this.#revocable(profile, session));
  }

  async rememberApiKey(profile: Profile, apiKey: string): Promise<Result<PlatformClient>> {
    try {
      await this.vault.put(profile, 'api-key', apiKey);
    } catch (error) {
      if (!(error instanceof KeychainUnavailableError)) throw error;
      return fail('keychain-unavailable', keychainUnavailableMessage);
    }
    return this.#remember(profile, this.#revocable(profile, keyTokens(apiKey)));
  }

  async client(profile: Profile): Promise<Result<PlatformClient>> {
    const known = this.#clients.get(profileKeyOf(profile));
    if (known) return ok(known);
    const apiKey = await this.vault.get(profile, 'api-key');
    if (apiKey) return this.#remember(profile, this.#revocable(profile, keyTokens(apiKey)));
    if (await this.vault.get(profile, 'refresh-token')) {
      const session = new RefreshingSession(profile.platformOrigin, profile, this.vault);
      return this.#remember(profile, this.#revocable(profile, session));
    }
    return fail('unauthenticated', 'This profile is signed out; sign in again.');
  }

  kindOf(profile: Profile): Promise<'user' | 'api-key'> {
    return this.vault.get(profile, 'api-key').then((key) => (key ? 'api-key' : 'user'));
  }

  forget(profile: Profile): void {
    this.#clients.delete(profileKeyOf(profile));
  }

  #remember(profile: Profile, tokens: TokenSource): Result<PlatformClient> {
    const client = PlatformClient.create(profile.platformOrigin, tokens);
    if (client.ok) this.#clients.set(profileKeyOf(profile), client.value);
    return client;
  }

  /**
   * A credential the platform no longer accepts (a refused refresh, a revoked or expired API key) is a
   * remote revocation: the profile is forgotten here and `onExpired` tells the rest of the console.
   */
  #revocable(profile: Profile, session: TokenSource): TokenSource {
    const expired = async (result: Result<string>) => {
      if (!result.ok && result.error.code === 'unauthenticated') {
        this.forget(profile);
        await this.onExpired(profile);
      }
      return result;
    };
    return {
      token: () => session.token().then(expired),
      renew: (rejected?: string) => session.renew(rejected).then(expired),
    };
  }
}

/** Ends a session at the platform (its whole token family), best effort: sign-out answers 204 either way. */
export async function revokeAtPlatform(platformOrigin: string, refreshToken: string): Promise<void> {
  const client = PlatformClient.create(platformOrigin);
  if (!client.ok) return;
  await client.value.call(authApi.signOut, { body: { refreshToken } });
}

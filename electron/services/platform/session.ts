import type { TokenPair } from '../../../shared/api/auth';
import { authApi } from '../../../shared/api/routes';
import { fail, ok, type Result } from '../../../shared/result';
import type { Profile, Vault } from '../vault/vault';
import type { TokenSource } from './platform-client';

const REFRESH_MARGIN_MS = 60_000;
const ended = 'The session has ended; sign in again.';

/**
 * A signed-in person's tokens: the access token in memory only, the refresh token in the OS keychain.
 * It refreshes ahead of expiry, and again when the platform says 401; each refresh rotates the refresh
 * token, and the new one replaces the old in the keychain before it is used.
 */
export class RefreshingSession implements TokenSource {
  #accessToken: string | undefined;
  #expiresAt = 0;
  #refreshing: Promise<Result<string>> | undefined;

  constructor(
    private readonly origin: string,
    private readonly profile: Profile,
    private readonly vault: Vault,
    private readonly now: () => number = Date.now,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** After a sign-in: the refresh token goes to the keychain; the access token stays here. */
  async start(tokens: Pick<TokenPair, 'accessToken' | 'expiresIn' | 'refreshToken'>): Promise<void> {
    await this.vault.put(this.profile, 'refresh-token', tokens.refreshToken);
    this.#accessToken = tokens.accessToken;
    this.#expiresAt = this.now() + tokens.expiresIn * 1000;
  }

  async token(): Promise<Result<string>> {
    if (this.#accessToken && this.now() < this.#expiresAt - REFRESH_MARGIN_MS) return ok(this.#accessToken);
    return this.renew();
  }

  /**
   * One refresh at a time: concurrent callers share it, so a refresh token is never presented twice. A
   * caller whose token was refused after someone else's refresh already replaced it gets the new token
   * instead of a second refresh (a 401 can arrive after the refresh it raced with has finished).
   */
  renew(rejected?: string): Promise<Result<string>> {
    if (!this.#refreshing && rejected !== undefined && this.#accessToken && this.#accessToken !== rejected) {
      return Promise.resolve(ok(this.#accessToken));
    }
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<Result<string>> {
    const refreshToken = await this.vault.get(this.profile, 'refresh-token');
    if (!refreshToken) return fail('unauthenticated', ended);
    let reply: Response;
    try {
      // Not through PlatformClient, whose own calls ask this session for tokens; the route is the declared one.
      reply = await this.fetchImpl(`${this.origin}${authApi.refresh.path}`, {
        method: authApi.refresh.method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
        redirect: 'error',
      });
    } catch {
      return fail('unavailable', 'The platform cannot be reached. Check the address and your connection.');
    }
    if (reply.status === 401) {
      this.#accessToken = undefined;
      await this.vault.delete(this.profile, 'refresh-token');
      return fail('unauthenticated', ended);
    }
    const parsed = authApi.refresh.reply.safeParse(await reply.json().catch(() => undefined));
    if (!reply.ok || !parsed.success) return fail('unavailable', 'The platform could not renew the session.');
    await this.start(parsed.data);
    return ok(parsed.data.accessToken);
  }
}

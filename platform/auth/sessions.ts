import type { TokenPair } from '../../shared/api/auth';
import { fail, ok, type Result } from '../../shared/result';
import type { Clock } from '../clock';
import { secretMatches, sha256 } from '../crypto/hash';
import { newId, newSecret } from '../crypto/random';
import type { SealedBox } from '../crypto/sealed-box';
import type { Stores } from '../db/stores';
import type { UserRow } from '../db/users';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessTokens } from './access-tokens';
import { passwordMatches, spendPasswordCheck } from './passwords';
import { matchTotpStep } from './totp';

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

const invalidCredentials = 'The e-mail address, password or one-time code is not correct.';

export function totpSeedAad(userId: string): string {
  return `totp-seed:${userId}`;
}

/**
 * Sign-in and the token layer. `issueSession` is the one way a session starts, whichever way the person
 * proved who they are, so the desktop's browser sign-in reuses it unchanged.
 */
export class Sessions {
  constructor(
    private readonly stores: Stores,
    private readonly tokens: AccessTokens,
    private readonly sealedBox: SealedBox,
    private readonly clock: Clock,
  ) {}

  /** Password and TOTP; any wrong part gets the same answer, and the code's time step is used once. */
  async signIn(
    email: string,
    password: string,
    totp: string,
  ): Promise<Result<{ user: UserRow; tokens: TokenPair }>> {
    const user = this.stores.users.findByEmail(email);
    if (!user || user.disabled_at !== null) {
      await spendPasswordCheck(password);
      return fail('invalid-credentials', invalidCredentials);
    }
    if (!(await passwordMatches(user.password_hash, password)))
      return fail('invalid-credentials', invalidCredentials);
    const seed = this.sealedBox.open(user.totp_seed_sealed, totpSeedAad(user.id));
    const now = this.clock.now();
    const step = matchTotpStep(seed, totp, now);
    if (step === undefined || !this.stores.users.claimTotpStep(user.id, step)) {
      return fail('invalid-credentials', invalidCredentials);
    }
    return ok({ user, tokens: await this.issueSession(user.id) });
  }

  async issueSession(userId: string): Promise<TokenPair> {
    const now = this.clock.now();
    const familyId = newId('fam');
    this.stores.refreshTokens.createFamily(familyId, userId, now);
    return this.#issuePair(userId, familyId, now);
  }

  /** Rotates a refresh token. Presenting one that was already used revokes its whole family. */
  async refresh(presented: string): Promise<Result<TokenPair>> {
    const now = this.clock.now();
    const token = this.#resolve(presented);
    if (!token || token.family_revoked_at !== null || token.expires_at <= now) {
      return fail('unauthenticated', 'The session has ended; sign in again.');
    }
    if (!this.stores.refreshTokens.claim(token.id, now)) {
      this.stores.refreshTokens.revokeFamily(token.family_id, now);
      return fail('unauthenticated', 'The session has ended; sign in again.');
    }
    return ok(await this.#issuePair(token.user_id, token.family_id, now));
  }

  signOut(presented: string): void {
    const token = this.#resolve(presented);
    if (token) this.stores.refreshTokens.revokeFamily(token.family_id, this.clock.now());
  }

  #resolve(presented: string) {
    const [id, secret] = presented.split('.');
    if (!id || !secret) return undefined;
    const token = this.stores.refreshTokens.find(id);
    return token && secretMatches(secret, token.secret_sha256) ? token : undefined;
  }

  async #issuePair(userId: string, familyId: string, now: number): Promise<TokenPair> {
    const id = newId('rt');
    const secret = newSecret();
    this.stores.refreshTokens.insert(
      id,
      familyId,
      sha256(secret),
      now,
      now + REFRESH_TOKEN_TTL_SECONDS * 1000,
    );
    return {
      tokenType: 'Bearer',
      accessToken: await this.tokens.issue({ userId, familyId }, now),
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      refreshToken: `${id}.${secret}`,
      refreshExpiresIn: REFRESH_TOKEN_TTL_SECONDS,
    };
  }
}

import type { TokenPair } from '../../shared/api/auth';
import type { AuditRequestMeta } from '../../shared/audit/format';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { secretMatches, sha256 } from '../crypto/hash';
import { newId, newSecret } from '../crypto/random';
import type { SealedBox } from '../crypto/sealed-box';
import { orgScope, tenantScope } from '../db/scope';
import type { Stores } from '../db/stores';
import type { UserRow } from '../db/users';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessTokens } from './access-tokens';
import { passwordMatches, spendPasswordCheck } from './passwords';
import { SignInThrottle } from './sign-in-throttle';
import { matchTotpStep } from './totp';

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

const invalidCredentials = 'The e-mail address, password or one-time code is not correct.';
const sessionEnded = 'The session has ended; sign in again.';

export function totpSeedAad(userId: string): string {
  return `totp-seed:${userId}`;
}

type SignInFailure = 'password' | 'totp' | 'totp-replayed';

/**
 * Sign-in and the token layer. `startSession` is the one way a session starts, whichever way the person
 * proved who they are, so the desktop's browser sign-in reuses it unchanged.
 */
export class Sessions {
  readonly #throttle: SignInThrottle;

  constructor(
    private readonly stores: Stores,
    private readonly tokens: AccessTokens,
    private readonly sealedBox: SealedBox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {
    this.#throttle = new SignInThrottle(stores, audit);
  }

  /**
   * Password and TOTP; any wrong part gets the same answer, and the code's time step is used once. Each
   * attempt on a known account is recorded in the live audit log of every organization it belongs to.
   * Both ways in (the API's sign-in and the desktop's browser sign-in) prove the person here.
   */
  async verifyCredentials(
    email: string,
    password: string,
    totp: string,
    request: AuditRequestMeta | null,
  ): Promise<Result<UserRow>> {
    const found = await this.stores.users.findByEmail(email);
    const user = found && found.disabled_at === null ? found : undefined;
    const attempt = await this.#throttle.begin(email, user?.id, request, this.clock.now());
    if (!attempt.ok) return attempt;
    const refuse = async (failure: SignInFailure): Promise<Result<UserRow>> => {
      if (user) await this.#recordSignIn(user.id, request, failure);
      await this.#throttle.failed(attempt.value, this.clock.now());
      return fail('invalid-credentials', invalidCredentials);
    };
    if (!user) {
      // Nothing to attribute an unknown address to, and what was typed may be a misplaced password.
      await spendPasswordCheck(password);
      await this.#throttle.failed(attempt.value, this.clock.now());
      return fail('invalid-credentials', invalidCredentials);
    }
    if (!(await passwordMatches(user.password_hash, password))) return refuse('password');
    const seed = this.sealedBox.open(user.totp_seed_sealed, totpSeedAad(user.id));
    const step = matchTotpStep(seed, totp, this.clock.now());
    if (step === undefined) return refuse('totp');
    // Only database work from here on: the password was checked before the transaction opened.
    return this.stores.db.transaction(async (): Promise<Result<UserRow>> => {
      if (!(await this.stores.users.claimTotpStep(user.id, step))) return refuse('totp-replayed');
      await this.#recordSignIn(user.id, request, undefined);
      await this.stores.users.recordSignIn(user.id, this.clock.now());
      await this.#throttle.succeeded(attempt.value, this.clock.now());
      return ok(user);
    });
  }

  async signIn(
    email: string,
    password: string,
    totp: string,
    request: AuditRequestMeta | null,
  ): Promise<Result<{ user: UserRow; tokens: TokenPair }>> {
    const user = await this.verifyCredentials(email, password, totp, request);
    if (!user.ok) return user;
    return ok({ user: user.value, tokens: await this.issueSession(user.value.id) });
  }

  async issueSession(userId: string): Promise<TokenPair> {
    return (await this.startSession(userId)).tokens;
  }

  /** A new token family for a proven user: the one way a session starts. */
  async startSession(userId: string): Promise<{ tokens: TokenPair; familyId: string }> {
    const session = await this.#prepareSession(userId);
    return { tokens: await session.commit(), familyId: session.familyId };
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.stores.refreshTokens.revokeFamily(familyId, this.clock.now());
  }

  /** Rotates a refresh token. Presenting one that was already used revokes its whole family. */
  async refresh(presented: string): Promise<Result<TokenPair>> {
    const now = this.clock.now();
    const token = await this.#resolve(presented);
    if (!token || token.family_revoked_at !== null || token.expires_at <= now) {
      return fail('unauthenticated', sessionEnded);
    }
    const next = await this.#preparePair(token.user_id, token.family_id, now);
    return this.stores.db.transaction(async (): Promise<Result<TokenPair>> => {
      if (!(await this.stores.refreshTokens.claim(token.id, now))) {
        await this.stores.refreshTokens.revokeFamily(token.family_id, now);
        return fail('unauthenticated', sessionEnded);
      }
      return ok(await next.commit());
    });
  }

  async signOut(presented: string): Promise<void> {
    const token = await this.#resolve(presented);
    if (token) await this.stores.refreshTokens.revokeFamily(token.family_id, this.clock.now());
  }

  async #recordSignIn(
    userId: string,
    request: AuditRequestMeta | null,
    failure: SignInFailure | undefined,
  ): Promise<void> {
    await this.stores.db.transaction(async () => {
      for (const org of await this.stores.organizations.listForUser(userId)) {
        await this.audit.append(
          tenantScope(orgScope(org.id, org.slug), 'live'),
          {
            actor: { type: 'user', id: userId },
            request,
          },
          {
            action: 'auth.sign_in',
            resource: { type: 'user', id: userId },
            change: failure ? { before: null, after: { failed: failure } } : null,
            outcome: failure ? 'failure' : 'success',
          },
        );
      }
    });
  }

  async #resolve(presented: string) {
    const [id, secret] = presented.split('.');
    if (!id || !secret) return undefined;
    const token = await this.stores.refreshTokens.find(id);
    return token && secretMatches(secret, token.secret_sha256) ? token : undefined;
  }

  /** Signs what needs signing first (async), so the database writes can run in one synchronous transaction. */
  async #prepareSession(userId: string): Promise<{ familyId: string; commit(): Promise<TokenPair> }> {
    const now = this.clock.now();
    const familyId = newId('fam');
    const pair = await this.#preparePair(userId, familyId, now);
    return {
      familyId,
      commit: () =>
        this.stores.db.transaction(async () => {
          await this.stores.refreshTokens.createFamily(familyId, userId, now);
          return pair.commit();
        }),
    };
  }

  async #preparePair(
    userId: string,
    familyId: string,
    now: number,
  ): Promise<{ commit(): Promise<TokenPair> }> {
    const id = newId('rt');
    const secret = newSecret();
    const accessToken = await this.tokens.issue({ userId, familyId }, now);
    return {
      commit: async () => {
        await this.stores.refreshTokens.insert(
          id,
          familyId,
          sha256(secret),
          now,
          now + REFRESH_TOKEN_TTL_SECONDS * 1000,
        );
        return {
          tokenType: 'Bearer',
          accessToken,
          expiresIn: ACCESS_TOKEN_TTL_SECONDS,
          refreshToken: `${id}.${secret}`,
          refreshExpiresIn: REFRESH_TOKEN_TTL_SECONDS,
        };
      },
    };
  }
}

import { createHash } from 'node:crypto';
import type { AuditRequestMeta } from '../../shared/audit/format';
import { fail, ok, type Result } from '../../shared/result';
import { clockTime, Throttle } from '../access/throttle';
import type { AuditLog } from '../audit/audit-log';
import { orgScope, tenantScope } from '../db/scope';
import type { Stores } from '../db/stores';

const MINUTE = 60_000;
const KNOWN_SOURCE_DAYS = 90;

/** One sign-in attempt's counters: which account, from where, and whether that place is known for it. */
export interface SignInAttempt {
  readonly userId: string | undefined;
  readonly source: string;
  readonly pairKey: string;
  readonly accountKey: string;
  readonly knownSource: boolean;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Per-account throttling that an attacker cannot turn against the real person. Two counters:
 * - per account and source (IP): five wrong guesses in fifteen minutes lock that pair, for a minute at
 *   first and twice as long each time after (at most half an hour);
 * - per account, from sources it has never signed in from: twenty in an hour lock the account to new
 *   sources for half an hour. Places the person signed in from in the last 90 days are not locked, so a
 *   guesser elsewhere cannot lock the owner out of their usual machine.
 * Unknown addresses are counted the same way, so the answers do not reveal which accounts exist. Each lock
 * is recorded in the account's organizations' live logs.
 */
export class SignInThrottle {
  readonly #pair: Throttle;
  readonly #account: Throttle;

  constructor(
    private readonly stores: Stores,
    private readonly audit: AuditLog,
  ) {
    this.#pair = new Throttle(stores.throttles, {
      maxFailures: 5,
      windowMs: 15 * MINUTE,
      lockMs: (lockouts) => Math.min(MINUTE * 2 ** lockouts, 30 * MINUTE),
    });
    this.#account = new Throttle(stores.throttles, {
      maxFailures: 20,
      windowMs: 60 * MINUTE,
      lockMs: () => 30 * MINUTE,
    });
  }

  /** Refuses at once while a lock holds (no password is checked then); otherwise names the counters. */
  async begin(
    email: string,
    userId: string | undefined,
    request: AuditRequestMeta | null,
    now: number,
  ): Promise<Result<SignInAttempt>> {
    const account = email.trim().toLowerCase();
    const source = request?.ip ?? 'unknown';
    const attempt: SignInAttempt = {
      userId,
      source,
      pairKey: `sign-in:pair:${digest(`${account}\n${source}`)}`,
      accountKey: `sign-in:account:${digest(account)}`,
      knownSource:
        userId !== undefined &&
        (await this.stores.throttles.isKnownSource(
          userId,
          source,
          now - KNOWN_SOURCE_DAYS * 24 * 60 * MINUTE,
        )),
    };
    const until = Math.max(
      (await this.#pair.lockedUntil(attempt.pairKey, now)) ?? 0,
      attempt.knownSource ? 0 : ((await this.#account.lockedUntil(attempt.accountKey, now)) ?? 0),
    );
    if (until > now) {
      return fail(
        'rate-limited',
        `Too many sign-in attempts for this account from here. Try again after ${clockTime(until)}.`,
      );
    }
    return ok(attempt);
  }

  failed(attempt: SignInAttempt, now: number): Promise<void> {
    return this.stores.db.transaction(async () => {
      const pair = await this.#pair.fail(attempt.pairKey, now);
      const account = attempt.knownSource ? undefined : await this.#account.fail(attempt.accountKey, now);
      if (pair.lockedUntil !== undefined) await this.#record(attempt, 'source', pair.lockedUntil);
      if (account?.lockedUntil !== undefined) await this.#record(attempt, 'new-sources', account.lockedUntil);
    });
  }

  async succeeded(attempt: SignInAttempt, now: number): Promise<void> {
    await this.#pair.succeed(attempt.pairKey);
    if (attempt.userId) await this.stores.throttles.rememberSource(attempt.userId, attempt.source, now);
  }

  async #record(attempt: SignInAttempt, scope: 'source' | 'new-sources', until: number): Promise<void> {
    if (!attempt.userId) return;
    for (const org of await this.stores.organizations.listForUser(attempt.userId)) {
      await this.audit.append(
        tenantScope(orgScope(org.id, org.slug), 'live'),
        { actor: { type: 'system', id: 'platform' }, request: null },
        {
          action: 'auth.sign_in_throttled',
          resource: { type: 'user', id: attempt.userId },
          change: {
            before: null,
            after: { scope, source: attempt.source, until: new Date(until).toISOString() },
          },
          outcome: 'failure',
        },
      );
    }
  }
}

import type { Database } from './database';
import type { ThrottlesTable } from './tables';

export type ThrottleRow = ThrottlesTable;

/** Failure counters and lockouts, and the places each person has signed in from before. */
export class ThrottleStore {
  constructor(private readonly db: Database) {}

  get(key: string): Promise<ThrottleRow | undefined> {
    return this.db.global((q) =>
      q.selectFrom('throttles').selectAll().where('key', '=', key).executeTakeFirst(),
    );
  }

  async put(row: ThrottleRow): Promise<void> {
    await this.db.global((q) =>
      q
        .insertInto('throttles')
        .values(row)
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            failures: eb.ref('excluded.failures'),
            window_start: eb.ref('excluded.window_start'),
            locked_until: eb.ref('excluded.locked_until'),
            lockouts: eb.ref('excluded.lockouts'),
          })),
        )
        .execute(),
    );
  }

  /**
   * Holds `key`'s counter until the transaction ends, so that reading and writing it again is not interleaved
   * with another process doing the same: two wrong guesses at once must count as two, on any instance.
   */
  async lock(key: string): Promise<void> {
    await this.db.lock(`throttle/${key}`);
  }

  async clear(key: string): Promise<void> {
    await this.db.global((q) => q.deleteFrom('throttles').where('key', '=', key).execute());
  }

  async rememberSource(userId: string, source: string, now: number): Promise<void> {
    await this.db.global((q) =>
      q
        .insertInto('known_sign_in_sources')
        .values({ user_id: userId, source, last_at: now })
        .onConflict((oc) =>
          oc.columns(['user_id', 'source']).doUpdateSet((eb) => ({ last_at: eb.ref('excluded.last_at') })),
        )
        .execute(),
    );
  }

  async isKnownSource(userId: string, source: string, since: number): Promise<boolean> {
    const row = await this.db.global((q) =>
      q
        .selectFrom('known_sign_in_sources')
        .select('user_id')
        .where('user_id', '=', userId)
        .where('source', '=', source)
        .where('last_at', '>=', since)
        .executeTakeFirst(),
    );
    return row !== undefined;
  }
}

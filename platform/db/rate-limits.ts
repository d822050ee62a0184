import type { Database } from './database';

export interface Hits {
  /** Hits in the current window, this one included. */
  readonly hits: number;
  /** When the current window ends (ms). */
  readonly windowEnds: number;
}

/**
 * Fixed-window counters (per client address and route, per refused API key, ...) in the database, so every
 * platform process behind a load balancer counts against the same number. Keys name what is counted.
 */
export class RateLimitStore {
  constructor(private readonly db: Database) {}

  /**
   * Counts one hit in one statement (an upsert that restarts an ended window), so concurrent hits from
   * several processes are each counted once, with no read-then-write between them.
   */
  async hit(key: string, windowMs: number, now: number): Promise<Hits> {
    const ends = now + windowMs;
    const row = await this.db.global((q) =>
      q
        .insertInto('rate_limits')
        .values({ key, hits: 1, window_ends: ends })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => {
            const ended = eb('rate_limits.window_ends', '<=', now);
            return {
              hits: eb
                .case()
                .when(ended)
                .then(1)
                .else(eb('rate_limits.hits', '+', 1))
                .end(),
              window_ends: eb.case().when(ended).then(ends).else(eb.ref('rate_limits.window_ends')).end(),
            };
          }),
        )
        .returning(['hits', 'window_ends'])
        .executeTakeFirstOrThrow(),
    );
    return { hits: Number(row.hits), windowEnds: Number(row.window_ends) };
  }

  /** Forgets windows that ended before `now`: a counter whose window has ended counts from 1 anyway. */
  async prune(now: number): Promise<void> {
    await this.db.global((q) => q.deleteFrom('rate_limits').where('window_ends', '<=', now).execute());
  }
}

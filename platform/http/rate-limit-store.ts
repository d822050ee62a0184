import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Clock } from '../clock';
import type { RateLimitStore } from '../db/rate-limits';

/** Ended windows are swept about this often by each process (a counter past its window restarts anyway). */
const PRUNE_EVERY_MS = 5 * 60_000;

/**
 * @fastify/rate-limit's per-route limits, counted in the database instead of each process's memory: with
 * several platform processes behind a load balancer, a client's requests are counted against one number
 * whichever process answers them. (The platform's throttles in access/throttle.ts are a different thing:
 * failure counters with lockouts, for guessing; these count every request to a limited route.)
 */
export function databaseRateLimitStore(store: RateLimitStore, clock: Clock): FastifyRateLimitStoreCtor {
  let lastPrune = clock.now();
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    readonly #prefix: string;

    constructor(options: object) {
      // Each limited route counts on its own, as the plugin's in-memory store does (one LRU per route). The
      // plugin hands `child` the route's merged limit options, with the route under routeInfo.
      const route = (options as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
      this.#prefix = route?.url ? `route:${String(route.method)} ${route.url}:` : 'global:';
    }

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const now = clock.now();
      if (now - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = now;
        store.prune(now).catch(() => {});
      }
      store.hit(`${this.#prefix}${key}`, timeWindow, now).then(
        ({ hits, windowEnds }) => callback(null, { current: hits, ttl: Math.max(0, windowEnds - now) }),
        (error: unknown) => callback(error instanceof Error ? error : new Error('rate limit store failed')),
      );
    }

    child(routeOptions: object): FastifyRateLimitStore {
      return new DatabaseRateLimitStore(routeOptions);
    }
  }
  return DatabaseRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}

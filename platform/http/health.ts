import { sql } from 'kysely';
import type { PlatformContext } from '../context';
import { Problem } from './problem';

/** A load balancer asks often; one database round trip per second per process answers them all. */
const CACHE_MS = 1000;

/**
 * `GET /v1/health`, for a load balancer: 200 while this process can reach its database, 503 when it
 * cannot (an instance that cannot reach it can answer nothing useful, so it should get no traffic), and
 * 503 once the process is closing (Fastify's return503OnClosing). It says nothing about why.
 */
export function healthCheck(ctx: PlatformContext) {
  let checked: { at: number; ok: Promise<boolean> } | undefined;
  const reachable = (): Promise<boolean> => {
    const now = Date.now();
    if (!checked || now - checked.at >= CACHE_MS) {
      const ok = ctx.stores.db
        .global((db) => sql`SELECT 1`.execute(db))
        .then(
          () => true,
          () => false,
        );
      checked = { at: now, ok };
    }
    return checked.ok;
  };
  return async () => {
    if (!(await reachable())) {
      throw new Problem({ code: 'unavailable', message: 'The platform cannot reach its database.' });
    }
    return { status: 'ok' as const };
  };
}

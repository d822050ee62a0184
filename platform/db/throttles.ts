import type { Db } from './database';

export interface ThrottleRow {
  key: string;
  failures: number;
  window_start: number;
  locked_until: number;
  lockouts: number;
}

/** Failure counters and lockouts, and the places each person has signed in from before. */
export class ThrottleStore {
  readonly #get;
  readonly #put;
  readonly #clear;
  readonly #touchSource;
  readonly #knownSource;

  constructor(db: Db) {
    this.#get = db.prepare<[string], ThrottleRow>('SELECT * FROM throttles WHERE key = ?');
    this.#put = db.prepare<ThrottleRow>(
      `INSERT INTO throttles (key, failures, window_start, locked_until, lockouts)
       VALUES (@key, @failures, @window_start, @locked_until, @lockouts)
       ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
         locked_until = excluded.locked_until, lockouts = excluded.lockouts`,
    );
    this.#clear = db.prepare<[string]>('DELETE FROM throttles WHERE key = ?');
    this.#touchSource = db.prepare<[string, string, number]>(
      `INSERT INTO known_sign_in_sources (user_id, source, last_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id, source) DO UPDATE SET last_at = excluded.last_at`,
    );
    this.#knownSource = db.prepare<[string, string, number], { n: number }>(
      'SELECT count(*) AS n FROM known_sign_in_sources WHERE user_id = ? AND source = ? AND last_at >= ?',
    );
  }

  get(key: string): ThrottleRow | undefined {
    return this.#get.get(key);
  }

  put(row: ThrottleRow): void {
    this.#put.run(row);
  }

  clear(key: string): void {
    this.#clear.run(key);
  }

  rememberSource(userId: string, source: string, now: number): void {
    this.#touchSource.run(userId, source, now);
  }

  isKnownSource(userId: string, source: string, since: number): boolean {
    return (this.#knownSource.get(userId, source, since)?.n ?? 0) > 0;
  }
}

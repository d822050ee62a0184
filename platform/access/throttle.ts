import type { ThrottleStore } from '../db/throttles';

/** How many failures a window allows, and how long the lock that follows lasts (growing with each lockout). */
export interface ThrottleRule {
  readonly maxFailures: number;
  readonly windowMs: number;
  lockMs(lockouts: number): number;
}

export interface FailureOutcome {
  /** Failures left in this window before the lock; 0 when this failure locked it. */
  readonly remaining: number;
  /** Set when this failure started a lock. */
  readonly lockedUntil: number | undefined;
}

/**
 * A failure counter with a lockout, stored in the database so that it holds across restarts and across
 * several platform processes. Callers run it inside the transaction that checks the guess.
 */
export class Throttle {
  constructor(
    private readonly store: ThrottleStore,
    private readonly rule: ThrottleRule,
  ) {}

  /** When the lock on `key` ends, if one is in force. */
  async lockedUntil(key: string, now: number): Promise<number | undefined> {
    const row = await this.store.get(key);
    return row && row.locked_until > now ? row.locked_until : undefined;
  }

  async fail(key: string, now: number): Promise<FailureOutcome> {
    await this.store.lock(key);
    const row = await this.store.get(key);
    const fresh = !row || now - row.window_start >= this.rule.windowMs || row.locked_until > 0;
    const failures = fresh ? 1 : row.failures + 1;
    const lockouts = row?.lockouts ?? 0;
    if (failures >= this.rule.maxFailures) {
      const lockedUntil = now + this.rule.lockMs(lockouts);
      await this.store.put({
        key,
        failures,
        window_start: now,
        locked_until: lockedUntil,
        lockouts: lockouts + 1,
      });
      return { remaining: 0, lockedUntil };
    }
    await this.store.put({
      key,
      failures,
      window_start: fresh ? now : (row?.window_start ?? now),
      locked_until: 0,
      lockouts,
    });
    return { remaining: this.rule.maxFailures - failures, lockedUntil: undefined };
  }

  async succeed(key: string): Promise<void> {
    await this.store.clear(key);
  }
}

/** "14:32 UTC": when a lock ends, for a person to read. */
export function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

import type { LogHead } from '../db/audit';
import type { TenantScope } from '../db/scope';

/** Logs whose last head this process remembers; beyond it the least recently appended are forgotten. */
const REMEMBERED_LOGS = 4096;

/**
 * How long a group that took a log's lock waits for the outcome of this process's previous group of that
 * log (its COMMIT's reply, which arrives at about the moment the lock does) before reading the head from the
 * database instead. A bound, so that a previous group whose reply never comes cannot hold the lock up.
 */
const OUTCOME_WAIT_MS = 20;

/**
 * The head each log had after the last group this process wrote to it, once that group committed: a hint
 * that saves the next group the round trip of reading the head under the lock. Never trusted alone: the
 * next group's insert checks that the log still holds exactly that many entries, and reads the head from
 * the database when it does not (another process or a domain write appended meanwhile).
 */
export class KnownHeads {
  readonly #heads = new Map<string, Promise<LogHead | undefined>>();

  /** The head to try, if this process knows one; call with the log's lock held. */
  async current(scope: TenantScope): Promise<LogHead | undefined> {
    const head = this.#heads.get(key(scope));
    if (!head) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, OUTCOME_WAIT_MS, undefined);
    });
    try {
      return await Promise.race([head, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A group's head, set before its COMMIT is sent: the next group takes the lock the moment this one
   * commits and then waits for `committed` (true once COMMIT succeeded) rather than reading the head.
   */
  offer(scope: TenantScope, committed: Promise<boolean>, head: () => LogHead | undefined): void {
    const id = key(scope);
    this.#heads.delete(id);
    this.#heads.set(
      id,
      committed.then((ok) => (ok ? head() : undefined)),
    );
    if (this.#heads.size > REMEMBERED_LOGS) {
      const oldest = this.#heads.keys().next().value;
      if (oldest !== undefined) this.#heads.delete(oldest);
    }
  }

  /** An append this process makes some other way (inside a domain write's transaction). */
  forget(scope: TenantScope): void {
    this.#heads.delete(key(scope));
  }
}

function key(scope: TenantScope): string {
  return `${scope.organizationId}/${scope.environment}`;
}

import type { TenantScope } from '../db/scope';

/**
 * Why a group's transaction failed, as far as its items are concerned:
 * - `rolled-back`: a statement (or the work between statements) failed before COMMIT was sent, so nothing
 *   of the group is in the database and each item may be written again;
 * - `in-doubt`: COMMIT itself failed. PostgreSQL answers a COMMIT with an error only when it rolled back,
 *   but a connection lost while COMMIT was in flight leaves the outcome unknown, and writing the items again
 *   could record them twice. So they are never written again: their callers get the error (no 2xx reply),
 *   which the log's promise allows (a write that got no 2xx may or may not be in it).
 */
export class GroupFailure extends Error {
  override readonly name = 'GroupFailure';

  constructor(
    readonly outcome: 'rolled-back' | 'in-doubt',
    override readonly cause: unknown,
  ) {
    super('An audit group commit failed', { cause });
  }
}

interface Waiting<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

interface Queue<I, O> {
  waiting: Waiting<I, O>[];
  /** Transactions of this log this process has open or opening (at most RUNNERS). */
  runners: number;
}

/**
 * Transactions one process keeps open per log: one writing its group, and one already begun and waiting
 * for the log's lock, so that it takes the lock the moment the other commits and then claims everything
 * that arrived meanwhile. BEGIN and the lock request are off the critical path; what the lock serializes is
 * only the group's reads, writes and commit. More would only wait in line for the same lock, each holding a
 * pooled connection.
 */
const RUNNERS = 2;

/**
 * Group commit for one process's appends to each log: items that arrive while the log's previous group is
 * being committed wait, and are then written together in ONE transaction (`write`), so a log pays one commit
 * (one WAL flush) per group instead of one per item. Nothing waits for a timer: a lone item goes at once,
 * and a group is as large as the load made it while the previous commit was in flight (at most `maxGroup`).
 *
 * `write` opens a transaction, takes the log's lock, and only then calls `claim` for the group's items:
 * what the group holds is decided under the lock, so a transaction that waited for it takes everything
 * queued by then. Groups of one log are written in arrival order; logs are independent. Across processes
 * nothing here is shared: `write` takes the log's lock in the database and reads what it needs from there.
 *
 * A failed group loses and duplicates nothing: when its transaction rolled back, its halves are written
 * again separately (recursively), so an item that cannot be written (one the database refuses, one that does
 * not serialize) fails alone and every other item is written once. An in-doubt group is not written again.
 */
export class GroupCommit<I, O> {
  readonly #queues = new Map<string, Queue<I, O>>();

  constructor(
    /**
     * In one transaction: takes the log's lock, calls `claim` (which may return nothing: then it commits
     * nothing), writes the claimed items, and returns their results in order. Throws GroupFailure. `claim`
     * returns the same items however often it is called (a transaction run again after a deadlock).
     */
    private readonly write: (scope: TenantScope, claim: () => readonly I[]) => Promise<O[]>,
    private readonly maxGroup: number,
  ) {}

  submit(scope: TenantScope, item: I): Promise<O> {
    const key = `${scope.organizationId}/${scope.environment}`;
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = { waiting: [], runners: 0 };
      this.#queues.set(key, queue);
    }
    const entered = queue;
    const promise = new Promise<O>((resolve, reject) => entered.waiting.push({ item, resolve, reject }));
    if (entered.runners < RUNNERS) {
      entered.runners++;
      void this.#run(key, scope, entered);
    }
    return promise;
  }

  async #run(key: string, scope: TenantScope, queue: Queue<I, O>): Promise<void> {
    // #write settles every item it claims and never throws, so this loop ends only with an empty queue.
    while (queue.waiting.length > 0) {
      let claimed: Waiting<I, O>[] | undefined;
      await this.#write(scope, () => {
        claimed ??= queue.waiting.splice(0, this.maxGroup);
        return claimed;
      });
    }
    queue.runners--;
    // The queue goes once idle, so that a platform serving many tenants keeps no entry per quiet log.
    if (queue.runners === 0 && queue.waiting.length === 0) this.#queues.delete(key);
  }

  /** Writes a group, splitting it after a rollback until each item is written or has failed alone. */
  async #write(scope: TenantScope, claim: () => Waiting<I, O>[]): Promise<void> {
    let results: O[];
    try {
      results = await this.write(scope, () => claim().map((w) => w.item));
    } catch (error) {
      const group = claim();
      const rolledBack = error instanceof GroupFailure && error.outcome === 'rolled-back';
      if (rolledBack && group.length > 1) {
        const half = Math.ceil(group.length / 2);
        const first = group.slice(0, half);
        const second = group.slice(half);
        await this.#write(scope, () => first);
        await this.#write(scope, () => second);
        return;
      }
      const reason = error instanceof GroupFailure ? error.cause : error;
      for (const waiting of group) waiting.reject(reason);
      return;
    }
    claim().forEach((waiting, i) => {
      waiting.resolve(results[i] as O);
    });
  }
}

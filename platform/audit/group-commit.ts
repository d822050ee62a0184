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
  running: boolean;
}

/**
 * Group commit for one process's appends to each log: items that arrive while the log's previous group is
 * being written wait, and are then written together in ONE transaction (`write`), so a log pays one commit
 * (one WAL flush) per group instead of one per item. Nothing waits for a timer: a lone item goes at once,
 * and a group is as large as the load made it while the previous commit was in flight (at most `maxGroup`).
 *
 * Groups of one log are written one after another, in arrival order; logs are independent. Across processes
 * nothing here is shared: `write` takes the log's lock in the database and reads what it needs from there.
 *
 * A failed group loses and duplicates nothing: when its transaction rolled back, its halves are written
 * again separately (recursively), so an item that cannot be written (one the database refuses, one that does
 * not serialize) fails alone and every other item is written once. An in-doubt group is not written again.
 */
export class GroupCommit<I, O> {
  readonly #queues = new Map<string, Queue<I, O>>();

  constructor(
    /** Writes the items in one transaction, results in order; throws GroupFailure. */
    private readonly write: (scope: TenantScope, items: readonly I[]) => Promise<O[]>,
    private readonly maxGroup: number,
  ) {}

  submit(scope: TenantScope, item: I): Promise<O> {
    const key = `${scope.organizationId}/${scope.environment}`;
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = { waiting: [], running: false };
      this.#queues.set(key, queue);
    }
    const entered = queue;
    const promise = new Promise<O>((resolve, reject) => entered.waiting.push({ item, resolve, reject }));
    if (!entered.running) {
      entered.running = true;
      void this.#drain(key, scope, entered);
    }
    return promise;
  }

  async #drain(key: string, scope: TenantScope, queue: Queue<I, O>): Promise<void> {
    // #settle settles every item it is given and never throws, so this loop ends only with an empty queue.
    while (queue.waiting.length > 0) {
      await this.#settle(scope, queue.waiting.splice(0, this.maxGroup));
    }
    queue.running = false;
    // The queue goes once empty, so that a platform serving many tenants keeps no entry per idle log.
    this.#queues.delete(key);
  }

  /** Writes a group, splitting it after a rollback until each item is written or has failed alone. */
  async #settle(scope: TenantScope, group: readonly Waiting<I, O>[]): Promise<void> {
    let results: O[];
    try {
      results = await this.write(
        scope,
        group.map((w) => w.item),
      );
    } catch (error) {
      const rolledBack = error instanceof GroupFailure && error.outcome === 'rolled-back';
      if (rolledBack && group.length > 1) {
        const half = Math.ceil(group.length / 2);
        await this.#settle(scope, group.slice(0, half));
        await this.#settle(scope, group.slice(half));
        return;
      }
      const reason = error instanceof GroupFailure ? error.cause : error;
      for (const waiting of group) waiting.reject(reason);
      return;
    }
    group.forEach((waiting, i) => {
      waiting.resolve(results[i] as O);
    });
  }
}

/**
 * Mail sent once the transaction that decided it has committed: a transaction never waits on a mail
 * server (see Database). `idle()` resolves once every delivery begun so far has finished, for a server
 * that closes (and for tests, which read the outbox as the invitee would, after it).
 */
export class Deliveries {
  readonly #inFlight = new Set<Promise<void>>();

  start(task: () => Promise<void>): void {
    const running: Promise<void> = task()
      .catch(() => undefined)
      .finally(() => this.#inFlight.delete(running));
    this.#inFlight.add(running);
  }

  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }
}

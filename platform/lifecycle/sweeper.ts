import type { PlatformContext } from '../context';
import { ElevationService } from '../elevations/elevation-service';
import { ReviewService } from '../reviews/review-service';

/**
 * Time-driven lifecycle work: records the end of elevations whose time ran out (the role reverted at that
 * moment already: the access check never honours a lapsed elevation) and closes campaigns past their
 * deadline, or with every item decided, writing their evidence packs. It runs once at start, catching up
 * with what came due while the platform was down, then every `intervalMs`; each run is idempotent, so
 * several platform processes may run it side by side.
 */
export class LifecycleSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly ctx: PlatformContext,
    private readonly intervalMs = 60_000,
  ) {}

  start(): void {
    this.#tick();
    this.#timer = setInterval(() => this.#tick(), this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One pass; what it recorded and closed. */
  async runOnce(): Promise<{ elevationsEnded: number; campaignsClosed: number }> {
    const elevationsEnded = await new ElevationService(this.ctx).sweep();
    const campaignsClosed = await new ReviewService(this.ctx).closeDue();
    return { elevationsEnded, campaignsClosed };
  }

  #tick(): void {
    if (this.#running) return;
    // A failed pass is tried again on the next tick; nothing it did half is committed (each step is a transaction).
    this.#running = this.runOnce()
      .catch(() => undefined)
      .finally(() => {
        this.#running = undefined;
      });
  }
}

import { fail, ok, type Result } from '../../shared/result';
import { clockTime, Throttle } from '../access/throttle';
import type { AuditContext } from '../audit/audit-context';
import { totpSeedAad } from '../auth/sessions';
import { matchTotpStep } from '../auth/totp';
import type { PlatformContext } from '../context';
import type { TenantScope } from '../db/scope';

const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const LOCK_MS = 15 * 60_000;

/**
 * The fresh one-time code a red-lane approval needs. Wrong codes are counted per person and per device key
 * (a guesser gains nothing by switching devices, and a stolen device is stopped on its own); five in
 * fifteen minutes lock red-lane approving for fifteen minutes. Every failure and every lockout is an audit
 * entry on the request, and the person is told plainly how many tries are left or until when it is locked.
 */
export class StepUp {
  readonly #throttle: Throttle;

  constructor(private readonly ctx: PlatformContext) {
    this.#throttle = new Throttle(ctx.stores.throttles, {
      maxFailures: MAX_FAILURES,
      windowMs: WINDOW_MS,
      lockMs: () => LOCK_MS,
    });
  }

  /** Runs inside the decision's transaction, so the failure it records commits with the refusal. */
  async verify(
    tenant: TenantScope,
    requestId: string,
    userId: string,
    deviceKeyId: string,
    code: string | undefined,
    context: AuditContext,
  ): Promise<Result<void>> {
    const now = this.ctx.clock.now();
    const keys = [`step-up:user:${userId}`, `step-up:device:${deviceKeyId}`];
    let locked = 0;
    for (const key of keys) locked = Math.max(locked, (await this.#throttle.lockedUntil(key, now)) ?? 0);
    if (locked > now) {
      await this.#record(tenant, requestId, context, 'approval.step_up_refused', {
        deviceKeyId,
        lockedUntil: iso(locked),
      });
      return fail(
        'rate-limited',
        `Too many wrong one-time codes: approving in the red lane is locked for you until ${clockTime(locked)}.`,
      );
    }
    if (!code) return fail('forbidden', 'A red-lane approval needs a fresh one-time code.');
    if (await this.#matches(userId, code, now)) {
      for (const key of keys) await this.#throttle.succeed(key);
      return ok(undefined);
    }
    const outcomes = [];
    for (const key of keys) outcomes.push(await this.#throttle.fail(key, now));
    const remaining = Math.min(...outcomes.map((o) => o.remaining));
    await this.#record(tenant, requestId, context, 'approval.step_up_failed', { deviceKeyId, remaining });
    const lockedUntil = Math.max(...outcomes.map((o) => o.lockedUntil ?? 0));
    if (lockedUntil > 0) {
      await this.#record(tenant, requestId, context, 'approval.step_up_locked', {
        deviceKeyId,
        lockedUntil: iso(lockedUntil),
      });
      return fail(
        'rate-limited',
        `That one-time code is not correct, and it was the ${MAX_FAILURES}th wrong one: approving in the red lane is locked for you until ${clockTime(lockedUntil)}.`,
      );
    }
    return fail(
      'forbidden',
      `That one-time code is not correct (or was already used). ${remaining} ${remaining === 1 ? 'try' : 'tries'} left before red-lane approving locks for ${LOCK_MS / 60_000} minutes.`,
    );
  }

  async #matches(userId: string, code: string, now: number): Promise<boolean> {
    const user = await this.ctx.stores.users.findById(userId);
    if (!user) return false;
    const seed = this.ctx.sealedBox.open(user.totp_seed_sealed, totpSeedAad(user.id));
    const step = matchTotpStep(seed, code, now);
    return step !== undefined && (await this.ctx.stores.users.claimTotpStep(user.id, step));
  }

  async #record(
    tenant: TenantScope,
    requestId: string,
    context: AuditContext,
    action: string,
    after: object,
  ): Promise<void> {
    await this.ctx.auditLog.append(tenant, context, {
      action,
      resource: { type: 'approval_request', id: requestId },
      change: { before: null, after },
      outcome: 'failure',
    });
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

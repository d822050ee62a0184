import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { fail, ok, type Result } from '../../../shared/result';
import type { Profile } from '../vault/vault';
import { type CacheKeys, masterById } from './cache-keys';
import type { CacheStore } from './cache-store';
import { unwrapKey, wrapAad, wrapKey } from './envelope';
import { checkProfile, guard, guardAsync, profileOfKey } from './validation';

export interface RotationOptions {
  /** Called after each data key is re-wrapped: `done` of `total` so far. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops the rotation between two data keys; what is done stays done and the rest resumes later. */
  readonly signal?: AbortSignal;
}

export interface RotationOutcome {
  /** False when there was nothing to do (resuming with no rotation pending). */
  readonly rotated: boolean;
  readonly masterKeyId: string;
  readonly rewrapped: number;
}

/**
 * Master-key rotation, safe to interrupt at any point (crash, kill, abort):
 *  1. the next master key is stored in the keychain as 'cache-master-key-next' before anything uses it;
 *  2. each data key is re-wrapped under it, one durable transaction per key, the row recording which
 *     master key wraps it; new data keys made meanwhile are wrapped by the next key from the start;
 *  3. the next key is promoted ('cache-master-key'), then 'cache-master-key-next' is deleted.
 * At every moment each row names a master key the keychain still holds (old rows the current key,
 * re-wrapped rows the next key), so every blob stays readable; running it again finishes the job.
 */
async function rotate(
  keys: CacheKeys,
  store: CacheStore,
  profile: Profile,
  profileKey: string,
  startNew: boolean,
  options: RotationOptions = {},
): Promise<Result<RotationOutcome>> {
  let ring = await keys.ring(profile, profileKey, true);
  if (!ring.next) {
    if (!startNew) return ok({ rotated: false, masterKeyId: ring.current.id, rewrapped: 0 });
    ring = await keys.stageNext(profile, profileKey);
  }
  const next = ring.next;
  if (!next) return fail('internal', 'The key rotation could not start.');
  let done = 0;
  for (;;) {
    const pending = store.dataKeysNotWrappedBy(profileKey, next.id);
    if (pending.length === 0) break;
    const total = done + pending.length;
    for (const row of pending) {
      if (options.signal?.aborted) return stopped();
      const from = masterById(ring, row.masterKeyId);
      const dataKey = from && unwrapKey(from.key, row.wrapped, wrapAad(row, from.id));
      if (from && dataKey) {
        store.rewrap(row, from.id, next.id, wrapKey(next.key, dataKey, wrapAad(row, next.id)));
        dataKey.fill(0);
      } else {
        // No key in the keychain opens this row: its blobs were unreadable already.
        store.shredTenant(row);
        keys.forgetTenant(row);
      }
      done++;
      options.onProgress?.(done, total);
      await yieldToLoop();
    }
  }
  if (options.signal?.aborted) return stopped();
  const promoted = await keys.promote(profile, profileKey);
  return ok({ rotated: true, masterKeyId: promoted.id, rewrapped: done });
}

function stopped<T>(): Result<T> {
  return fail(
    'conflict',
    'The cache key rotation was stopped before it finished; every cached item is still readable, and the rotation resumes the next time it runs.',
  );
}

/** Rotations, at most one per profile at a time; a profile's sign-out waits for its running rotation. */
export class MasterKeyRotations {
  private readonly running = new Map<string, Promise<Result<RotationOutcome>>>();

  constructor(
    private readonly keys: CacheKeys,
    private readonly store: CacheStore,
  ) {}

  run(profile: Profile, startNew: boolean, options: RotationOptions): Promise<Result<RotationOutcome>> {
    const checked = checkProfile(profile);
    if (!checked.ok) return Promise.resolve(checked);
    const { profileKey } = checked.value;
    if (this.running.has(profileKey))
      return Promise.resolve(fail('conflict', 'A cache key rotation is already running.'));
    const running = guardAsync(() =>
      rotate(this.keys, this.store, checked.value.profile, profileKey, startNew, options),
    ).finally(() => this.running.delete(profileKey));
    this.running.set(profileKey, running);
    return running;
  }

  /** Resolves once the profile has no rotation running. */
  async settled(profileKey: string): Promise<void> {
    await this.running.get(profileKey);
  }

  /** Finishes every profile's interrupted rotation; answers how many were pending. */
  async resumeAll(): Promise<Result<number>> {
    const profiles = guard(() => ok(this.store.profileKeys()));
    if (!profiles.ok) return profiles;
    let resumed = 0;
    for (const key of profiles.value) {
      const profile = profileOfKey(key);
      if (!profile) continue;
      const outcome = await this.run(profile, false, {});
      if (!outcome.ok) return outcome;
      if (outcome.value.rotated) resumed++;
    }
    return ok(resumed);
  }
}

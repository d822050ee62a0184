import { fail, ok, type Result } from '../../../shared/result';
import type { Profile } from '../vault/vault';
import type { CacheStore, StoredCheckpoint } from './cache-store';
import { CheckpointSchema, checkProfile, guard, Origin, PinnedKeysInput } from './validation';

export interface CheckpointInput {
  readonly size: number;
  /** The tree root the note signs (base64, as in the note's body). */
  readonly root: string;
  /** The signed checkpoint note, as the platform published it. */
  readonly note: string;
}

/**
 * What live audit verification trusts between runs, per (profile, log origin): the signed checkpoints it
 * has already checked, and the verifier keys pinned for the log. These are public data (signed notes and
 * public keys), stored in clear on purpose; they are trusted because this console checked them before,
 * and nothing here needs encrypting. The SQL is in cache-store.ts with the rest.
 */
export class TrustedCheckpoints {
  constructor(
    private readonly store: CacheStore,
    private readonly now: () => number,
  ) {}

  /** Saves a checkpoint; a different root for a size already trusted is refused (it would be a fork). */
  save(profile: Profile, origin: string, checkpoint: CheckpointInput): Result<void> {
    const checked = checkProfile(profile);
    if (!checked.ok) return checked;
    const input = CheckpointSchema.safeParse(checkpoint);
    if (!input.success || !Origin.safeParse(origin).success)
      return fail('bad-request', 'Expected a log origin and a checkpoint (size, root and signed note).');
    const { profileKey } = checked.value;
    return guard<void>(() => {
      const known = this.store.checkpointRoot(profileKey, origin, input.data.size);
      if (known !== undefined && known !== input.data.root)
        return fail('conflict', 'A different checkpoint of this size is already trusted for this log.');
      this.store.saveCheckpoint(profileKey, origin, { ...input.data, savedAt: this.now() });
      return ok(undefined);
    });
  }

  /** The trusted checkpoints of one log, by size: the newest (largest) last. */
  list(profile: Profile, origin: string): Result<StoredCheckpoint[]> {
    const checked = checkProfile(profile);
    if (!checked.ok) return checked;
    if (!Origin.safeParse(origin).success) return fail('bad-request', 'Expected a log origin.');
    return guard(() => ok(this.store.checkpoints(checked.value.profileKey, origin)));
  }

  pinnedKeys(profile: Profile, origin: string): Result<string[]> {
    const checked = checkProfile(profile);
    if (!checked.ok) return checked;
    if (!Origin.safeParse(origin).success) return fail('bad-request', 'Expected a log origin.');
    return guard(() => {
      const json = this.store.pinnedKeys(checked.value.profileKey, origin);
      return ok(json === undefined ? [] : (JSON.parse(json) as string[]));
    });
  }

  /** Replaces the verifier keys pinned for one log. */
  pinKeys(profile: Profile, origin: string, keys: readonly string[]): Result<void> {
    const checked = checkProfile(profile);
    if (!checked.ok) return checked;
    const input = PinnedKeysInput.safeParse(keys);
    if (!input.success || !Origin.safeParse(origin).success)
      return fail('bad-request', 'Expected a log origin and up to 64 verifier keys.');
    return guard(() => {
      this.store.pinKeys(checked.value.profileKey, origin, JSON.stringify(input.data), this.now());
      return ok(undefined);
    });
  }
}

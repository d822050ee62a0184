import { fail, ok, type Result } from '../../../shared/result';
import type { Profile, Vault } from '../vault/vault';
import { CacheKeys } from './cache-keys';
import { CacheStore, type EntryMeta, type StoredCheckpoint } from './cache-store';
import { blobAad, type KeyScope, release, seal, sha256Hex, wipe } from './envelope';
import type { ThreadRead } from './read-threads';
import { MasterKeyRotations, type RotationOptions, type RotationOutcome } from './rotation';
import { type SnapshotRead, SnapshotReads } from './snapshot-reads';
import { type CheckpointInput, TrustedCheckpoints } from './trusted-checkpoints';
import {
  type CacheTenant,
  checkProfile,
  checkTenant,
  guard,
  guardAsync,
  ListOptions,
  Sha256Hex,
  SnapshotId,
  SnapshotInput,
} from './validation';

export type { EntryMeta, StoredCheckpoint } from './cache-store';
export type { RotationOptions, RotationOutcome } from './rotation';
export type { CheckpointInput } from './trusted-checkpoints';
export type { CacheTenant } from './validation';

/**
 * The encrypted evidence cache: evidence snapshots a user opened, kept in SQLite under the app's data
 * directory so they re-open instantly and offline. Each blob is AES-256-GCM under its tenant's data key;
 * data keys are stored only wrapped by the profile's master key, which lives in the OS keychain.
 *
 * Offline by construction: this module and everything it imports hold no network code at all, so `get`
 * and `list` (and every other call) work with no connection; only the caller's platform client fetches.
 * One process owns the file (the app is single-instance). Every call answers a Result; messages never
 * carry key material, evidence bytes or file paths.
 */
export interface EvidenceSnapshot {
  readonly snapshotId: string;
  readonly name: string;
  readonly mediaType: string;
  /** The SHA-256 (hex) the platform published for this evidence; the bytes must match it. */
  readonly sha256: string;
  readonly requestId?: string | null;
  readonly bytes: Uint8Array;
}

export interface CachedEvidence extends EntryMeta {
  readonly bytes: Buffer;
}

export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly quotaBytes: number;
}

export interface EvidenceCacheOptions {
  /** The database file, under the app's data directory. */
  readonly file: string;
  readonly vault: Vault;
  /** Total evidence bytes kept before least-recently-used entries are evicted (default 512 MiB). */
  readonly quotaBytes?: number;
  readonly now?: () => number;
  /** Read threads (default: one fewer than the cores, at least one; the main thread reads too). */
  readonly readThreads?: number;
}

export const DEFAULT_QUOTA_BYTES = 512 * 1024 * 1024;
const TOUCH_BATCH = 256;
const notCached = <T>(): Result<T> => fail('not-found', 'This evidence is not in the offline cache.');

const discarded = <T>(): Result<T> =>
  fail('conflict', 'The cached copy failed its integrity check and was discarded; fetch it again.');

export class EvidenceCache {
  private readonly keys: CacheKeys;
  private readonly trusted: TrustedCheckpoints;
  private readonly now: () => number;
  private quotaBytes: number;
  /** Reads' last-used times not yet in the file: written in batches, and before a listing, a delete or close. */
  private readonly touches = new Map<number, number>();
  private readonly rotations: MasterKeyRotations;
  private readonly reads: SnapshotReads;

  private constructor(
    private readonly store: CacheStore,
    options: EvidenceCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.quotaBytes = options.quotaBytes ?? DEFAULT_QUOTA_BYTES;
    this.keys = new CacheKeys(options.vault, store, this.now);
    this.trusted = new TrustedCheckpoints(store, this.now);
    this.rotations = new MasterKeyRotations(this.keys, store);
    this.reads = new SnapshotReads(store, this.keys, options.readThreads);
  }

  static open(options: EvidenceCacheOptions): Result<EvidenceCache> {
    if (!validQuota(options.quotaBytes ?? DEFAULT_QUOTA_BYTES))
      return fail('bad-request', 'The cache quota must be a positive whole number of bytes.');
    return guard(() => ok(new EvidenceCache(new CacheStore(options.file), options)));
  }

  async put(tenant: CacheTenant, snapshot: EvidenceSnapshot): Promise<Result<EntryMeta>> {
    const scoped = checkTenant(tenant);
    if (!scoped.ok) return scoped;
    const input = SnapshotInput.safeParse(snapshot);
    if (!input.success)
      return fail('bad-request', 'Expected an evidence snapshot with its id, name and hash.');
    const { bytes, sha256, snapshotId } = input.data;
    if (bytes.byteLength > this.quotaBytes)
      return fail('payload-too-large', 'This evidence is larger than the whole offline cache quota.');
    if (sha256Hex(bytes) !== sha256)
      return fail(
        'conflict',
        'The evidence does not match the hash the platform published; it was not cached.',
      );
    const { profile, scope } = scoped.value;
    return guardAsync(async () => {
      const dataKey = this.keys.cachedDataKey(scope) ?? (await this.keys.dataKey(profile, scope, true));
      // The tenant may have been shredded while the key was being fetched: never seal under a dead key.
      if (!dataKey || this.keys.cachedDataKey(scope) !== dataKey)
        return fail('conflict', 'The offline cache of this tenant was cleared meanwhile; it was not cached.');
      const sealed = seal(dataKey, bytes, blobAad(scope, snapshotId, sha256));
      const time = this.now();
      const meta: EntryMeta = {
        snapshotId,
        name: input.data.name,
        mediaType: input.data.mediaType,
        size: bytes.byteLength,
        sha256,
        requestId: input.data.requestId ?? null,
        cachedAt: time,
        lastUsedAt: time,
      };
      this.store.put(scope, meta, sealed, this.quotaBytes);
      release(sealed.ciphertext);
      return ok(meta);
    });
  }

  /**
   * One SELECT by row id, one AES-GCM decryption and one SHA-256 once the tenant's key is in memory, on the
   * main thread or a worker thread (see SnapshotReads). An entry that fails authentication or whose
   * plaintext does not hash to the published SHA-256 (the stored one, and `expectedSha256` when the caller
   * has the platform's current value) is deleted and reported, whichever thread read it. The bytes are the
   * caller's: once used, `wipe()` (envelope.ts) zeroes and frees them.
   */
  async get(
    tenant: CacheTenant,
    snapshotId: string,
    options: { expectedSha256?: string } = {},
  ): Promise<Result<CachedEvidence>> {
    const scoped = checkTenant(tenant);
    if (!scoped.ok) return scoped;
    const expected =
      options.expectedSha256 === undefined ? undefined : Sha256Hex.safeParse(options.expectedSha256);
    if (!SnapshotId.safeParse(snapshotId).success || (expected && !expected.success))
      return fail('bad-request', 'Expected a snapshot id and, optionally, a SHA-256 in hex.');
    const { profile, scope } = scoped.value;
    return guardAsync(() =>
      this.reads.read(profile, scope, snapshotId, (done: SnapshotRead) => {
        if (done.kind === 'missing') return notCached<CachedEvidence>();
        if (done.kind === 'no-key') return this.discard(scope, snapshotId, done.id);
        return this.answer(scope, done.key, done.read, expected?.data);
      }),
    );
  }

  /** The same answer for a row read in place or on a thread. */
  private answer(
    scope: KeyScope,
    key: Buffer,
    read: ThreadRead,
    expected: string | undefined,
  ): Result<CachedEvidence> {
    // A tenant shredded (or a cache cleared) while its row was being read: the row is gone, so is the answer.
    // Plaintext that is not answered is wiped, as the caller wipes what it is given.
    if (read.status === 'missing' || read.status === 'error' || this.keys.cachedDataKey(scope) !== key) {
      if (read.status === 'opened') wipe(read.bytes);
      return notCached();
    }
    if (read.status === 'failed' || (expected !== undefined && expected !== read.row.sha256)) {
      if (read.status === 'opened') wipe(read.bytes);
      return this.discard(scope, read.row.snapshotId, read.row.id);
    }
    const { id, ...meta } = read.row;
    const lastUsedAt = this.now();
    // The quota's order takes the read at once; the file takes it with the next batch (a crash may lose
    // a batch: a few entries then look older than they are).
    this.touches.set(id, lastUsedAt);
    this.store.touched(id, lastUsedAt);
    if (this.touches.size >= TOUCH_BATCH) this.flushTouches();
    return ok({ ...meta, lastUsedAt, bytes: read.bytes });
  }

  private discard(scope: KeyScope, snapshotId: string, id: number): Result<CachedEvidence> {
    this.touches.delete(id);
    this.store.discard(scope, snapshotId, id);
    return discarded();
  }

  /** Metadata only (no blob is read or decrypted), most recently used first; `query` matches name or type. */
  list(tenant: CacheTenant, options: { query?: string; limit?: number } = {}): Result<EntryMeta[]> {
    const scoped = checkTenant(tenant);
    if (!scoped.ok) return scoped;
    const parsed = ListOptions.safeParse(options);
    if (!parsed.success)
      return fail('bad-request', 'Expected a search of up to 200 characters and a limit of 1 to 1000.');
    const { query, limit } = parsed.data;
    return guard(() => {
      this.flushTouches();
      return ok(this.store.list(scoped.value.scope, query, limit));
    });
  }

  delete(tenant: CacheTenant, snapshotId: string): Result<void> {
    const scoped = checkTenant(tenant);
    if (!scoped.ok) return scoped;
    if (!SnapshotId.safeParse(snapshotId).success) return fail('bad-request', 'Expected a snapshot id.');
    return guard(() => {
      this.flushTouches();
      this.store.deleteEntry(scoped.value.scope, snapshotId);
      return ok(undefined);
    });
  }

  /** Resolves once no WAL checkpoint is running on the cache's checkpoint thread (see wal-checkpointer.ts). */
  settled(): Promise<void> {
    return this.store.settled();
  }

  stats(): Result<CacheStats> {
    return guard(() => ok({ ...this.store.totals(), quotaBytes: this.quotaBytes }));
  }

  /** A new quota, applied at once: least-recently-used entries go until the total fits. */
  setQuota(quotaBytes: number): Result<CacheStats> {
    if (!validQuota(quotaBytes))
      return fail('bad-request', 'The cache quota must be a positive whole number of bytes.');
    this.quotaBytes = quotaBytes;
    return guard(() => {
      this.flushTouches();
      this.store.shrinkTo(quotaBytes);
      return this.stats();
    });
  }

  /** Every entry and every data key, for every profile (master keys stay in the keychain). */
  clear(): Result<void> {
    return guard(() => {
      this.touches.clear();
      try {
        this.store.clear();
      } finally {
        this.keys.forgetAll();
      }
      return ok(undefined);
    });
  }

  /** Crypto-shredding of one tenant: its data key is destroyed (durably) first, then its blobs. */
  async shredTenant(
    profile: Profile,
    organization: string,
    environment: CacheTenant['environment'],
  ): Promise<Result<void>> {
    const scoped = checkTenant({ profile, organization, environment });
    if (!scoped.ok) return scoped;
    // A checkpoint the thread is running would hold up emptying the WAL; none starts during the shred.
    await this.store.settled();
    return guard(() => {
      this.flushTouches();
      // The key leaves memory even if the file's part fails: nothing more is sealed or opened under it.
      try {
        this.store.shredTenant(scoped.value.scope);
      } finally {
        this.keys.forgetTenant(scoped.value.scope);
      }
      return ok(undefined);
    });
  }

  /**
   * Tenant removal: every tenant this profile holds keys for that is not in `current` (what the platform
   * says the profile may use now) is shredded. Answers the tenants shredded.
   */
  async shredTenantsNotIn(
    profile: Profile,
    current: readonly { organization: string; environment: CacheTenant['environment'] }[],
  ): Promise<Result<number>> {
    const checked = checkProfile(profile);
    if (!checked.ok) return checked;
    const keep = new Set(current.map((t) => `${t.organization}|${t.environment}`));
    const gone = guard(() =>
      ok(
        this.store
          .tenantsOf(checked.value.profileKey)
          .filter((t) => !keep.has(`${t.organization}|${t.environment}`)),
      ),
    );
    if (!gone.ok) return gone;
    for (const tenant of gone.value) {
      const shredded = await this.shredTenant(profile, tenant.organization, tenant.environment);
      if (!shredded.ok) return shredded;
    }
    return ok(gone.value.length);
  }

  /** Sign-out: all the profile's data keys, then its blobs and checkpoints, then its master keys. */
  async shredProfile(profile: Profile): Promise<Result<void>> {
    const checked = checkProfile(profile);
    if (!checked.ok) return checked;
    const { profileKey } = checked.value;
    await this.rotations.settled(profileKey);
    await this.store.settled();
    return guardAsync(async () => {
      this.flushTouches();
      // The master keys leave the keychain even if the file's part fails.
      try {
        this.store.shredProfile(profileKey);
      } finally {
        await this.keys.forgetProfile(checked.value.profile, profileKey);
      }
      return ok(undefined);
    });
  }

  /** A new master key for the profile (or, if one was pending, the end of that rotation). */
  rotateMasterKey(profile: Profile, options: RotationOptions = {}): Promise<Result<RotationOutcome>> {
    return this.rotations.run(profile, true, options);
  }

  /** Finishes an interrupted rotation, if one is pending; `rotated` is false when there was none. */
  resumeRotation(profile: Profile, options: RotationOptions = {}): Promise<Result<RotationOutcome>> {
    return this.rotations.run(profile, false, options);
  }

  /** At start-up: finishes every profile's interrupted rotation; answers how many were pending. */
  resumeRotations(): Promise<Result<number>> {
    return this.rotations.resumeAll();
  }

  // Trusted audit checkpoints and pinned verifier keys: public data, stored in clear (see TrustedCheckpoints).

  saveCheckpoint(profile: Profile, origin: string, checkpoint: CheckpointInput): Result<void> {
    return this.trusted.save(profile, origin, checkpoint);
  }

  /** The trusted checkpoints of one log, by size: the newest (largest) last. */
  checkpoints(profile: Profile, origin: string): Result<StoredCheckpoint[]> {
    return this.trusted.list(profile, origin);
  }

  pinnedKeys(profile: Profile, origin: string): Result<string[]> {
    return this.trusted.pinnedKeys(profile, origin);
  }

  pinKeys(profile: Profile, origin: string, keys: readonly string[]): Result<void> {
    return this.trusted.pinKeys(profile, origin, keys);
  }

  close(): void {
    try {
      this.flushTouches();
    } finally {
      this.keys.forgetAll();
      this.store.close();
      this.reads.close();
    }
  }

  private flushTouches(): void {
    if (this.touches.size === 0) return;
    this.store.touch(this.touches);
    this.touches.clear();
  }
}

function validQuota(bytes: number): boolean {
  return Number.isSafeInteger(bytes) && bytes > 0;
}

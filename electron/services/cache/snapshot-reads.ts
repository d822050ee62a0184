import type { Profile } from '../vault/vault';
import type { CacheKeys } from './cache-keys';
import { CACHE_MMAP_BYTES, type CacheStore, READ_SQL, type StoredEntry } from './cache-store';
import { blobAad, type KeyScope, open, release, sha256Hex, wipe } from './envelope';
import { OpenThreads } from './open-threads';
import { ReadThreads, type ThreadRead } from './read-threads';

/**
 * Below this a snapshot read on its own is opened in place: moving it would cost more than opening it.
 * A larger one goes to a read thread, so the main thread is not held while it is decrypted.
 */
const IN_PLACE_BELOW = Number(process.env.CC_OPEN_IN_PLACE_BELOW ?? 1024 * 1024);

/** What reading one snapshot came to, and under which data key (the caller checks it is still current). */
export type SnapshotRead =
  | { readonly kind: 'read'; readonly key: Buffer; readonly read: ThreadRead }
  /** No such row, or it went while being read. */
  | { readonly kind: 'missing' }
  /** The row is there but no master key in the keychain opens its tenant's data key. */
  | { readonly kind: 'no-key'; readonly id: number };

/**
 * Where a snapshot is read and opened (one SELECT by row id, one AES-GCM decryption, one SHA-256):
 * - alone, a small one in place on the main thread;
 * - beside others, a small one whole on a read thread (its own connection, the same SELECT), while
 *   the threads have room; once every thread has a read running and one waiting, on the main thread,
 *   which would otherwise only dispatch;
 * - a large one read on the main thread (a copy out of the mapped file) and opened on an open thread, so
 *   main reads the next while threads decrypt and re-hash. Measured side by side on 8 MiB snapshots, 4 in
 *   flight, this split reaches 0.96x the one-thread CPU floor where whole reads on the read threads reach
 *   0.55x.
 * Each row's ciphertext is freed as soon as it is opened (see release() in envelope.ts).
 */
export class SnapshotReads {
  readonly #readers: ReadThreads;
  readonly #opener = new OpenThreads();
  /** Reads not yet answered: one that starts while others are in flight may go to a thread. */
  #reading = 0;

  constructor(
    private readonly store: CacheStore,
    private readonly keys: CacheKeys,
    readThreads: number | undefined,
  ) {
    this.#readers = new ReadThreads({
      file: store.file,
      sql: READ_SQL,
      mmapSize: CACHE_MMAP_BYTES,
      size: readThreads,
    });
  }

  /** `answer` runs before this read stops counting as in flight, so reads started meanwhile count it. */
  async read<T>(
    profile: Profile,
    scope: KeyScope,
    snapshotId: string,
    answer: (read: SnapshotRead) => T,
  ): Promise<T> {
    const alone = this.#reading === 0;
    this.#reading++;
    try {
      return answer(await this.#read(profile, scope, snapshotId, alone));
    } finally {
      this.#reading--;
    }
  }

  close(): void {
    void this.#readers.close();
    void this.#opener.close();
  }

  async #read(profile: Profile, scope: KeyScope, snapshotId: string, alone: boolean): Promise<SnapshotRead> {
    const cached = this.keys.cachedDataKey(scope);
    if (cached && !alone) {
      if (!this.#readers.full) {
        const found = this.store.locate(scope, snapshotId);
        if (!found) return { kind: 'missing' };
        if (found.size < IN_PLACE_BELOW) {
          const read = await this.#readers.read(cached, scope, snapshotId, found.id);
          // Missing by that id: the snapshot may have been put again meanwhile (a new row), so main looks.
          if (read.status !== 'error' && read.status !== 'missing')
            return { kind: 'read', key: cached, read };
        }
      } else {
        // Main reads this one itself, but first lets the threads' answers in: a read in place runs to its
        // end without yielding, and such reads one after another would leave the threads idle, their
        // answers unread.
        await new Promise(setImmediate);
      }
    }
    let key = this.keys.cachedDataKey(scope);
    if (!key) {
      // The keychain is asked only for a row that is there (looked up first: asking may start the tenant
      // anew).
      const found = this.store.locate(scope, snapshotId);
      if (!found) return { kind: 'missing' };
      key = await this.keys.dataKey(profile, scope, false);
      if (!key) return { kind: 'no-key', id: found.id };
    }
    const stored = this.store.read(scope, snapshotId);
    if (!stored) return { kind: 'missing' };
    if (stored.size >= IN_PLACE_BELOW) {
      const read = await this.#openOnThread(key, scope, stored);
      if (read.status !== 'error') return { kind: 'read', key, read };
      // The thread failed; the row went to it, so it is read again.
      const again = this.store.read(scope, snapshotId);
      return again ? { kind: 'read', key, read: openInPlace(key, scope, again) } : { kind: 'missing' };
    }
    return { kind: 'read', key, read: openInPlace(key, scope, stored) };
  }

  async #openOnThread(key: Buffer, scope: KeyScope, stored: StoredEntry): Promise<ThreadRead> {
    const { nonce, tag, ciphertext, ...row } = stored;
    const aad = blobAad(scope, row.snapshotId, row.sha256);
    const opened = await this.#opener.open(key, { nonce, tag, ciphertext }, aad, false);
    if (!opened || opened.digest !== row.sha256) return { status: 'failed', row };
    return { status: 'opened', row, bytes: opened.plaintext };
  }
}

function openInPlace(key: Buffer, scope: KeyScope, stored: StoredEntry): ThreadRead {
  const { nonce, tag, ciphertext, ...row } = stored;
  const bytes = open(key, { nonce, tag, ciphertext }, blobAad(scope, row.snapshotId, row.sha256));
  release(ciphertext);
  if (!bytes || sha256Hex(bytes) !== row.sha256) {
    if (bytes) wipe(bytes);
    return { status: 'failed', row };
  }
  return { status: 'opened', row, bytes };
}

import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EntryIndex, type IndexedEntry } from './entry-index';
import type { KeyScope, Sealed } from './envelope';
import { CHECKPOINT_PAGES, WalCheckpointer, type WalCheckpointStats } from './wal-checkpointer';

/**
 * Every line of SQL the evidence cache runs. Entry and data-key rows are always read and written under
 * their full scope (profile key, organization, environment); an entry's row is read by the id the
 * in-memory lookup gives for its scope and snapshot id, and only if the row is still that scope's and that
 * snapshot's. Only the quota's eviction and `clear` look across tenants, and they only delete. The file
 * holds ciphertext, wrapped keys, clear metadata and public audit checkpoints, nothing else.
 *
 * The store is the file's one writer (the console's main process holds a single-instance lock; the read
 * threads only read): the lookup, totals and last-used order it keeps in memory are read from the file at
 * open and follow its own commits.
 *
 * Durability: WAL with synchronous = NORMAL. Each commit is atomic and the file is never corrupted by a
 * crash of the app or of the machine; a power loss may forget the last few commits, which for a cache
 * costs a re-download. The two writes whose loss would matter run with synchronous = FULL: shredding
 * (a destroyed key must stay destroyed) and master-key rotation (rows must be durably re-wrapped before
 * the old master key leaves the keychain).
 */
export interface EntryMeta {
  readonly snapshotId: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
  readonly requestId: string | null;
  readonly cachedAt: number;
  readonly lastUsedAt: number;
}

interface KeyScopeRow {
  readonly profile: string;
  readonly organization: string;
  readonly environment: string;
  readonly snapshotId: string;
}

export interface StoredEntry extends EntryMeta, Sealed {
  readonly id: number;
}

export interface DataKeyRow extends KeyScope {
  readonly masterKeyId: string;
  readonly wrapped: Buffer;
}

export interface StoredCheckpoint {
  readonly size: number;
  readonly root: string;
  readonly note: string;
  readonly savedAt: number;
}

const ENTRY_COLUMNS = `id, profile, organization, environment, snapshot_id, name, media_type, size, sha256,
  request_id, cached_at, last_used_at, nonce, tag, ciphertext`;

/** Each schema version's step, in order (user_version counts the steps applied); exported for upgrade tests. */
export const CACHE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE data_keys (
     profile TEXT NOT NULL, organization TEXT NOT NULL, environment TEXT NOT NULL,
     master_key_id TEXT NOT NULL, wrapped BLOB NOT NULL, created_at INTEGER NOT NULL,
     PRIMARY KEY (profile, organization, environment)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE entries (
     id INTEGER PRIMARY KEY,
     profile TEXT NOT NULL, organization TEXT NOT NULL, environment TEXT NOT NULL,
     snapshot_id TEXT NOT NULL, name TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL,
     sha256 TEXT NOT NULL, request_id TEXT, cached_at INTEGER NOT NULL, last_used_at INTEGER NOT NULL,
     UNIQUE (profile, organization, environment, snapshot_id)
   ) STRICT;
   CREATE INDEX entries_lru ON entries (last_used_at, id);
   CREATE TABLE blobs (
     entry_id INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
     nonce BLOB NOT NULL, tag BLOB NOT NULL, ciphertext BLOB NOT NULL
   ) STRICT;
   CREATE TABLE totals (id INTEGER PRIMARY KEY CHECK (id = 1), entries INTEGER NOT NULL, bytes INTEGER NOT NULL) STRICT;
   INSERT INTO totals VALUES (1, 0, 0);
   CREATE TRIGGER entries_added AFTER INSERT ON entries BEGIN
     UPDATE totals SET entries = entries + 1, bytes = bytes + NEW.size WHERE id = 1; END;
   CREATE TRIGGER entries_removed AFTER DELETE ON entries BEGIN
     UPDATE totals SET entries = entries - 1, bytes = bytes - OLD.size WHERE id = 1; END;
   CREATE TABLE checkpoints (
     profile TEXT NOT NULL, origin TEXT NOT NULL, size INTEGER NOT NULL, root TEXT NOT NULL,
     note TEXT NOT NULL, saved_at INTEGER NOT NULL, PRIMARY KEY (profile, origin, size)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE pinned_keys (
     profile TEXT NOT NULL, origin TEXT NOT NULL, keys TEXT NOT NULL, pinned_at INTEGER NOT NULL,
     PRIMARY KEY (profile, origin)
   ) STRICT, WITHOUT ROWID;`,
  // 2: a put writes one row (metadata and blob together) and one index entry (version 4 drops it). The blob's
  // columns come last, so a metadata read stops at the row's first page. Totals and last-used order are
  // kept in memory (EntryIndex), rebuilt from this table at open: the totals row, its triggers and the
  // last-used index cost a page each per put. Ids are kept, so nothing else changes meaning.
  `CREATE TABLE entries_v2 (
     id INTEGER PRIMARY KEY,
     profile TEXT NOT NULL, organization TEXT NOT NULL, environment TEXT NOT NULL,
     snapshot_id TEXT NOT NULL, name TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL,
     sha256 TEXT NOT NULL, request_id TEXT, cached_at INTEGER NOT NULL, last_used_at INTEGER NOT NULL,
     nonce BLOB NOT NULL, tag BLOB NOT NULL, ciphertext BLOB NOT NULL,
     UNIQUE (profile, organization, environment, snapshot_id)
   ) STRICT;
   INSERT INTO entries_v2 SELECT e.id, e.profile, e.organization, e.environment, e.snapshot_id, e.name,
     e.media_type, e.size, e.sha256, e.request_id, e.cached_at, e.last_used_at, b.nonce, b.tag, b.ciphertext
     FROM entries e JOIN blobs b ON b.entry_id = e.id;
   DROP TABLE blobs;
   DROP TABLE totals;
   DROP TABLE entries;
   ALTER TABLE entries_v2 RENAME TO entries;`,
  // 3: a read's last-used time gets a small row of its own. Kept in the entry's row, recording it rewrote
  // the row's page and made SQLite read the whole blob back (to compare it with the new row's). The entry's own
  // last_used_at is no longer written after its put (in an older file it holds its last use then); its
  // last use is the later of that and its use row's. Nothing is copied, so no blob is rewritten here.
  `CREATE TABLE entry_uses (
     entry_id INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
     last_used_at INTEGER NOT NULL
   ) STRICT;`,
  // 4: no index on snapshot id. Its page was a seventh of every put's write (a 64 KiB put now writes the
  // blob's four overflow pages, the row's page and the file's header page); the lookup is kept in memory
  // (EntryIndex) and a read finds its row by id, checking the row's scope and snapshot id in the same
  // statement. Rows and ids are copied as they are; so are the use rows (dropping the old table would
  // cascade to them).
  `CREATE TABLE entries_v4 (
     id INTEGER PRIMARY KEY,
     profile TEXT NOT NULL, organization TEXT NOT NULL, environment TEXT NOT NULL,
     snapshot_id TEXT NOT NULL, name TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL,
     sha256 TEXT NOT NULL, request_id TEXT, cached_at INTEGER NOT NULL, last_used_at INTEGER NOT NULL,
     nonce BLOB NOT NULL, tag BLOB NOT NULL, ciphertext BLOB NOT NULL
   ) STRICT;
   INSERT INTO entries_v4 (${ENTRY_COLUMNS}) SELECT ${ENTRY_COLUMNS} FROM entries ORDER BY id;
   CREATE TEMP TABLE uses_v4 AS SELECT entry_id, last_used_at FROM entry_uses;
   DROP TABLE entries;
   ALTER TABLE entries_v4 RENAME TO entries;
   INSERT INTO entry_uses (entry_id, last_used_at) SELECT entry_id, last_used_at FROM temp.uses_v4;
   DROP TABLE temp.uses_v4;`,
];

/**
 * 16 KiB pages: a 64 KiB blob spans a few overflow pages instead of sixteen, while a metadata update still
 * writes small pages. mmap: a blob is copied out of the mapped file rather than read() page by page.
 */
export const CACHE_PAGE_SIZE = 16_384;
export const CACHE_MMAP_BYTES = 1024 * 1024 * 1024;
export const CACHE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  `mmap_size = ${CACHE_MMAP_BYTES}`,
];

/**
 * The main connection's own automatic checkpoint: only a backstop for the checkpoint thread (wal-checkpointer.ts),
 * which falls behind a writer that never pauses (its PASSIVE checkpoints leave the frames written meanwhile,
 * so the WAL does not start over until this one runs). After a full checkpoint the WAL file is cut back to
 * this size.
 */
const BACKSTOP_PAGES = 4 * CHECKPOINT_PAGES;
export const BACKSTOP_PRAGMAS = [
  `wal_autocheckpoint = ${BACKSTOP_PAGES}`,
  `journal_size_limit = ${BACKSTOP_PAGES * CACHE_PAGE_SIZE}`,
];

/** How long emptying the WAL waits for a checkpoint the thread is running (the connections' busy timeout). */
const COMPACT_WAIT_MS = 5000;
/** Only ever waited on with a timeout: a pause of the main thread that needs no timer. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** About how many pages a put of `size` bytes writes: its overflow pages, its row's page, the header page. */
export const pagesOf = (size: number) => Math.ceil(size / CACHE_PAGE_SIZE) + 2;

const TENANT = 'profile = ? AND organization = ? AND environment = ?';
const META = `snapshot_id AS snapshotId, name, media_type AS mediaType, size, sha256,
  request_id AS requestId, cached_at AS cachedAt, last_used_at AS lastUsedAt`;
/** Entries with their last use: the later of the put's time and the use row's, if the entry has one. */
const WITH_USES = `(SELECT e.id, e.profile, e.organization, e.environment, e.snapshot_id, e.name, e.media_type,
  e.size, e.sha256, e.request_id, e.cached_at, max(e.last_used_at, coalesce(u.last_used_at, 0)) AS last_used_at
  FROM entries e LEFT JOIN entry_uses u ON u.entry_id = e.id)`;
const at = (s: KeyScope) => [s.profileKey, s.organization, s.environment] as const;

/** What the in-memory lookup names an entry by: its whole scope and its snapshot id. */
export function entryKey(scope: KeyScope, snapshotId: string): string {
  return JSON.stringify([scope.profileKey, scope.organization, scope.environment, snapshotId]);
}

/**
 * A snapshot's row: by the id the lookup gave, and only if it is still the row of that scope (profile key,
 * organization, environment) and snapshot id, so a stale id reads nothing. Parameters: id, the scope's
 * three, the snapshot id. The read threads (read-threads.ts) run this very statement on their own
 * connections.
 */
export const READ_SQL = `SELECT id, ${META}, nonce, tag, ciphertext FROM entries
  WHERE id = ? AND ${TENANT} AND snapshot_id = ?`;

/** Where a snapshot's row is, by the in-memory lookup: its id, and its size (where to read it). */
export interface EntryLocation {
  readonly id: number;
  readonly size: number;
}

export class CacheStore {
  private readonly db: Database.Database;
  private readonly sql;
  /** Lookup, totals and LRU order; undefined after a bulk delete, until read again from the table. */
  #index: EntryIndex | undefined;
  readonly #put;
  readonly #checkpointer: WalCheckpointer;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file);
    try {
      // Owner-only, before the WAL and shared-memory files exist: SQLite gives them the file's mode.
      chmodSync(file, 0o600);
      if ((this.db.pragma('user_version', { simple: true }) as number) === 0)
        this.db.pragma(`page_size = ${CACHE_PAGE_SIZE}`);
      for (const pragma of [...CACHE_PRAGMAS, ...BACKSTOP_PRAGMAS]) this.db.pragma(pragma);
      this.migrate();
    } catch (error) {
      this.db.close();
      throw error;
    }
    const p = (sql: string) => this.db.prepare(sql);
    this.sql = {
      read: p(READ_SQL),
      insertEntry: p(`INSERT INTO entries (profile, organization, environment, snapshot_id, name, media_type,
               size, sha256, request_id, cached_at, last_used_at, nonce, tag, ciphertext)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      // Only for an entry still there; a use only moves forward.
      touch: p(`INSERT INTO entry_uses (entry_id, last_used_at) SELECT id, ? FROM entries WHERE id = ?
               ON CONFLICT (entry_id) DO UPDATE SET last_used_at = excluded.last_used_at
               WHERE excluded.last_used_at > entry_uses.last_used_at`),
      deleteById: p('DELETE FROM entries WHERE id = ?'),
      discard: p(`DELETE FROM entries WHERE id = ? AND ${TENANT} AND snapshot_id = ?`),
      indexed: p(`SELECT id, profile, organization, environment, snapshot_id AS snapshotId, size,
               last_used_at AS lastUsedAt FROM ${WITH_USES} ORDER BY id`),
      list: p(`SELECT ${META} FROM ${WITH_USES} WHERE ${TENANT}
               AND (? = '' OR instr(lower(name), ?) > 0 OR instr(lower(media_type), ?) > 0)
               ORDER BY last_used_at DESC, id DESC LIMIT ?`),
      deleteTenantEntries: p(`DELETE FROM entries WHERE ${TENANT}`),
      deleteProfileEntries: p('DELETE FROM entries WHERE profile = ?'),
      dataKey: p(`SELECT master_key_id AS masterKeyId, wrapped FROM data_keys WHERE ${TENANT}`),
      insertDataKey: p(`INSERT OR IGNORE INTO data_keys (profile, organization, environment, master_key_id,
               wrapped, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
      dataKeysOf: p(`SELECT profile AS profileKey, organization, environment, master_key_id AS masterKeyId,
               wrapped FROM data_keys WHERE profile = ? AND master_key_id != ? ORDER BY organization, environment`),
      rewrap: p(`UPDATE data_keys SET master_key_id = ?, wrapped = ? WHERE ${TENANT} AND master_key_id = ?`),
      deleteTenantKey: p(`DELETE FROM data_keys WHERE ${TENANT}`),
      deleteProfileKeys: p('DELETE FROM data_keys WHERE profile = ?'),
      profiles: p('SELECT DISTINCT profile FROM data_keys').pluck(),
      tenantsOf: p(
        'SELECT organization, environment FROM data_keys WHERE profile = ? ORDER BY organization, environment',
      ),
      checkpoint: p('SELECT root FROM checkpoints WHERE profile = ? AND origin = ? AND size = ?').pluck(),
      saveCheckpoint: p(`INSERT OR REPLACE INTO checkpoints (profile, origin, size, root, note, saved_at)
               VALUES (?, ?, ?, ?, ?, ?)`),
      checkpoints: p(`SELECT size, root, note, saved_at AS savedAt FROM checkpoints
               WHERE profile = ? AND origin = ? ORDER BY size`),
      pinnedKeys: p('SELECT keys FROM pinned_keys WHERE profile = ? AND origin = ?').pluck(),
      pinKeys: p('INSERT OR REPLACE INTO pinned_keys (profile, origin, keys, pinned_at) VALUES (?, ?, ?, ?)'),
      forgetProfile: [
        p('DELETE FROM checkpoints WHERE profile = ?'),
        p('DELETE FROM pinned_keys WHERE profile = ?'),
      ],
    };
    try {
      this.#index = this.#load();
    } catch (error) {
      this.db.close();
      throw error;
    }
    // Without its thread, checkpoints go back to this connection, at SQLite's usual interval.
    this.#checkpointer = new WalCheckpointer(file, () => {
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
    });
    this.#put = this.db.transaction(
      (scope: KeyScope, meta: EntryMeta, sealed: Sealed, quotaBytes: number, index: EntryIndex) =>
        this.#putRows(scope, meta, sealed, quotaBytes, index),
    );
  }

  /** The SQLite file, for the read threads' own connections. */
  get file(): string {
    return this.db.name;
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (let version = current; version < CACHE_MIGRATIONS.length; version++) {
      this.db.transaction(() => {
        this.db.exec(CACHE_MIGRATIONS[version] as string);
        this.db.pragma(`user_version = ${version + 1}`);
      })();
    }
  }

  /** The row, as READ_SQL reads it where the lookup says it is. */
  read(scope: KeyScope, snapshotId: string): StoredEntry | undefined {
    const found = this.locate(scope, snapshotId);
    return found && (this.sql.read.get(found.id, ...at(scope), snapshotId) as StoredEntry | undefined);
  }

  /** Whether there is a row, and where: nothing is read from the file. */
  locate(scope: KeyScope, snapshotId: string): EntryLocation | undefined {
    return this.#fresh().find(entryKey(scope, snapshotId));
  }

  // The in-memory index changes only after a write has committed: a write that throws was rolled back,
  // and the index still matches the table.

  deleteEntry(scope: KeyScope, snapshotId: string): void {
    const found = this.locate(scope, snapshotId);
    if (found) this.discard(scope, snapshotId, found.id);
  }

  /**
   * The row `id`, only if it is still that scope's and that snapshot's: an id held across an await (a read
   * waiting on the keychain) may have been freed by a shred and given to another tenant's row since.
   */
  discard(scope: KeyScope, snapshotId: string, id: number): void {
    if (this.sql.discard.run(id, ...at(scope), snapshotId).changes > 0) this.#index?.remove(id);
  }

  /** A read's last-used time, for the quota's order now; `touch` writes it to the file later. */
  touched(id: number, time: number): void {
    this.#index?.touch(id, time);
  }

  /** Last-used times recorded by reads, written together (one transaction instead of one per read). */
  touch(times: ReadonlyMap<number, number>): void {
    if (times.size === 0) return;
    this.db.transaction(() => {
      for (const [id, time] of times) this.sql.touch.run(time, id);
    })();
    for (const [id, time] of times) this.#index?.touch(id, time);
  }

  /**
   * One transaction: the entry (metadata and blob, one row) replaces any earlier copy, then
   * least-recently-used entries of any tenant go until the total fits the quota. A crash leaves the
   * whole put or none of it.
   */
  put(scope: KeyScope, meta: EntryMeta, sealed: Sealed, quotaBytes: number): { evicted: number } {
    const done = this.#put(scope, meta, sealed, quotaBytes, this.#fresh());
    done.apply();
    this.#checkpointer.wrote(pagesOf(meta.size));
    return { evicted: done.evicted };
  }

  #putRows(scope: KeyScope, meta: EntryMeta, sealed: Sealed, quotaBytes: number, index: EntryIndex) {
    const key = entryKey(scope, meta.snapshotId);
    const earlier = index.find(key);
    const replaced = earlier ? [earlier.id] : [];
    if (earlier) this.sql.deleteById.run(earlier.id);
    const id = Number(
      this.sql.insertEntry.run(
        ...at(scope),
        meta.snapshotId,
        meta.name,
        meta.mediaType,
        meta.size,
        meta.sha256,
        meta.requestId,
        meta.cachedAt,
        meta.lastUsedAt,
        sealed.nonce,
        sealed.tag,
        sealed.ciphertext,
      ).lastInsertRowid,
    );
    let total = index.bytes + meta.size;
    for (const old of replaced) total -= index.size(old) ?? 0;
    const evicted = this.#evict(index, total - quotaBytes, [...replaced, id]);
    const apply = () => {
      for (const old of replaced) index.remove(old);
      index.set({ id, key, size: meta.size, lastUsedAt: meta.lastUsedAt });
      for (const old of evicted) index.remove(old);
    };
    return { evicted: evicted.length, apply };
  }

  /** Deletes least-recently-used entries (none of `keep`) until `excess` bytes are gone; answers their ids. */
  #evict(index: EntryIndex, excess: number, keep: readonly number[]): number[] {
    if (excess <= 0) return [];
    const ids = index.oldest(excess, keep);
    for (const id of ids) this.sql.deleteById.run(id);
    return ids;
  }

  shrinkTo(quotaBytes: number): number {
    const index = this.#fresh();
    const ids = this.db.transaction(() => this.#evict(index, index.bytes - quotaBytes, []))();
    for (const id of ids) index.remove(id);
    return ids.length;
  }

  totals(): { entries: number; bytes: number } {
    const index = this.#fresh();
    return { entries: index.entries, bytes: index.bytes };
  }

  list(scope: KeyScope, query: string, limit: number): EntryMeta[] {
    const q = query.toLowerCase();
    return this.sql.list.all(...at(scope), q, q, q, limit) as EntryMeta[];
  }

  dataKey(scope: KeyScope): { masterKeyId: string; wrapped: Buffer } | undefined {
    return this.sql.dataKey.get(...at(scope)) as { masterKeyId: string; wrapped: Buffer } | undefined;
  }

  /** False when the tenant already had a data key (the caller then uses that one). */
  insertDataKey(scope: KeyScope, masterKeyId: string, wrapped: Buffer, now: number): boolean {
    return this.sql.insertDataKey.run(...at(scope), masterKeyId, wrapped, now).changes === 1;
  }

  /** The profile's data keys that some master key other than `masterKeyId` wraps. */
  dataKeysNotWrappedBy(profileKey: string, masterKeyId: string): DataKeyRow[] {
    return this.sql.dataKeysOf.all(profileKey, masterKeyId) as DataKeyRow[];
  }

  /** One data key re-wrapped, in its own durable transaction; false if the row changed meanwhile. */
  rewrap(scope: KeyScope, fromId: string, toId: string, wrapped: Buffer): boolean {
    return this.durably(() => this.sql.rewrap.run(toId, wrapped, ...at(scope), fromId).changes === 1);
  }

  /** The tenants of a profile that hold a data key here (and so may hold evidence). */
  tenantsOf(profileKey: string): { organization: string; environment: 'test' | 'live' }[] {
    return this.sql.tenantsOf.all(profileKey) as { organization: string; environment: 'test' | 'live' }[];
  }

  profileKeys(): string[] {
    return this.sql.profiles.all() as string[];
  }

  /** Crypto-shredding: the data key goes first, durably; the blobs, useless from then on, after. */
  shredTenant(scope: KeyScope): void {
    this.durably(() => this.sql.deleteTenantKey.run(...at(scope)));
    this.sql.deleteTenantEntries.run(...at(scope));
    this.compact();
  }

  shredProfile(profileKey: string): void {
    this.durably(() => this.sql.deleteProfileKeys.run(profileKey));
    this.db.transaction(() => {
      this.sql.deleteProfileEntries.run(profileKey);
      for (const statement of this.sql.forgetProfile) statement.run(profileKey);
    })();
    this.compact();
  }

  clear(): void {
    this.durably(() => this.db.exec('DELETE FROM data_keys'));
    this.db.exec('DELETE FROM entries');
    this.compact();
  }

  checkpointRoot(profileKey: string, origin: string, size: number): string | undefined {
    return this.sql.checkpoint.get(profileKey, origin, size) as string | undefined;
  }

  saveCheckpoint(profileKey: string, origin: string, checkpoint: StoredCheckpoint): void {
    const { size, root, note, savedAt } = checkpoint;
    this.sql.saveCheckpoint.run(profileKey, origin, size, root, note, savedAt);
  }

  checkpoints(profileKey: string, origin: string): StoredCheckpoint[] {
    return this.sql.checkpoints.all(profileKey, origin) as StoredCheckpoint[];
  }

  pinnedKeys(profileKey: string, origin: string): string | undefined {
    return this.sql.pinnedKeys.get(profileKey, origin) as string | undefined;
  }

  pinKeys(profileKey: string, origin: string, keysJson: string, now: number): void {
    this.sql.pinKeys.run(profileKey, origin, keysJson, now);
  }

  /** Resolves once no checkpoint is running on the thread (for a caller that measures or inspects the file). */
  settled(): Promise<void> {
    return this.#checkpointer.idle();
  }

  get walCheckpoints(): WalCheckpointStats {
    return this.#checkpointer.stats;
  }

  close(): void {
    this.#checkpointer.close();
    if (this.db.open) this.db.close();
  }

  /** A write that must survive a power loss, and whose deleted bytes are overwritten in the file. */
  private durably<T>(write: () => T): T {
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    try {
      return this.db.transaction(write)();
    } finally {
      this.db.pragma('secure_delete = OFF');
      this.db.pragma('synchronous = NORMAL');
    }
  }

  /**
   * Copies the WAL into the file and truncates it, so old frames (earlier versions of rows) are gone. SQLite
   * answers busy, without waiting, while another connection runs a checkpoint (the checkpoint thread's):
   * that one finishes on its own thread, so this waits a moment and asks again. A WAL it cannot empty
   * within the busy timeout is an error, not a silent success.
   */
  private compact(): void {
    // After a bulk delete: the index is read again from the table when next needed.
    this.#index = undefined;
    const deadline = Date.now() + COMPACT_WAIT_MS;
    for (;;) {
      const [state] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (state?.busy === 0) return;
      if (Date.now() > deadline)
        throw new Error('The WAL could not be emptied: a checkpoint is still running.');
      Atomics.wait(PAUSE, 0, 0, 2);
    }
  }

  /**
   * The index, from the table. Only this store writes the file, so it never holds two rows of one snapshot;
   * should it (a second writer on the same file), the later row stands and the earlier goes, so no row
   * lingers that the quota cannot see.
   */
  #load(): EntryIndex {
    const rows = this.sql.indexed.all() as (Omit<IndexedEntry, 'key'> & KeyScopeRow)[];
    const index = new EntryIndex(
      rows.map(({ id, size, lastUsedAt, profile, organization, environment, snapshotId }) => ({
        id,
        size,
        lastUsedAt,
        key: entryKey({ profileKey: profile, organization, environment }, snapshotId),
      })),
    );
    if (index.superseded.length > 0)
      this.db.transaction(() => {
        for (const id of index.superseded) this.sql.deleteById.run(id);
      })();
    return index;
  }

  #fresh(): EntryIndex {
    this.#index ??= this.#load();
    return this.#index;
  }
}

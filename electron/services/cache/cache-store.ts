import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { KeyScope, Sealed } from './envelope';

/**
 * Every line of SQL the evidence cache runs. Entry and data-key rows are always read and written under
 * their full scope (profile key, organization, environment) — by id only once a scoped read found them;
 * only the quota's eviction and `clear` look across tenants, and they only delete. The file holds
 * ciphertext, wrapped keys, clear metadata and public audit checkpoints, nothing else.
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

const migrations = [
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
];

/**
 * 16 KiB pages: a 64 KiB blob spans a few overflow pages instead of sixteen, while a metadata update still
 * writes small pages. mmap: a blob is copied out of the mapped file rather than read() page by page.
 */
export const CACHE_PAGE_SIZE = 16_384;
export const CACHE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'mmap_size = 1073741824',
];

const TENANT = 'profile = ? AND organization = ? AND environment = ?';
const META = `snapshot_id AS snapshotId, name, media_type AS mediaType, size, sha256,
  request_id AS requestId, cached_at AS cachedAt, last_used_at AS lastUsedAt`;
const at = (s: KeyScope) => [s.profileKey, s.organization, s.environment] as const;

export class CacheStore {
  private readonly db: Database.Database;
  private readonly sql;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file);
    try {
      // Owner-only, before the WAL and shared-memory files exist: SQLite gives them the file's mode.
      chmodSync(file, 0o600);
      if ((this.db.pragma('user_version', { simple: true }) as number) === 0)
        this.db.pragma(`page_size = ${CACHE_PAGE_SIZE}`);
      for (const pragma of CACHE_PRAGMAS) this.db.pragma(pragma);
      this.migrate();
    } catch (error) {
      this.db.close();
      throw error;
    }
    const p = (sql: string) => this.db.prepare(sql);
    this.sql = {
      read: p(`SELECT e.id, ${META}, b.nonce, b.tag, b.ciphertext FROM entries e
               JOIN blobs b ON b.entry_id = e.id WHERE ${TENANT} AND snapshot_id = ?`),
      deleteEntry: p(`DELETE FROM entries WHERE ${TENANT} AND snapshot_id = ?`),
      insertEntry: p(`INSERT INTO entries (profile, organization, environment, snapshot_id, name, media_type,
               size, sha256, request_id, cached_at, last_used_at) VALUES (@profileKey, @organization,
               @environment, @snapshotId, @name, @mediaType, @size, @sha256, @requestId, @cachedAt, @lastUsedAt)`),
      insertBlob: p('INSERT INTO blobs (entry_id, nonce, tag, ciphertext) VALUES (?, ?, ?, ?)'),
      touch: p('UPDATE entries SET last_used_at = ? WHERE id = ? AND last_used_at < ?'),
      oldest: p('SELECT id FROM entries WHERE id != ? ORDER BY last_used_at, id LIMIT 64').pluck(),
      deleteById: p('DELETE FROM entries WHERE id = ?'),
      totals: p('SELECT entries, bytes FROM totals WHERE id = 1'),
      list: p(`SELECT ${META} FROM entries WHERE ${TENANT}
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
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (let version = current; version < migrations.length; version++) {
      this.db.transaction(() => {
        this.db.exec(migrations[version] as string);
        this.db.pragma(`user_version = ${version + 1}`);
      })();
    }
  }

  read(scope: KeyScope, snapshotId: string): StoredEntry | undefined {
    return this.sql.read.get(...at(scope), snapshotId) as StoredEntry | undefined;
  }

  deleteEntry(scope: KeyScope, snapshotId: string): void {
    this.sql.deleteEntry.run(...at(scope), snapshotId);
  }

  deleteEntryById(id: number): void {
    this.sql.deleteById.run(id);
  }

  /** Last-used times recorded by reads, written together (one transaction instead of one per read). */
  touch(times: ReadonlyMap<number, number>): void {
    if (times.size === 0) return;
    this.db.transaction(() => {
      for (const [id, time] of times) this.sql.touch.run(time, id, time);
    })();
  }

  /**
   * One transaction: the entry's metadata and blob replace any earlier copy, then least-recently-used
   * entries of any tenant go until the total fits the quota. A crash leaves the whole put or none of it.
   */
  put(scope: KeyScope, meta: EntryMeta, sealed: Sealed, quotaBytes: number): { evicted: number } {
    return this.db.transaction(() => {
      this.sql.deleteEntry.run(...at(scope), meta.snapshotId);
      const { lastInsertRowid: id } = this.sql.insertEntry.run({ ...scope, ...meta });
      this.sql.insertBlob.run(id, sealed.nonce, sealed.tag, sealed.ciphertext);
      return { evicted: this.evict(quotaBytes, id) };
    })();
  }

  /** Deletes least-recently-used entries (never `keep`) until the total is within the quota. */
  private evict(quotaBytes: number, keep: number | bigint = -1): number {
    let evicted = 0;
    while (this.totals().bytes > quotaBytes) {
      const ids = this.sql.oldest.all(keep) as number[];
      if (ids.length === 0) break;
      for (const id of ids) {
        this.sql.deleteById.run(id);
        evicted++;
        if (this.totals().bytes <= quotaBytes) break;
      }
    }
    return evicted;
  }

  shrinkTo(quotaBytes: number): number {
    return this.db.transaction(() => this.evict(quotaBytes))();
  }

  totals(): { entries: number; bytes: number } {
    return this.sql.totals.get() as { entries: number; bytes: number };
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

  close(): void {
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

  /** Copies the WAL into the file and truncates it, so old frames (earlier versions of rows) are gone. */
  private compact(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

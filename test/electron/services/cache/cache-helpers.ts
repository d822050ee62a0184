import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import keytar from 'keytar';
import type { CacheStore } from '../../../../electron/services/cache/cache-store';
import type { KeyScope } from '../../../../electron/services/cache/envelope';
import {
  type CacheTenant,
  EvidenceCache,
  type EvidenceCacheOptions,
  type EvidenceSnapshot,
} from '../../../../electron/services/cache/evidence-cache';
import { type Profile, Vault } from '../../../../electron/services/vault/vault';
import type { Result } from '../../../../shared/result';

export const alice: Profile = { platformOrigin: 'https://platform.example.com', principalId: 'usr_alice' };
export const bob: Profile = { platformOrigin: 'https://platform.example.com', principalId: 'usr_bob' };

export function tenant(
  profile: Profile,
  organization = 'acme',
  environment: 'test' | 'live' = 'live',
): CacheTenant {
  return { profile, organization, environment };
}

/** The real OS keychain (the test's private GNOME Keyring), under a service name of the test's own. */
export function testVault(name: string): { vault: Vault; service: string } {
  const service = `cc-test-cache-${name}-${process.pid}`;
  return { vault: new Vault(keytar, service), service };
}

export function tempDir(): { dir: string; file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cc-cache-test-'));
  return {
    dir,
    file: join(dir, 'evidence-cache.db'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function snapshot(
  snapshotId: string,
  bytes: Uint8Array = randomBytes(2048),
  extra = {},
): EvidenceSnapshot {
  return {
    snapshotId,
    name: `${snapshotId}.pdf`,
    mediaType: 'application/pdf',
    sha256: sha256(bytes),
    bytes,
    ...extra,
  };
}

export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

export function openCache(options: EvidenceCacheOptions): EvidenceCache {
  return value(EvidenceCache.open(options));
}

/** A second, plain connection to the cache's file, for looking at (and tampering with) raw rows. */
export function rawDb(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  return db;
}

export function masterKeyId(base64: string): string {
  return createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex').slice(0, 16);
}

export interface Child {
  readonly process: ChildProcess;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** Resolves at the first line (from the start) that passes `test`; rejects if the child exits first. */
  waitFor(test: (line: string) => boolean): Promise<string>;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
}

/** The crash fixture in its own process, with the keychain service of the test passed along. */
export function spawnCacheChild(file: string, service: string, mode: 'put' | 'rotate'): Child {
  const fixture = join(import.meta.dirname, '../../../fixtures/cache-crash-child.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, file, service, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let stderr = '';
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const reader = createInterface({ input: child.stdout });
  const closed = new Promise<void>((resolve) => reader.once('close', resolve));
  reader.on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters])
      if (waiter.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
  });
  return {
    process: child,
    lines,
    waitFor: (test) => {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ test, resolve });
        void closed.then(() => reject(new Error(`child exited: ${stderr.slice(-2000)}`)));
      });
    },
    kill: async () => {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
  };
}

/**
 * A row straight into a store, below the cache: random bytes stand for the ciphertext (the store neither
 * seals nor opens). Answers the row's id, as the store's lookup has it.
 */
export function putRow(store: CacheStore, scope: KeyScope, snapshotId: string, size: number): number {
  store.put(
    scope,
    {
      snapshotId,
      name: `${snapshotId}.pdf`,
      mediaType: 'application/pdf',
      size,
      sha256: 'a'.repeat(64),
      requestId: null,
      cachedAt: 1,
      lastUsedAt: 1,
    },
    { nonce: randomBytes(12), tag: randomBytes(16), ciphertext: randomBytes(size) },
    Number.MAX_SAFE_INTEGER,
  );
  return store.locate(scope, snapshotId)?.id ?? -1;
}

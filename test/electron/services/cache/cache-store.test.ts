import { afterAll, describe, expect, it } from 'vitest';
import { CacheStore, READ_SQL } from '../../../../electron/services/cache/cache-store';
import { putRow, rawDb, tempDir } from './cache-helpers';

const dirs: (() => void)[] = [];
afterAll(() => {
  for (const remove of dirs) remove();
});

const profileKey = 'https://platform.example.com|usr_alice';
const acme = { profileKey, organization: 'acme', environment: 'live' };
const globex = { profileKey, organization: 'globex', environment: 'live' };

describe('the cache store, by row id', () => {
  it("reads a row by id only under its own scope and snapshot id: another tenant's id reads nothing", () => {
    const { file, remove } = tempDir();
    dirs.push(remove);
    const store = new CacheStore(file);
    const id = putRow(store, acme, 'evd-1', 2048);
    store.close();
    const db = rawDb(file);
    const read = db.prepare(READ_SQL);
    expect(read.get(id, acme.profileKey, acme.organization, acme.environment, 'evd-1')).toMatchObject({ id });
    expect(read.get(id, globex.profileKey, globex.organization, globex.environment, 'evd-1')).toBeUndefined();
    expect(read.get(id, acme.profileKey, acme.organization, acme.environment, 'evd-2')).toBeUndefined();
    db.close();
  });

  it("discards by a stale id without touching the tenant's row that holds that id now", () => {
    const { file, remove } = tempDir();
    dirs.push(remove);
    const store = new CacheStore(file);
    const stale = putRow(store, acme, 'evd-1', 2048);
    store.shredTenant(acme);
    // SQLite hands the freed id to the next row: now another tenant's.
    const reused = putRow(store, globex, 'evd-9', 2048);
    expect(reused).toBe(stale);
    store.discard(acme, 'evd-1', stale);
    expect(store.locate(globex, 'evd-9')).toMatchObject({ id: reused });
    expect(store.read(globex, 'evd-9')).toMatchObject({ snapshotId: 'evd-9' });
    expect(store.totals()).toEqual({ entries: 1, bytes: 2048 });
    store.close();
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvidenceCache } from '../../../../electron/services/cache/evidence-cache';
import type { Profile, Vault } from '../../../../electron/services/vault/vault';
import {
  alice,
  masterKeyId,
  openCache,
  rawDb,
  snapshot,
  spawnCacheChild,
  tempDir,
  tenant,
  testVault,
  value,
} from './cache-helpers';

const dirs: (() => void)[] = [];
const vaults: Vault[] = [];
function fresh(name: string) {
  const dir = tempDir();
  dirs.push(dir.remove);
  const own = testVault(name);
  vaults.push(own.vault);
  return { file: dir.file, ...own };
}
const crashProfile: Profile = { platformOrigin: 'https://platform.example.com', principalId: 'usr_crash' };
afterAll(async () => {
  for (const vault of vaults) {
    await vault.deleteProfile(alice);
    await vault.deleteProfile(crashProfile);
  }
  for (const remove of dirs) remove();
});

/** One small snapshot in each of `count` tenants of the profile (two environments per organization). */
async function seed(cache: EvidenceCache, profile: Profile, count: number): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const bytes = randomBytes(64 + i);
    value(
      await cache.put(tenant(profile, `org-${i >> 1}`, i % 2 ? 'test' : 'live'), snapshot(`evd-${i}`, bytes)),
    );
    contents.set(`evd-${i}`, bytes);
  }
  return contents;
}

async function expectAllReadable(cache: EvidenceCache, profile: Profile, contents: Map<string, Buffer>) {
  let i = 0;
  for (const [id, bytes] of contents) {
    const got = value(await cache.get(tenant(profile, `org-${i >> 1}`, i % 2 ? 'test' : 'live'), id));
    expect(got.bytes.equals(bytes)).toBe(true);
    i++;
  }
}

/** How many of the profile's data keys each master key id wraps. */
function wrappedBy(file: string, profile: Profile): Record<string, number> {
  const db = rawDb(file);
  const rows = db
    .prepare('SELECT master_key_id AS id, count(*) AS n FROM data_keys WHERE profile = ? GROUP BY 1')
    .all(`${profile.platformOrigin}|${profile.principalId}`) as { id: string; n: number }[];
  db.close();
  return Object.fromEntries(rows.map((r) => [r.id, r.n]));
}

async function keyIds(vault: Vault, profile: Profile) {
  const current = await vault.get(profile, 'cache-master-key');
  const next = await vault.get(profile, 'cache-master-key-next');
  return { current: current && masterKeyId(current), next: next && masterKeyId(next) };
}

describe('master-key rotation', () => {
  it('re-wraps every data key under a new master key, reporting progress, then promotes it', async () => {
    const { file, vault } = fresh('rotate');
    const cache = openCache({ file, vault });
    const contents = await seed(cache, alice, 6);
    const before = await keyIds(vault, alice);
    const progress: [number, number][] = [];
    const outcome = value(
      await cache.rotateMasterKey(alice, { onProgress: (d, t) => progress.push([d, t]) }),
    );
    expect(progress).toEqual([1, 2, 3, 4, 5, 6].map((d) => [d, 6]));
    const after = await keyIds(vault, alice);
    expect(after.current).not.toBe(before.current);
    expect(after).toEqual({ current: outcome.masterKeyId, next: undefined });
    expect(outcome).toEqual({ rotated: true, masterKeyId: after.current, rewrapped: 6 });
    expect(wrappedBy(file, alice)).toEqual({ [after.current as string]: 6 });
    await expectAllReadable(cache, alice, contents);
    cache.close();
    const reopened = openCache({ file, vault });
    await expectAllReadable(reopened, alice, contents);
    reopened.close();
  });

  it('stops between two data keys when aborted, keeps every blob readable, and resumes where it stopped', async () => {
    const { file, vault } = fresh('abort');
    const cache = openCache({ file, vault });
    const contents = await seed(cache, alice, 12);
    const { current } = await keyIds(vault, alice);
    const controller = new AbortController();
    const stopped = await cache.rotateMasterKey(alice, {
      signal: controller.signal,
      onProgress: (done) => done === 5 && controller.abort(),
    });
    expect(stopped.ok ? 'ok' : stopped.error.code).toBe('conflict');
    const pending = await keyIds(vault, alice);
    expect(pending.current).toBe(current);
    expect(pending.next).toMatch(/^[0-9a-f]{16}$/);
    expect(wrappedBy(file, alice)).toEqual({ [current as string]: 7, [pending.next as string]: 5 });

    // Meanwhile a new tenant's data key is wrapped by the incoming key from the start.
    contents.set('evd-12', randomBytes(10));
    value(await cache.put(tenant(alice, 'org-6', 'live'), snapshot('evd-12', contents.get('evd-12'))));
    expect(wrappedBy(file, alice)[pending.next as string]).toBe(6);
    cache.close();

    const reopened = openCache({ file, vault });
    await expectAllReadable(reopened, alice, contents);
    const progress: [number, number][] = [];
    const resumed = value(
      await reopened.resumeRotation(alice, { onProgress: (d, t) => progress.push([d, t]) }),
    );
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => [d, 7]));
    expect(resumed).toEqual({ rotated: true, masterKeyId: pending.next, rewrapped: 7 });
    expect(await keyIds(vault, alice)).toEqual({ current: pending.next, next: undefined });
    expect(wrappedBy(file, alice)).toEqual({ [pending.next as string]: 13 });
    await expectAllReadable(reopened, alice, contents);
    expect(value(await reopened.resumeRotation(alice)).rotated).toBe(false);
    reopened.close();
  });

  it('resumeRotations() at start-up finishes every pending rotation', async () => {
    const { file, vault } = fresh('startup');
    const cache = openCache({ file, vault });
    const contents = await seed(cache, alice, 4);
    const controller = new AbortController();
    await cache.rotateMasterKey(alice, { signal: controller.signal, onProgress: () => controller.abort() });
    expect((await keyIds(vault, alice)).next).toBeDefined();
    cache.close();
    const started = openCache({ file, vault });
    expect(value(await started.resumeRotations())).toBe(1);
    expect((await keyIds(vault, alice)).next).toBeUndefined();
    await expectAllReadable(started, alice, contents);
    expect(value(await started.resumeRotations())).toBe(0);
    started.close();
  });

  it('tidies a rotation stopped between promoting the new key and deleting the "next" copy', async () => {
    const { file, vault } = fresh('promoted');
    const cache = openCache({ file, vault });
    const contents = await seed(cache, alice, 2);
    value(await cache.rotateMasterKey(alice));
    cache.close();
    await vault.put(alice, 'cache-master-key-next', (await vault.get(alice, 'cache-master-key')) as string);
    const reopened = openCache({ file, vault });
    expect(value(await reopened.resumeRotation(alice)).rotated).toBe(false);
    expect((await keyIds(vault, alice)).next).toBeUndefined();
    await expectAllReadable(reopened, alice, contents);
    reopened.close();
  });

  it('refuses a second rotation of the same profile while one is running', async () => {
    const { file, vault } = fresh('twice');
    const cache = openCache({ file, vault });
    await seed(cache, alice, 3);
    const first = cache.rotateMasterKey(alice);
    const second = await cache.rotateMasterKey(alice);
    expect(second.ok ? 'ok' : second.error.code).toBe('conflict');
    value(await first);
    cache.close();
  });

  it('survives the process being killed mid-rotation, again and again, then finishes on resume', async () => {
    const { file, vault, service } = fresh('killed');
    const seeding = openCache({ file, vault });
    const contents = await seed(seeding, crashProfile, 150);
    seeding.close();
    const { current } = await keyIds(vault, crashProfile);
    let next: string | undefined;
    let rewrapped = 0;
    for (let round = 0; round < 3; round++) {
      const child = spawnCacheChild(file, service, 'rotate');
      const stopAt = 5 + Math.floor(Math.random() * 15);
      await child.waitFor((line) => line === `progress ${stopAt}`);
      await child.kill();
      rewrapped += stopAt;
      const ids = await keyIds(vault, crashProfile);
      next ??= ids.next;
      // At every moment: each row is wrapped by a key the keychain still holds, and the rotation is pending.
      expect(ids).toEqual({ current, next });
      const counts = wrappedBy(file, crashProfile);
      expect(Object.keys(counts).sort()).toEqual([current, next].sort());
      expect((counts[current as string] ?? 0) + (counts[next as string] ?? 0)).toBe(150);
      expect(counts[next as string]).toBeGreaterThanOrEqual(rewrapped);
      expect(counts[current as string]).toBeGreaterThan(0);
      const cache = openCache({ file, vault });
      await expectAllReadable(cache, crashProfile, contents);
      cache.close();
    }
    const cache = openCache({ file, vault });
    const resumed = value(await cache.resumeRotation(crashProfile));
    expect(resumed.masterKeyId).toBe(next);
    expect(await keyIds(vault, crashProfile)).toEqual({ current: next, next: undefined });
    expect(wrappedBy(file, crashProfile)).toEqual({ [next as string]: 150 });
    await expectAllReadable(cache, crashProfile, contents);
    cache.close();
  }, 60_000);
});

import { afterAll, describe, expect, it } from 'vitest';
import { alice, bob, openCache, rawDb, tempDir, testVault, value } from './cache-helpers';

const { vault } = testVault('checkpoints');
const dir = tempDir();
afterAll(() => dir.remove());

const origin = 'platform.example.com/orgs/acme/live/audit';
const note = (size: number) => `${origin}\n${size}\nroot-${size}=\n\n— platform.example.com sig-${size}\n`;

describe('trusted audit checkpoints and pinned verifier keys', () => {
  it('keeps signed checkpoints per profile and log, ordered by size with the newest last, across restarts', () => {
    const cache = openCache({ file: dir.file, vault, now: () => 42 });
    for (const size of [1024, 256, 4096])
      value(cache.saveCheckpoint(alice, origin, { size, root: `root-${size}=`, note: note(size) }));
    value(cache.saveCheckpoint(bob, origin, { size: 8, root: 'root-8=', note: note(8) }));
    value(cache.saveCheckpoint(alice, `${origin}-other`, { size: 9, root: 'root-9=', note: note(9) }));
    cache.close();
    const reopened = openCache({ file: dir.file, vault });
    expect(value(reopened.checkpoints(alice, origin))).toEqual(
      [256, 1024, 4096].map((size) => ({ size, root: `root-${size}=`, note: note(size), savedAt: 42 })),
    );
    expect(value(reopened.checkpoints(bob, origin)).map((c) => c.size)).toEqual([8]);
    expect(value(reopened.checkpoints(bob, `${origin}-other`))).toEqual([]);
    reopened.close();
  });

  it('accepts the same checkpoint again but refuses a different root for a size already trusted', () => {
    const cache = openCache({ file: dir.file, vault });
    value(cache.saveCheckpoint(alice, origin, { size: 1024, root: 'root-1024=', note: note(1024) }));
    const fork = cache.saveCheckpoint(alice, origin, { size: 1024, root: 'forked-root=', note: 'forged' });
    expect(fork.ok ? 'ok' : fork.error.code).toBe('conflict');
    expect(value(cache.checkpoints(alice, origin)).find((c) => c.size === 1024)?.root).toBe('root-1024=');
    const bad = cache.saveCheckpoint(alice, origin, { size: -1, root: 'x', note: 'y' });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('bad-request');
    cache.close();
  });

  it('pins verifier keys per profile and log, replacing the set, and stores them in clear as public data', () => {
    const cache = openCache({ file: dir.file, vault });
    expect(value(cache.pinnedKeys(alice, origin))).toEqual([]);
    value(cache.pinKeys(alice, origin, ['platform.example.com+1a2b+AAAAkey1']));
    value(
      cache.pinKeys(alice, origin, [
        'platform.example.com+1a2b+AAAAkey1',
        'platform.example.com+3c4d+AAAAkey2',
      ]),
    );
    expect(value(cache.pinnedKeys(alice, origin))).toEqual([
      'platform.example.com+1a2b+AAAAkey1',
      'platform.example.com+3c4d+AAAAkey2',
    ]);
    expect(value(cache.pinnedKeys(bob, origin))).toEqual([]);
    cache.close();
    const db = rawDb(dir.file);
    expect(db.prepare('SELECT keys FROM pinned_keys').pluck().get()).toContain('AAAAkey2');
    expect(db.prepare('SELECT note FROM checkpoints WHERE size = 4096').pluck().get()).toBe(note(4096));
    db.close();
  });
});

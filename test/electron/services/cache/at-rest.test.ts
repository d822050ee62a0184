import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { unwrapKey, wrapAad } from '../../../../electron/services/cache/envelope';
import {
  alice,
  bob,
  masterKeyId,
  openCache,
  rawDb,
  snapshot,
  tempDir,
  tenant,
  testVault,
  value,
} from './cache-helpers';

const { vault } = testVault('at-rest');
const dir = tempDir();
afterAll(async () => {
  await vault.deleteProfile(alice);
  await vault.deleteProfile(bob);
  dir.remove();
});

const marker = `PLAINTEXT-EVIDENCE-MARKER-${randomBytes(6).toString('hex')}`;

/** Evidence whose plaintext is easy to spot: the marker over and over, around some random bytes. */
function markedEvidence(size: number): Buffer {
  const text = Buffer.from(`${marker} `.repeat(Math.ceil(size / (marker.length + 1))).slice(0, size));
  randomBytes(64).copy(text, Math.floor(size / 2));
  return text;
}

/** The raw data keys, unwrapped here with the master keys from the keychain (to look for them). */
async function secrets(file: string): Promise<{ name: string; bytes: Buffer }[]> {
  const found: { name: string; bytes: Buffer }[] = [];
  const db = rawDb(file);
  const rows = db
    .prepare('SELECT profile, organization, environment, master_key_id, wrapped FROM data_keys')
    .all() as {
    profile: string;
    organization: string;
    environment: string;
    master_key_id: string;
    wrapped: Buffer;
  }[];
  db.close();
  for (const profile of [alice, bob]) {
    const base64 = (await vault.get(profile, 'cache-master-key')) as string;
    const master = Buffer.from(base64, 'base64');
    found.push(
      { name: 'master key (raw)', bytes: master },
      { name: 'master key (base64)', bytes: Buffer.from(base64) },
    );
    for (const row of rows.filter((r) => r.profile.endsWith(profile.principalId))) {
      const scope = { profileKey: row.profile, organization: row.organization, environment: row.environment };
      expect(row.master_key_id).toBe(masterKeyId(base64));
      const dataKey = unwrapKey(master, row.wrapped, wrapAad(scope, row.master_key_id)) as Buffer;
      expect(dataKey).toHaveLength(32);
      found.push(
        { name: 'data key (raw)', bytes: dataKey },
        { name: 'data key (base64)', bytes: Buffer.from(dataKey.toString('base64')) },
        { name: 'data key (hex)', bytes: Buffer.from(dataKey.toString('hex')) },
      );
    }
  }
  return found;
}

function leaks(files: string[], needles: { name: string; bytes: Buffer }[]): string[] {
  return files.flatMap((file) => {
    const raw = readFileSync(file);
    return needles.filter((n) => raw.includes(n.bytes)).map((n) => `${n.name} in ${file.split('.').pop()}`);
  });
}

describe('the evidence cache at rest', () => {
  it('holds no plaintext evidence and no key in the database file or its WAL, open or closed', async () => {
    const cache = openCache({ file: dir.file, vault });
    for (const [i, size] of [500, 20_000, 200_000, 3_000_000].entries()) {
      value(
        await cache.put(
          tenant(alice, 'acme', i % 2 ? 'test' : 'live'),
          snapshot(`evd-${i}`, markedEvidence(size)),
        ),
      );
      value(await cache.put(tenant(bob, 'globex'), snapshot(`evd-${i}`, markedEvidence(size))));
    }
    value(await cache.get(tenant(alice), 'evd-0'));
    const needles = [{ name: 'plaintext', bytes: Buffer.from(marker) }, ...(await secrets(dir.file))];
    expect(needles.filter((n) => n.name.startsWith('data key')).length).toBe(9);
    // While open: the WAL holds the most recent writes.
    const wal = `${dir.file}-wal`;
    expect(readFileSync(wal).length).toBeGreaterThan(3_000_000);
    expect(leaks([dir.file, wal], needles)).toEqual([]);
    // The scan is not blind: it finds what is stored in clear (the metadata) in the same bytes.
    const clearName = { name: 'file name (clear metadata)', bytes: Buffer.from('evd-3.pdf') };
    expect(leaks([dir.file, wal], [clearName]).length).toBeGreaterThan(0);
    cache.close();
    const after = [dir.file, wal].filter((f) => existsSync(f));
    expect(after).toContain(dir.file);
    expect(leaks(after, needles)).toEqual([]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDir } from '../../../platform/data-dir';
import { openSqliteDatabase } from '../../../platform/db/database';
import { migrate } from '../../../platform/db/migrate';
import { migrations } from '../../../platform/db/migrations';

const ORG = 'org_upgradeaaaaaaaaaaaaaaaaaaa';
const ALICE = 'usr_aliceaaaaaaaaaaaaaaaaaaaaa';
const BOB = 'usr_bobbbbbbbbbbbbbbbbbbbbbbbbb';
const KEY = 'key_bobsintegrationnnnnnnnnnnn';
const T = 1_700_000_000_000;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('upgrading evidence to step 0031 (who uploaded it, as a person)', () => {
  it('files from before the step name their uploader as a person: a user themself, an API key its creator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-evidence-person-'));
    dirs.push(dir);
    const file = new DataDir(dir).databaseFile;
    const before = migrations.findIndex((m) => m.name === '0031_evidence_supersede_rules');
    expect(before).toBeGreaterThan(0);
    const old = await openSqliteDatabase(file, { migrate: false });
    await migrate(old, { upTo: before });
    await old.close();

    const raw = new BetterSqlite3(file);
    raw.prepare('INSERT INTO organizations VALUES (?, ?, ?, ?)').run(ORG, 'acme', 'Acme Corporation', T);
    for (const [id, email] of [
      [ALICE, 'alice@acme.example'],
      [BOB, 'bob@acme.example'],
    ])
      raw
        // Columns named: 0020 (before this step) adds a column to users.
        .prepare(
          `INSERT INTO users (id, email, display_name, password_hash, totp_seed_sealed, totp_last_step, created_at,
             disabled_at) VALUES (?, ?, ?, ?, ?, 0, ?, NULL)`,
        )
        .run(id, email, id, 'h', Buffer.from('s'), T);
    raw
      .prepare(
        `INSERT INTO api_keys (id, organization_id, environment, name, secret_sha256, scopes, created_by, created_at)
         VALUES (?, ?, 'live', 'integration', ?, '["evidence:upload"]', ?, ?)`,
      )
      .run(KEY, ORG, Buffer.alloc(32), BOB, T);
    const insert = raw.prepare(
      `INSERT INTO evidence (id, organization_id, environment, sha256, name, media_type, size, uploader_type,
         uploader_id, created_at) VALUES (?, ?, 'live', ?, 'f.txt', 'text/plain', 1, ?, ?, ?)`,
    );
    insert.run('evd_byaliceaaaaaaaaaaaaaaaaaaa', ORG, 'a'.repeat(64), 'user', ALICE, T);
    insert.run('evd_bykeyaaaaaaaaaaaaaaaaaaaaa', ORG, 'b'.repeat(64), 'api-key', KEY, T);
    insert.run('evd_bysystemaaaaaaaaaaaaaaaaaa', ORG, 'c'.repeat(64), 'system', 'access-review', T);
    raw.close();

    const upgraded = await openSqliteDatabase(file);
    await upgraded.close();
    const after = new BetterSqlite3(file);
    try {
      expect(after.prepare('SELECT id, uploader_person_id FROM evidence ORDER BY id').all()).toEqual([
        { id: 'evd_byaliceaaaaaaaaaaaaaaaaaaa', uploader_person_id: ALICE },
        { id: 'evd_bykeyaaaaaaaaaaaaaaaaaaaaa', uploader_person_id: BOB },
        { id: 'evd_bysystemaaaaaaaaaaaaaaaaaa', uploader_person_id: null },
      ]);
      // Fixed once written, like every other column that says who uploaded a file.
      expect(() => after.prepare(`UPDATE evidence SET uploader_person_id = ?`).run(ALICE)).toThrow(
        /immutable/,
      );
    } finally {
      after.close();
    }
  });
});

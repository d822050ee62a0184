import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../platform/audit/audit-log';
import { AuditSigningKeys } from '../../../platform/audit/signing-keys';
import { systemClock } from '../../../platform/clock';
import { createContext, DEFAULT_PLATFORM_HOST, type PlatformContext } from '../../../platform/context';
import { DataDir } from '../../../platform/data-dir';
import { Database, openSqliteDatabase } from '../../../platform/db/database';
import { sqliteEngine } from '../../../platform/db/engines/sqlite';
import { migrate } from '../../../platform/db/migrate';
import { migrations } from '../../../platform/db/migrations';
import { orgScope, tenantScope } from '../../../platform/db/scope';
import { createStores } from '../../../platform/db/stores';
import { bytesSource } from '../../../shared/audit/export-source';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import { parseVerifierKey, type VerifierKey } from '../../../shared/audit/note';
import { verifyExport } from '../../../shared/audit/verifier';
import { rawSql } from '../../helpers/platform';

const ORG = 'org_upgradeaaaaaaaaaaaaaaaaaaa';
const USER = 'usr_upgradeaaaaaaaaaaaaaaaaaaa';
const REQUEST = 'apr_upgradeaaaaaaaaaaaaaaaaaaa';
const EVIDENCE = 'evd_upgradeaaaaaaaaaaaaaaaaaaa';
const T = 1_700_000_000_000;
const tenant = tenantScope(orgScope(ORG, 'acme'), 'live');
const newest = migrations.length;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data directory whose database a build at schema version `k` left: its first k steps, nothing newer. */
async function databaseAt(k: number, how: 'user_version' | 'named'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `cc-upgrade-${k}-`));
  dirs.push(dir);
  const file = new DataDir(dir).databaseFile;
  if (how === 'user_version') {
    // As the builds before named steps did: each step's SQLite text, counted in user_version.
    const raw = new BetterSqlite3(file);
    for (const [i, step] of migrations.slice(0, k).entries()) {
      raw.transaction(() => {
        raw.exec(step.sqlite);
        raw.pragma(`user_version = ${i + 1}`);
      })();
    }
    raw.close();
  } else {
    const database = await openSqliteDatabase(file, { migrate: false });
    await migrate(database, { upTo: k });
    await database.close();
  }
  await writeRows(dir, k);
  return dir;
}

/** Representative rows of everything version k has, written as that version's schema takes them. */
async function writeRows(dir: string, k: number): Promise<void> {
  const raw = new BetterSqlite3(new DataDir(dir).databaseFile);
  raw.prepare('INSERT INTO organizations VALUES (?, ?, ?, ?)').run(ORG, 'acme', 'Acme Corporation', T);
  raw
    // Columns named: later steps add columns (0020: last sign-in) that the earlier versions lack.
    .prepare(
      `INSERT INTO users (id, email, display_name, password_hash, totp_seed_sealed, totp_last_step, created_at,
         disabled_at) VALUES (?, ?, ?, ?, ?, 0, ?, NULL)`,
    )
    .run(USER, 'Owner@Acme.example', 'Olive Owner', 'hash', Buffer.from('seed'), T);
  raw
    .prepare("INSERT INTO memberships (organization_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)")
    .run(ORG, USER, T);
  if (k >= 3) {
    // From version 9 the build that wrote a request named its accountable person too.
    const person = k >= 9 ? ', requester_person_id' : '';
    raw
      .prepare(
        `INSERT INTO approval_requests (id, organization_id, environment, kind, title, summary, payload,
           payload_sha256, lane, required_approvals, status, requester_type, requester_id, created_at, expires_at${person})
         VALUES (?, ?, 'live', 'custom.journal_entry', 'Quarterly accrual', 'Cost centre 12', '{}', 'h',
           'yellow', 1, 'executed', 'user', ?, ?, ?${k >= 9 ? ', ?' : ''})`,
      )
      .run(REQUEST, ORG, USER, T, T + 86_400_000, ...(k >= 9 ? [USER] : []));
    // From version 13 a decision names its tenant too.
    raw
      .prepare(
        `INSERT INTO approval_decisions VALUES (?, ?, 'approve', '', 'dev', 's', 'sig', 'idem', ?${k >= 13 ? ', ?, ?' : ''})`,
      )
      .run(REQUEST, 'usr_approverrrrrrrrrrrrrrrrrrr', T, ...(k >= 13 ? [ORG, 'live'] : []));
  }
  if (k >= 4) {
    raw
      .prepare(
        `INSERT INTO evidence (id, organization_id, environment, request_id, sha256, name, media_type, size,
           uploader_type, uploader_id, created_at) VALUES (?, ?, 'live', ?, ?, 'ledger.txt', 'text/plain', 4, 'user', ?, ?)`,
      )
      .run(EVIDENCE, ORG, REQUEST, 'a'.repeat(64), USER, T);
  }
  raw.close();
  if (k >= 2) {
    // Audit entries, their tree nodes and a checkpoint, written by the platform's own audit log: these
    // tables have not changed since version 2, so today's code writes them as that version did.
    const database = new Database(sqliteEngine(new BetterSqlite3(new DataDir(dir).databaseFile)));
    const stores = createStores(database);
    const log = new AuditLog(stores, keysOf(dir), systemClock, DEFAULT_PLATFORM_HOST);
    const context = { actor: { type: 'system' as const, id: 'upgrade-test' }, request: null };
    for (let i = 0; i < 5; i++) {
      await log.append(tenant, context, { action: 'test.entry', resource: { type: 'test', id: `${i}` } });
    }
    await database.inTenant(tenant, () => log.publish(tenant));
    await database.close();
  }
}

function keysOf(dir: string): AuditSigningKeys {
  return new AuditSigningKeys(new DataDir(dir), DEFAULT_PLATFORM_HOST);
}

async function verifiedExport(ctx: PlatformContext): Promise<string> {
  const context = { actor: { type: 'system' as const, id: 'upgrade-test' }, request: null };
  const exported = await ctx.audit.export(tenant, context, {}, new Date());
  if (!exported.ok) throw new Error(exported.error.message);
  let text = '';
  for await (const chunk of exported.value.chunks) text += chunk;
  const keys = ctx.auditKeys.verifierKeys.map((k) => parseVerifierKey(nodeAuditCrypto, k) as VerifierKey);
  const report = await verifyExport(bytesSource(Buffer.from(text)), { crypto: nodeAuditCrypto, keys });
  return report.verdict;
}

describe('upgrading a database from every earlier schema version', () => {
  for (const how of ['user_version', 'named'] as const) {
    for (let k = 1; k < newest; k++) {
      it(`from version ${k} (${how === 'user_version' ? 'counted in user_version' : 'named steps'})`, async () => {
        const dir = await databaseAt(k, how);
        const ctx = await createContext(dir);
        try {
          const applied = await rawSql<{ name: string }>(
            { ctx },
            sql`SELECT name FROM schema_migrations ORDER BY name`,
          );
          expect(applied.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
          const [version] = await rawSql<{ user_version: number }>({ ctx }, sql`PRAGMA user_version`);
          expect(version?.user_version).toBe(newest);

          // The rows are all there, read through today's stores.
          expect(await ctx.stores.organizations.findBySlug('acme')).toEqual(
            expect.objectContaining({ id: ORG, name: 'Acme Corporation' }),
          );
          expect((await ctx.stores.users.findByEmail('owner@acme.example'))?.id).toBe(USER);
          expect((await ctx.stores.memberships.get(orgScope(ORG, 'acme'), USER))?.role).toBe('owner');
          if (k >= 2) {
            expect(await ctx.auditLog.size(tenant)).toBe(5);
            expect(await ctx.stores.audit.checkpointAt(tenant, 5)).toBeDefined();
            expect(await verifiedExport(ctx)).toBe('verified');
            await expect(rawSql({ ctx }, sql`DELETE FROM audit_entries`)).rejects.toThrow(/append-only/);
            await expect(rawSql({ ctx }, sql`UPDATE audit_nodes SET hash = hash`)).rejects.toThrow(
              /append-only/,
            );
            await expect(rawSql({ ctx }, sql`DELETE FROM audit_checkpoints`)).rejects.toThrow(/append-only/);
          }
          if (k >= 3) {
            const request = await ctx.stores.approvals.get(tenant, REQUEST);
            // The accountable person was backfilled by the step that added the column.
            expect(request).toEqual(
              expect.objectContaining({ status: 'executed', requester_person_id: USER }),
            );
            const found = await ctx.stores.approvals.list(tenant, {
              statuses: ['executed'],
              text: 'accru',
              limit: 5,
            });
            expect(found.map((r) => r.id)).toEqual([REQUEST]);
            expect(found[0]?.approvals).toBe(1);
            // The decision names its request's tenant, backfilled by 0013 where it was older.
            expect(await ctx.stores.approvals.decisions(tenant, REQUEST)).toHaveLength(1);
            const [decision] = await rawSql<{ organization_id: string; environment: string }>(
              { ctx },
              sql`SELECT organization_id, environment FROM approval_decisions`,
            );
            expect(decision).toEqual({ organization_id: ORG, environment: 'live' });
            await expect(rawSql({ ctx }, sql`DELETE FROM approval_decisions`)).rejects.toThrow(/final/);
            await expect(
              rawSql({ ctx }, sql`UPDATE approval_requests SET status = 'pending'`),
            ).rejects.toThrow(/final/);
          }
          if (k >= 4) {
            expect(await ctx.stores.evidence.get(tenant, EVIDENCE)).toEqual(
              expect.objectContaining({ request_id: REQUEST, name: 'ledger.txt', blob_address: null }),
            );
            await expect(rawSql({ ctx }, sql`UPDATE evidence SET name = 'x'`)).rejects.toThrow(/immutable/);
            // A file from before periods covers the day it was uploaded (T is 2023-11-14), and keeps it.
            if (k < migrations.findIndex((m) => m.name === '0030_evidence_periods') + 1)
              expect(await ctx.stores.evidence.get(tenant, EVIDENCE)).toEqual(
                expect.objectContaining({
                  period_from: '2023-11-14',
                  period_to: '2023-11-14',
                  expires_on: null,
                }),
              );
            await expect(rawSql({ ctx }, sql`UPDATE evidence SET period_to = '2030-01-01'`)).rejects.toThrow(
              /immutable/,
            );
            await expect(rawSql({ ctx }, sql`DELETE FROM evidence`)).rejects.toThrow(/never deleted/);
          }
        } finally {
          await ctx.close();
        }
        // Opening it again applies nothing.
        const again = await openSqliteDatabase(new DataDir(dir).databaseFile, { migrate: false });
        try {
          expect(await migrate(again)).toEqual({ applied: [], total: newest });
        } finally {
          await again.close();
        }
      });
    }
  }

  it('refuses a database a newer build migrated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-upgrade-newer-'));
    dirs.push(dir);
    const file = new DataDir(dir).databaseFile;
    const database = await openSqliteDatabase(file);
    await rawSql(
      { ctx: { stores: createStores(database) } as PlatformContext },
      sql`INSERT INTO schema_migrations VALUES ('9999_future', 1)`,
    );
    await expect(migrate(database)).rejects.toThrow(/newer build/);
    await database.close();
  });
});

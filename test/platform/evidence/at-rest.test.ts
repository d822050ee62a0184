import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type PlatformContext } from '../../../platform/context';
import { orgScope, tenantScope } from '../../../platform/db/scope';
import type { TenantKeyRow } from '../../../platform/db/tenant-keys';
import { EvidenceService } from '../../../platform/evidence/evidence-service';
import { sealLegacyEvidence } from '../../../platform/evidence/legacy-evidence';
import { finishMasterKeyRotation } from '../../../platform/evidence/master-key-rotation';
import { createOrganization } from '../../../platform/organizations/provisioning';
import { tenantOf } from '../../helpers/audit';
import { rawSql, startPlatform, type TestPlatform } from '../../helpers/platform';

const run = promisify(execFile);
const cli = ['--import', 'tsx', 'platform/cli/main.ts'];

/**
 * Where the encrypted evidence bytes are, by name: the data directory's files with SQLite, the
 * evidence_blobs rows with PostgreSQL (named by tenant and address).
 */
async function storedBlobs(p: TestPlatform): Promise<{ path: string; bytes: Buffer }[]> {
  if (!p.database) return filesUnder(join(p.dataDir, 'evidence-sealed'));
  const rows = await rawSql<{ path: string; bytes: Buffer }>(
    p,
    sql`SELECT organization_id || '/' || environment || '/' || address || '/' || chunk AS path, bytes
      FROM evidence_blobs ORDER BY 1`,
  );
  return rows;
}

/** Every file under a directory, recursively, with its bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, bytes: readFileSync(path) }];
  });
}

let platform: TestPlatform;
let acme: string;
let globex: string;

beforeAll(async () => {
  platform = await startPlatform();
  acme = (await platform.signIn(platform.user('acme', 'member'))).accessToken;
  globex = (await platform.signIn(platform.user('globex', 'member'))).accessToken;
});
afterAll(() => platform.stop());

async function upload(org: string, token: string, bytes: Buffer, name: string) {
  const reply = await platform.call('POST', `/v1/orgs/${org}/envs/live/evidence?name=${name}`, {
    token,
    rawBody: bytes as unknown as string,
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.json as { id: string; sha256: string };
}

async function fetchBytes(org: string, token: string, id: string): Promise<Buffer> {
  const link = await platform.call('POST', `/v1/orgs/${org}/envs/live/evidence/${id}/url`, { token });
  const response = await fetch(`${platform.url}${link.json.url}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

const addressOf = async (id: string) =>
  (await rawSql<{ a: string }>(platform, sql`SELECT blob_address AS a FROM evidence WHERE id = ${id}`))[0]
    ?.a as string;

describe('evidence at rest', () => {
  it('never lies in clear anywhere in the data directory, and reads back exactly', async () => {
    const marker = `payroll-ledger-${Math.random().toString(36).slice(2)} salaries for Q3`;
    const file = await upload('acme', acme, Buffer.from(marker), 'ledger.txt');
    const hits = filesUnder(platform.dataDir).filter((f) => f.bytes.includes(Buffer.from(marker)));
    expect(hits.map((f) => f.path)).toEqual([]);
    expect((await platform.databaseBytes()).includes(Buffer.from(marker))).toBe(false);
    expect((await fetchBytes('acme', acme, file.id)).toString()).toBe(marker);
  });

  it('the same file in two organizations has two unrelated addresses, and neither names its hash', async () => {
    const bytes = Buffer.from('the same vendor contract, signed by both companies');
    const ours = await upload('acme', acme, bytes, 'contract.txt');
    const theirs = await upload('globex', globex, bytes, 'contract.txt');
    expect(ours.sha256).toBe(theirs.sha256);
    expect(await addressOf(ours.id)).not.toBe(await addressOf(theirs.id));
    const names = (await storedBlobs(platform)).map((f) => f.path);
    expect(names.length).toBeGreaterThan(0);
    expect(names.some((path) => path.includes(ours.sha256))).toBe(false);
  });

  it("a blob copied into another tenant's place does not open there", async () => {
    const ours = await upload('acme', acme, Buffer.from('acme only: board minutes'), 'minutes.txt');
    const theirs = await upload('globex', globex, Buffer.from('globex: canteen menu'), 'menu.txt');
    const acmeTenant = await tenantOf(platform, 'acme', 'live');
    const globexTenant = await tenantOf(platform, 'globex', 'live');
    const sealed = await platform.ctx.blobs.read(acmeTenant, await addressOf(ours.id));
    if (!sealed) throw new Error('acme blob missing');
    await platform.ctx.blobs.remove(globexTenant, await addressOf(theirs.id));
    await platform.ctx.blobs.put(globexTenant, await addressOf(theirs.id), sealed);
    const row = await platform.ctx.stores.evidence.get(globexTenant, theirs.id);
    if (!row) throw new Error('row missing');
    expect(await new EvidenceService(platform.ctx).readBytes(globexTenant, row)).toBeUndefined();
  });
});

describe('master-key rotation', () => {
  it('re-wraps every data key without re-encrypting evidence, and drops the old key', async () => {
    const own = await startPlatform();
    const member = (await own.signIn(own.user('acme', 'member'))).accessToken;
    const reply = await own.call('POST', '/v1/orgs/acme/envs/live/evidence?name=kept.txt', {
      token: member,
      rawBody: 'kept across the rotation',
      headers: { 'content-type': 'application/octet-stream' },
    });
    const oldKeys = own.ctx.masterKeys.keyIds();
    const before = await storedBlobs(own);
    await own.app.close();
    await own.ctx.close();
    const { stdout } = await run('node', [...cli, 'rotate-evidence-key', ...own.cliOptions]);
    expect(stdout).toMatch(/data keys were re-wrapped and the old key dropped/);
    const ctx = await createContext(own.dataDir, own.contextOptions);
    try {
      expect(ctx.masterKeys.keyIds()).toHaveLength(1);
      expect(oldKeys).not.toContain(ctx.masterKeys.keyIds()[0]);
      expect(await storedBlobs(own)).toEqual(before);
      const bytes = await readBack(ctx, 'acme', reply.json.id);
      expect(bytes?.toString()).toBe('kept across the rotation');
    } finally {
      await ctx.close();
      await own.discard();
    }
  });

  it('cut short by a kill, again and again, loses nothing, and the next start finishes it', async () => {
    const own = await startPlatform();
    const member = (await own.signIn(own.user('acme', 'member'))).accessToken;
    const reply = await own.call('POST', '/v1/orgs/acme/envs/live/evidence?name=survivor.txt', {
      token: member,
      rawBody: 'survives every crash',
      headers: { 'content-type': 'application/octet-stream' },
    });
    // Thousands of tenants, so the rotation is still running when its first progress line arrives.
    const tenants = await own.ctx.stores.db.transaction(async () => {
      const created = [];
      for (let i = 0; i < 1500; i++)
        created.push(await createOrganization(own.ctx, `tenant-${i}`, `Tenant ${i}`));
      return created;
    });
    for (const org of tenants) {
      for (const environment of ['test', 'live'] as const) {
        await own.ctx.evidenceKeys.current(tenantScope(org, environment));
      }
    }
    await own.app.close();
    await own.ctx.close();
    let cutShort = 0;
    for (let round = 0; round < 3; round++) {
      const child = spawn('node', [...cli, 'rotate-evidence-key', ...own.cliOptions], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (/re-wrapped\n/.test(String(chunk)) && !/old key dropped/.test(String(chunk)))
            child.kill('SIGKILL');
        });
        child.once('exit', () => resolve());
      });
      const ctx = await createContext(own.dataDir, own.contextOptions);
      try {
        if (ctx.masterKeys.keyIds().length > 1) cutShort++;
        // Whatever the kill left, every data key opens with the keys the file still holds.
        for (const row of await rawSql<TenantKeyRow>(
          { ctx, database: own.database },
          sql`SELECT * FROM tenant_data_keys`,
        )) {
          expect(ctx.masterKeys.keyIds()).toContain(row.master_key_id);
        }
        expect((await readBack(ctx, 'acme', reply.json.id))?.toString()).toBe('survives every crash');
      } finally {
        await ctx.close();
      }
    }
    expect(cutShort).toBeGreaterThan(0);
    const ctx = await createContext(own.dataDir, own.contextOptions);
    try {
      await finishMasterKeyRotation(ctx);
      expect(ctx.masterKeys.keyIds()).toHaveLength(1);
      const stale = await ctx.stores.tenantKeys.wrappedUnderOtherKeys(ctx.masterKeys.currentKeyId());
      expect(stale).toEqual([]);
      const sample = await rawSql<TenantKeyRow>(
        { ctx, database: own.database },
        sql`SELECT * FROM tenant_data_keys LIMIT 50`,
      );
      for (const row of sample) {
        const org = await ctx.stores.organizations.findById(row.organization_id);
        if (!org) throw new Error('org missing');
        const key = await ctx.evidenceKeys.version(
          tenantScope(orgScope(org.id, org.slug), row.environment),
          row.version,
        );
        expect(key.key).toHaveLength(32);
      }
      expect((await readBack(ctx, 'acme', reply.json.id))?.toString()).toBe('survives every crash');
    } finally {
      await ctx.close();
      await own.discard();
    }
  }, 120_000);
});

describe('evidence from before encryption at rest', () => {
  it('is sealed for its own tenant at start, and the clear copies are gone', async () => {
    const own = await startPlatform();
    const tenant = await tenantOf(own, 'acme', 'live');
    const bytes = Buffer.from('an old evidence file, stored in clear by an older version');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // The layout older versions wrote: the row without an address, the bytes in clear under their hash.
    await own.ctx.stores.evidence.insert(tenant, {
      id: 'evd_aaaaaaaaaaaaaaaaaaaaaaaaaa',
      request_id: null,
      sha256,
      name: 'old.txt',
      media_type: 'text/plain',
      size: bytes.length,
      uploader_type: 'user',
      uploader_id: own.user('acme', 'member').userId,
      uploader_person_id: own.user('acme', 'member').userId,
      created_at: own.clock.now(),
      deleted_at: null,
      blob_address: null,
      key_version: null,
      period_from: null,
      period_to: null,
      expires_on: null,
      supersedes: null,
    });
    mkdirSync(join(own.dataDir, 'evidence', sha256.slice(0, 2)), { recursive: true });
    writeFileSync(join(own.dataDir, 'evidence', sha256.slice(0, 2), sha256), bytes);
    expect(await sealLegacyEvidence(own.ctx)).toBe(1);
    expect(existsSync(join(own.dataDir, 'evidence'))).toBe(false);
    expect(filesUnder(own.dataDir).some((f) => f.bytes.includes(bytes))).toBe(false);
    expect((await readBack(own.ctx, 'acme', 'evd_aaaaaaaaaaaaaaaaaaaaaaaaaa'))?.toString()).toBe(
      bytes.toString(),
    );
    expect(await sealLegacyEvidence(own.ctx)).toBe(0);
    await own.stop();
  });
});

async function readBack(ctx: PlatformContext, org: string, id: string): Promise<Buffer | undefined> {
  const row = await ctx.stores.organizations.findBySlug(org);
  if (!row) throw new Error('org missing');
  const tenant = tenantScope(orgScope(row.id, row.slug), 'live');
  const evidence = await ctx.stores.evidence.get(tenant, id);
  return evidence ? new EvidenceService(ctx).readBytes(tenant, evidence) : undefined;
}

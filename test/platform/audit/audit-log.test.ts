import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_INTERVAL } from '../../../platform/audit/audit-log';
import { rotateAuditSigningKey } from '../../../platform/audit/key-rotation';
import { fromBase64 } from '../../../shared/audit/hash';
import { MerkleHasher, verifyConsistency, verifyInclusion } from '../../../shared/audit/merkle';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import { appendEntries, exportLog, platformKeys, tenantOf, verifyBytes } from '../../helpers/audit';
import { rawSql, startPlatform, type TestPlatform } from '../../helpers/platform';

const run = promisify(execFile);
const hasher = new MerkleHasher(nodeAuditCrypto);
const b64 = (s: string) => fromBase64(s) as Uint8Array;

let platform: TestPlatform;
let owner: string;
const live = '/v1/orgs/acme/envs/live';

beforeAll(async () => {
  platform = await startPlatform();
  owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
});
afterAll(() => platform.stop());

async function entries(query: string) {
  const reply = await platform.call('GET', `${live}/audit/entries?${query}`, { token: owner });
  expect(reply.status, reply.text).toBe(200);
  return reply.json.entries as {
    seq: number;
    action: string;
    outcome: string;
    actor: { id: string };
    change: unknown;
    request: unknown;
  }[];
}

describe('every sensitive operation writes an entry', () => {
  it('sign-in success and failure, attributed to the person, with request metadata and no secret', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    await platform.call('POST', '/v1/auth/sign-in', {
      body: { email: officer.email, password: 'not-the-password', totp: platform.totp(officer) },
      headers: { 'user-agent': 'AuditProbe/1.0' },
    });
    await platform.signIn(officer);
    const signIns = await entries(`action=auth.sign_in&actorId=${officer.userId}`);
    expect(signIns.map((e) => e.outcome)).toEqual(['success', 'failure']);
    expect(signIns[1]?.request).toEqual(
      expect.objectContaining({ ip: '127.0.0.1', userAgent: 'AuditProbe/1.0' }),
    );
    expect(JSON.stringify(signIns)).not.toContain('not-the-password');
  });

  it('key create, rotate, revoke and the use of a revoked key', async () => {
    const created = await platform.call('POST', `${live}/api-keys`, {
      token: owner,
      body: { name: 'audited', scopes: ['orgs:read'] },
    });
    const id = created.json.key.id;
    const rotated = await platform.call('POST', `${live}/api-keys/${id}/rotate`, {
      token: owner,
      body: { gracePeriodSeconds: 0 },
    });
    await platform.call('POST', `${live}/api-keys/${rotated.json.key.id}/revoke`, { token: owner });
    expect((await platform.call('GET', '/v1/orgs/acme', { token: rotated.json.secret })).status).toBe(401);
    const oldKey = await entries(`resourceId=${id}`);
    const successor = await entries(`resourceId=${rotated.json.key.id}`);
    // Newest first. The successor is born in the rotation entry, which names it.
    expect(oldKey.map((e) => e.action)).toEqual(['api_key.rotate', 'api_key.create']);
    expect(JSON.stringify(oldKey[0]?.change)).toContain(rotated.json.key.id);
    expect(successor.map((e) => e.action)).toEqual(['api_key.use_refused', 'api_key.revoke']);
    const forKey = [...oldKey, ...successor];
    const all = JSON.stringify(forKey);
    expect(all).not.toContain(created.json.secret.split('.')[1]);
    expect(all).not.toContain(rotated.json.secret.split('.')[1]);
  });

  it('membership additions are recorded, one per person', async () => {
    const added = await entries('action=member.add');
    expect(added).toHaveLength(6);
    expect(added.map((e) => (e.change as { after: { role: string } }).after.role).sort()).toEqual([
      'admin',
      'auditor',
      'compliance_officer',
      'member',
      'owner',
      'viewer',
    ]);
  });

  it('role changes record before and after', async () => {
    const viewer = platform.user('acme', 'viewer');
    await platform.call('PUT', `/v1/orgs/acme/members/${viewer.userId}/role`, {
      token: owner,
      body: { role: 'member' },
    });
    const [change] = await entries(`action=member.role_change&resourceId=${viewer.userId}`);
    expect(change?.change).toEqual({ before: { role: 'viewer' }, after: { role: 'member' } });
  });

  it('an export records itself', async () => {
    const bytes = await exportLog(platform, owner, 'acme', 'live');
    const [exported] = await entries('action=audit.export');
    const header = JSON.parse(bytes.toString().split('\n')[0] as string);
    expect(exported?.change).toEqual({
      before: null,
      after: { start: 0, end: header.end, exportedAt: header.exportedAt },
    });
  });
});

describe('atomicity and immutability', () => {
  it('an operation whose entry cannot be written does not happen', async () => {
    const before = await platform.call('GET', `${live}/api-keys`, { token: owner });
    // A trigger that refuses the entry, in each engine's own words.
    if (platform.database) {
      await rawSql(
        platform,
        sql`CREATE FUNCTION refuse_key_entries() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit storage unavailable'; END $$`,
      );
      await rawSql(
        platform,
        sql`CREATE TRIGGER refuse_key_entries BEFORE INSERT ON audit_entries FOR EACH ROW
        WHEN (NEW.action = 'api_key.create') EXECUTE FUNCTION refuse_key_entries()`,
      );
    } else {
      await rawSql(
        platform,
        sql`CREATE TEMP TRIGGER refuse_key_entries BEFORE INSERT ON audit_entries
        WHEN NEW.action = 'api_key.create' BEGIN SELECT RAISE(ABORT, 'audit storage unavailable'); END`,
      );
    }
    try {
      const reply = await platform.call('POST', `${live}/api-keys`, {
        token: owner,
        body: { name: 'ghost', scopes: ['orgs:read'] },
      });
      expect(reply.status).toBe(500);
      expect(reply.text).not.toContain('audit storage');
    } finally {
      await rawSql(
        platform,
        platform.database
          ? sql`DROP TRIGGER refuse_key_entries ON audit_entries`
          : sql`DROP TRIGGER refuse_key_entries`,
      );
    }
    const after = await platform.call('GET', `${live}/api-keys`, { token: owner });
    expect(after.json.keys).toEqual(before.json.keys);
  });

  it('entries, tree nodes and checkpoints cannot be updated or deleted, even with raw SQL', async () => {
    for (const statement of [
      'UPDATE audit_entries SET action = action',
      'DELETE FROM audit_entries',
      'UPDATE audit_nodes SET hash = hash',
      'DELETE FROM audit_nodes',
      'DELETE FROM audit_checkpoints',
    ]) {
      await expect(rawSql(platform, sql.raw(statement)), statement).rejects.toThrow(/append-only/);
    }
  });

  it('the checkpoint signing key is kept in the data directory, readable by its owner only', () => {
    expect(statSync(join(platform.dataDir, 'audit-signing-keys.json')).mode & 0o777).toBe(0o600);
  });
});

describe('tree, checkpoints and proofs', () => {
  it('signs a checkpoint at every 1,024 entries', async () => {
    const tenant = await tenantOf(platform, 'globex', 'live');
    await appendEntries(platform, tenant, 2 * CHECKPOINT_INTERVAL + 5);
    expect(await platform.ctx.stores.audit.checkpointAt(tenant, CHECKPOINT_INTERVAL)).toBeDefined();
    expect(await platform.ctx.stores.audit.checkpointAt(tenant, 2 * CHECKPOINT_INTERVAL)).toBeDefined();
  });

  it('serves inclusion proofs that verify against the signed root, for every entry', async () => {
    const checkpoint = (await platform.call('GET', `${live}/audit/checkpoint`, { token: owner })).json;
    const all = await entries(`limit=500`);
    const root = b64(checkpoint.root);
    // Every entry the checkpoint covers, from seq 0: none of them may go unchecked.
    const covered = all.filter((e) => e.seq < checkpoint.size);
    expect(checkpoint.size).toBeGreaterThan(0);
    expect(covered.map((e) => e.seq).sort((a, b) => a - b)).toEqual([...Array(checkpoint.size).keys()]);
    for (const entry of covered) {
      const proof = await platform.call(
        'GET',
        `${live}/audit/proofs/inclusion?seq=${entry.seq}&size=${checkpoint.size}`,
        { token: owner },
      );
      const canonical = (
        await platform.ctx.stores.audit.lines(
          await tenantOf(platform, 'acme', 'live'),
          entry.seq,
          entry.seq + 1,
        )
      )[0] as string;
      const leaf = hasher.leaf(Buffer.from(canonical));
      expect(verifyInclusion(hasher, leaf, entry.seq, checkpoint.size, proof.json.proof.map(b64), root)).toBe(
        true,
      );
    }
  });

  it('serves consistency proofs between any two published sizes', async () => {
    const tenant = await tenantOf(platform, 'globex', 'live');
    const sizes = [1, 7, CHECKPOINT_INTERVAL, await platform.ctx.auditLog.size(tenant)];
    const globexOwner = (await platform.signIn(platform.user('globex', 'owner'))).accessToken;
    for (const from of sizes) {
      for (const to of sizes.filter((s) => s >= from)) {
        const reply = await platform.call(
          'GET',
          `/v1/orgs/globex/envs/live/audit/proofs/consistency?from=${from}&to=${to}`,
          {
            token: globexOwner,
          },
        );
        expect(reply.status).toBe(200);
        const ok = verifyConsistency(
          hasher,
          from,
          to,
          await platform.ctx.auditLog.root(tenant, from),
          await platform.ctx.auditLog.root(tenant, to),
          reply.json.proof.map(b64),
        );
        expect(ok, `${from}->${to}`).toBe(true);
      }
    }
    const beyond = await platform.call(
      'GET',
      `/v1/orgs/globex/envs/live/audit/proofs/consistency?from=1&to=99999999`,
      {
        token: globexOwner,
      },
    );
    expect(beyond.status).toBe(400);
  });

  it('after a signing-key rotation, an auditor pinning only the old key follows the announced one', async () => {
    const oldKeys = platformKeys(platform);
    await rotateAuditSigningKey(platform.ctx);
    await appendEntries(platform, tenantOf(platform, 'acme', 'live'), 3);
    const bytes = await exportLog(platform, owner, 'acme', 'live');
    const report = await verifyBytes(bytes, oldKeys);
    expect(report.verdict).toBe('verified');
    expect(report.keysUsed).toHaveLength(2);
    const published = (await platform.call('GET', '/v1/audit/verifier-keys')).json;
    expect(published.keys).toHaveLength(2);
    expect(published.current).toBe(published.keys[1]);
  });
});

describe('the admin CLI', () => {
  it('audit-key prints the verifier key and audit-export writes a file the auditor verifies', async () => {
    const other = await startPlatform();
    try {
      await other.app.close();
      await other.ctx.close();
      const cli = ['--import', 'tsx', 'platform/cli/main.ts'];
      const { stdout: keyOut } = await run('node', [...cli, 'audit-key', ...other.cliOptions]);
      const out = join(other.dataDir, 'acme-live.jsonl');
      await run('node', [
        ...cli,
        'audit-export',
        '--org',
        'acme',
        '--env',
        'live',
        '--out',
        out,
        ...other.cliOptions,
      ]);
      const verify = await run('node', [
        'shared/audit/cli/compliance-verify.mjs',
        out,
        '--key',
        keyOut.trim().split('\n').pop() as string,
      ]);
      expect(verify.stdout).toMatch(/^VERIFIED/);
      expect(readFileSync(out, 'utf8').split('\n')[0]).toContain('"format":"cc-audit-export/1"');
    } finally {
      await other.discard();
    }
  });
});

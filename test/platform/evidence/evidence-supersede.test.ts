import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../platform/crypto/random';
import { orgScope, tenantScope } from '../../../platform/db/scope';
import { rawSql, startPlatform, type TestPlatform } from '../../helpers/platform';

/**
 * Who may replace an evidence file with a newer version (security review finding 7). Superseding takes
 * the older file out of coverage and blocks any other successor, so it is as strong as editing it: only
 * the person who uploaded it (an API key acting as its creator) or someone who decides approvals may.
 */

let platform: TestPlatform;
let owner: string;
let admin: string;
let officer: string;
let member: string;
/** An integration key the admin made for the live environment: it may upload and read evidence. */
let adminKey: { id: string; secret: string };
const base = '/v1/orgs/acme/envs/live/evidence';

beforeAll(async () => {
  platform = await startPlatform();
  owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
  admin = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
  officer = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
  member = (await platform.signIn(platform.user('acme', 'member'))).accessToken;
  const key = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
    token: admin,
    body: { name: 'evidence collector', scopes: ['evidence:upload', 'evidence:read'] },
  });
  expect(key.status, key.text).toBe(201);
  adminKey = { id: key.json.key.id, secret: key.json.secret };
});
afterAll(() => platform.stop());

/** A text file with unique bytes, so no two uploads share content by accident. */
function text(label: string): Buffer {
  return Buffer.from(`${label} ${randomBytes(6).toString('hex')}\n`);
}

function upload(token: string, name: string, query: Record<string, string> = {}) {
  return platform.call('POST', `${base}?${new URLSearchParams({ name, ...query })}`, {
    token,
    rawBody: text(name) as unknown as string,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

async function uploaded(token: string, name: string, query: Record<string, string> = {}) {
  const reply = await upload(token, name, query);
  expect(reply.status, reply.text).toBe(201);
  return reply.json as { id: string; sha256: string };
}

async function statusOf(id: string) {
  const reply = await platform.call('GET', `${base}/${id}`, { token: admin });
  return { status: reply.json.status, supersededBy: reply.json.supersededBy };
}

async function auditEntries(action: string, resourceId: string) {
  const rows = await rawSql<{ canonical: string }>(
    platform,
    sql`SELECT canonical FROM audit_entries WHERE action = ${action} AND resource_id = ${resourceId}`,
  );
  return rows.map((r) => JSON.parse(r.canonical));
}

describe('who may supersede a file', () => {
  it('a member cannot supersede an officer’s file: 403, the file stays current, the refusal is audited, and the officer’s own next version still goes in', async () => {
    const policy = await uploaded(officer, 'access-policy.txt');
    const hijack = await upload(member, 'access-policy.txt', { supersedes: policy.id });
    expect([hijack.status, hijack.json.error.code]).toEqual([403, 'forbidden']);
    expect(hijack.json.error.message).toMatch(/uploaded this file/);
    expect(await statusOf(policy.id)).toEqual({ status: 'current', supersededBy: null });

    const [refused] = await auditEntries('evidence.supersede_refused', policy.id);
    expect(refused).toEqual(
      expect.objectContaining({
        actor: { type: 'user', id: platform.user('acme', 'member').userId },
        outcome: 'failure',
        change: { before: null, after: { reason: 'not-uploader' } },
      }),
    );
    expect(await auditEntries('evidence.supersede', policy.id)).toEqual([]);

    // The rightful successor is not blocked by the refused attempt.
    const next = await upload(officer, 'access-policy.txt', { supersedes: policy.id });
    expect(next.status, next.text).toBe(201);
    expect(await statusOf(policy.id)).toEqual({ status: 'superseded', supersededBy: next.json.id });
  });

  it('an API key whose creator did not upload the file cannot supersede it, though its creator is an admin', async () => {
    const officersFile = await uploaded(officer, 'vendor-review.txt');
    const viaKey = await upload(adminKey.secret, 'vendor-review.txt', { supersedes: officersFile.id });
    expect([viaKey.status, viaKey.json.error.code]).toEqual([403, 'forbidden']);
    expect(viaKey.json.error.message).toMatch(/API key/);
    expect(await statusOf(officersFile.id)).toEqual({ status: 'current', supersededBy: null });
    const [refused] = await auditEntries('evidence.supersede_refused', officersFile.id);
    expect(refused.actor).toEqual({ type: 'api-key', id: adminKey.id });
    expect(refused.change.after).toEqual({ reason: 'not-uploader' });
  });

  it('an API key counts as its creator: the key replaces its creator’s upload, and the creator replaces the key’s', async () => {
    const byAdmin = await uploaded(admin, 'backup-test.txt');
    const byKey = await upload(adminKey.secret, 'backup-test.txt', { supersedes: byAdmin.id });
    expect(byKey.status, byKey.text).toBe(201);
    const byAdminAgain = await upload(admin, 'backup-test.txt', { supersedes: byKey.json.id });
    expect(byAdminAgain.status, byAdminAgain.text).toBe(201);
    expect(await statusOf(byKey.json.id)).toEqual({
      status: 'superseded',
      supersededBy: byAdminAgain.json.id,
    });
  });

  it('the uploader may replace their own file, and a compliance officer (who decides approvals) may replace anyone’s', async () => {
    const v1 = await uploaded(member, 'onboarding-checklist.txt');
    const v2 = await upload(member, 'onboarding-checklist.txt', { supersedes: v1.id });
    expect(v2.status, v2.text).toBe(201);
    const v3 = await upload(officer, 'onboarding-checklist.txt', { supersedes: v2.json.id });
    expect(v3.status, v3.text).toBe(201);
    // The member no longer uploaded the newest version: replacing it is the officer's (or a manager's) call.
    const back = await upload(member, 'onboarding-checklist.txt', { supersedes: v3.json.id });
    expect(back.status).toBe(403);
  });

  it('a file the platform wrote itself is never superseded, not even by the owner, and the database refuses it too', async () => {
    const org = await platform.ctx.stores.organizations.findBySlug('acme');
    if (!org) throw new Error('no acme');
    const tenant = tenantScope(orgScope(org.id, org.slug), 'live');
    const bytes = text('access review pack');
    const packId = newId('evd');
    // As an access review writes its evidence pack: uploaded by the system, not by a person.
    await platform.ctx.stores.evidence.insert(tenant, {
      id: packId,
      request_id: null,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      name: 'access-review-pack.json',
      media_type: 'text/plain',
      size: bytes.length,
      uploader_type: 'system',
      uploader_id: 'access-review',
      uploader_person_id: null,
      created_at: platform.clock.now(),
      deleted_at: null,
      blob_address: null,
      key_version: null,
      period_from: '2026-01-01',
      period_to: '2026-03-31',
      expires_on: null,
      supersedes: null,
    });
    for (const token of [owner, officer, adminKey.secret]) {
      const attempt = await upload(token, 'access-review-pack.txt', { supersedes: packId });
      expect([attempt.status, attempt.json.error.code]).toEqual([409, 'conflict']);
      expect(attempt.json.error.message).toMatch(/platform wrote/);
    }
    expect(await statusOf(packId)).toEqual({ status: 'current', supersededBy: null });
    const refusals = await auditEntries('evidence.supersede_refused', packId);
    expect(refusals.map((e) => e.change.after.reason)).toEqual(['system-file', 'system-file', 'system-file']);

    // Past the service, straight into the table: the database refuses the successor itself.
    await expect(
      rawSql(
        platform,
        sql`INSERT INTO evidence (id, organization_id, environment, sha256, name, media_type, size,
          uploader_type, uploader_id, created_at, supersedes)
          VALUES (${newId('evd')}, ${org.id}, 'live', ${'b'.repeat(64)}, 'x.txt',
          'text/plain', 1, 'user', 'usr_x', 0, ${packId})`,
      ),
    ).rejects.toThrow(/never superseded/);
  });
});

describe('one successor per file, held by the database', () => {
  it('two uploads racing to supersede the same file over HTTP: exactly one wins, the other gets 409', async () => {
    // The outcome end to end. On SQLite the one connection already runs the two transactions one after the
    // other, so here the service's check decides; the next test holds the database's own rule.
    const v1 = await uploaded(officer, 'risk-register.txt');
    const race = await Promise.all([
      upload(officer, 'risk-register.txt', { supersedes: v1.id }),
      upload(officer, 'risk-register.txt', { supersedes: v1.id }),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = race.find((r) => r.status === 201);
    const loser = race.find((r) => r.status === 409);
    expect(loser?.json.error).toEqual(
      expect.objectContaining({
        code: 'conflict',
        message: 'That file already has a newer version; replace the newest one instead.',
      }),
    );
    expect(await statusOf(v1.id)).toEqual({ status: 'superseded', supersededBy: winner?.json.id });
    expect(await auditEntries('evidence.supersede', v1.id)).toHaveLength(1);
    const successors = await rawSql<{ id: string }>(
      platform,
      sql`SELECT id FROM evidence WHERE supersedes = ${v1.id}`,
    );
    expect(successors.map((r) => r.id)).toEqual([winner?.json.id]);
  });

  it('a second live successor written past the service’s check is refused by the database; once the first is deleted, a new one may follow', async () => {
    const org = await platform.ctx.stores.organizations.findBySlug('acme');
    if (!org) throw new Error('no acme');
    const tenant = tenantScope(orgScope(org.id, org.slug), 'live');
    const v1 = await uploaded(officer, 'dr-plan.txt');
    const successor = (label: string) => {
      const bytes = text(label);
      return {
        id: newId('evd'),
        request_id: null,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        name: 'dr-plan.txt',
        media_type: 'text/plain',
        size: bytes.length,
        uploader_type: 'user',
        uploader_id: platform.user('acme', 'compliance_officer').userId,
        uploader_person_id: platform.user('acme', 'compliance_officer').userId,
        created_at: platform.clock.now(),
        deleted_at: null,
        blob_address: null,
        key_version: null,
        period_from: '2026-01-01',
        period_to: '2026-01-31',
        expires_on: null,
        supersedes: v1.id,
      };
    };
    // As two transactions that both found no successor would write them (PostgreSQL, READ COMMITTED).
    const first = successor('first');
    expect(await platform.ctx.stores.evidence.insert(tenant, first)).toBe(true);
    expect(await platform.ctx.stores.evidence.insert(tenant, successor('second'))).toBe(false);
    await expect(
      rawSql(
        platform,
        sql`INSERT INTO evidence (id, organization_id, environment, sha256, name, media_type, size,
          uploader_type, uploader_id, created_at, supersedes)
          VALUES (${newId('evd')}, ${org.id}, 'live', ${'c'.repeat(64)}, 'x.txt', 'text/plain', 1, 'user',
          'usr_x', 0, ${v1.id})`,
      ),
    ).rejects.toThrow(/UNIQUE/i);
    expect(await statusOf(v1.id)).toEqual({ status: 'superseded', supersededBy: first.id });

    // A deleted successor leaves the chain (the older file is current again) and the index with it.
    expect(await platform.ctx.stores.evidence.markDeleted(tenant, first.id, platform.clock.now())).toBe(true);
    expect(await statusOf(v1.id)).toEqual({ status: 'current', supersededBy: null });
    const again = await upload(officer, 'dr-plan.txt', { supersedes: v1.id });
    expect(again.status, again.text).toBe(201);
    expect(await statusOf(v1.id)).toEqual({ status: 'superseded', supersededBy: again.json.id });
  });
});

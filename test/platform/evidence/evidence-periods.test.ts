import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOf } from '../../../shared/evidence/period';
import { rawSql, startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
let admin: string;
let member: string;
let memberId: string;
let today: string;
const base = '/v1/orgs/acme/envs/live/evidence';

beforeAll(async () => {
  platform = await startPlatform();
  admin = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
  member = (await platform.signIn(platform.user('acme', 'member'))).accessToken;
  memberId = platform.user('acme', 'member').userId;
  today = dayOf(platform.clock.now());
});
afterAll(() => platform.stop());

/** A text file with unique bytes, so no two uploads share content by accident. */
function text(label: string): Buffer {
  return Buffer.from(`${label} ${randomBytes(6).toString('hex')}\n`);
}

function upload(name: string, query: Record<string, string> = {}, token = admin, bytes = text(name)) {
  return platform.call('POST', `${base}?${new URLSearchParams({ name, ...query })}`, {
    token,
    rawBody: bytes as unknown as string,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

function catalog(query: Record<string, string>, token = admin, tenantBase = base) {
  return platform.call('GET', `${tenantBase}/catalog?${new URLSearchParams(query)}`, { token });
}

function names(reply: { json: { evidence: { name: string }[] } }): string[] {
  return reply.json.evidence.map((e) => e.name).sort();
}

async function auditEntries(action: string, resourceId: string) {
  const rows = await rawSql<{ canonical: string }>(
    platform,
    sql`SELECT canonical FROM audit_entries WHERE action = ${action} AND resource_id = ${resourceId}`,
  );
  return rows.map((r) => JSON.parse(r.canonical).change);
}

describe('periods at upload', () => {
  it('records the period and expiry given, and answers them', async () => {
    const reply = await upload('soc2-h1.txt', {
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
      expiresOn: '2027-06-30',
    });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.json).toEqual(
      expect.objectContaining({
        period: { from: '2026-01-01', to: '2026-06-30' },
        expiresOn: '2027-06-30',
        supersedes: null,
      }),
    );
  });

  it('without a period, the file is evidence for the day it was uploaded and does not expire', async () => {
    const reply = await upload('no-period.txt');
    expect(reply.status, reply.text).toBe(201);
    expect(reply.json.period).toEqual({ from: today, to: today });
    expect(reply.json.expiresOn).toBeNull();
  });

  it('refuses a period that ends before it starts, one day alone, an impossible date and an expiry before the period', async () => {
    const backwards = await upload('bad.txt', { periodFrom: '2026-03-01', periodTo: '2026-02-28' });
    expect([backwards.status, backwards.json.error.code]).toEqual([400, 'bad-request']);
    expect(backwards.json.error.message).toMatch(/start on or before/);
    const half = await upload('bad.txt', { periodFrom: '2026-03-01' });
    expect([half.status, half.json.error.message]).toEqual([
      400,
      'Give both days of the period, or neither.',
    ]);
    const impossible = await upload('bad.txt', { periodFrom: '2026-02-30', periodTo: '2026-03-01' });
    expect(impossible.status).toBe(400);
    const notIso = await upload('bad.txt', { periodFrom: '03/01/2026', periodTo: '2026-03-01' });
    expect(notIso.status).toBe(400);
    const early = await upload('bad.txt', {
      periodFrom: '2026-03-01',
      periodTo: '2026-03-31',
      expiresOn: '2026-02-01',
    });
    expect([early.status, early.json.error.message]).toEqual([
      400,
      'The expiry cannot be before the period starts.',
    ]);
    expect(names(await catalog({ q: 'bad.txt' }))).toEqual([]);
  });

  it('puts the period in the upload’s audit entry', async () => {
    const reply = await upload('audited.txt', { periodFrom: '2026-04-01', periodTo: '2026-04-30' });
    const [entry] = await auditEntries('evidence.upload', reply.json.id);
    expect(entry.after).toEqual(
      expect.objectContaining({ period: { from: '2026-04-01', to: '2026-04-30' }, expiresOn: null }),
    );
  });

  it('never lets a stored period be edited', async () => {
    const reply = await upload('fixed.txt', { periodFrom: '2026-05-01', periodTo: '2026-05-31' });
    await expect(
      rawSql(platform, sql`UPDATE evidence SET period_to = '2030-01-01' WHERE id = ${reply.json.id}`),
    ).rejects.toThrow(/immutable/);
    await expect(
      rawSql(platform, sql`UPDATE evidence SET expires_on = '2030-01-01' WHERE id = ${reply.json.id}`),
    ).rejects.toThrow(/immutable/);
  });
});

describe('versions', () => {
  it('a newer version supersedes the older one: a new object linked to it, the older unchanged, both audited', async () => {
    const v1 = await upload('pentest-report.txt', { periodFrom: '2025-01-01', periodTo: '2025-12-31' });
    const v1Bytes = await platform.call('GET', `${base}/${v1.json.id}`, { token: admin });
    const v2 = await upload('pentest-report.txt', {
      periodFrom: '2026-01-01',
      periodTo: '2026-12-31',
      supersedes: v1.json.id,
    });
    expect(v2.status, v2.text).toBe(201);
    expect(v2.json.id).not.toBe(v1.json.id);
    expect(v2.json.sha256).not.toBe(v1.json.sha256);
    expect(v2.json.supersedes).toBe(v1.json.id);

    const older = await platform.call('GET', `${base}/${v1.json.id}`, { token: admin });
    expect(older.json).toEqual({
      ...v1Bytes.json,
      status: 'superseded',
      supersededBy: v2.json.id,
    });
    const newer = await platform.call('GET', `${base}/${v2.json.id}`, { token: admin });
    expect([newer.json.status, newer.json.supersededBy]).toEqual(['current', null]);

    const [supersede] = await auditEntries('evidence.supersede', v1.json.id);
    expect(supersede).toEqual({
      before: { supersededBy: null, sha256: v1.json.sha256 },
      after: { supersededBy: v2.json.id, sha256: v2.json.sha256 },
    });
    const [uploadEntry] = await auditEntries('evidence.upload', v2.json.id);
    expect(uploadEntry.after.supersedes).toBe(v1.json.id);

    // A chain, never a fork: the older version cannot be replaced a second time; the newest can.
    const fork = await upload('pentest-report.txt', { supersedes: v1.json.id });
    expect([fork.status, fork.json.error.code]).toEqual([409, 'conflict']);
    const v3 = await upload('pentest-report.txt', { supersedes: v2.json.id });
    expect(v3.status).toBe(201);
    const chain = await catalog({ q: 'pentest-report' });
    expect(chain.json.evidence.map((e: { id: string; status: string }) => [e.id, e.status])).toEqual([
      [v3.json.id, 'current'],
      [v2.json.id, 'superseded'],
      [v1.json.id, 'superseded'],
    ]);
  });

  it('two new versions of one file sent at once: one is taken, the other refused, so the chain never forks', async () => {
    const base = await upload('race.txt');
    const replies = await Promise.all([
      upload('race.txt', { supersedes: base.json.id }),
      upload('race.txt', { supersedes: base.json.id }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    const chain = await catalog({ q: 'race.txt' });
    expect(chain.json.evidence.map((e: { status: string }) => e.status)).toEqual(['current', 'superseded']);
  });

  it('cannot supersede a file of another tenant, or one that does not exist', async () => {
    const globexOwner = (await platform.signIn(platform.user('globex', 'owner'))).accessToken;
    const theirs = await platform.call(
      'POST',
      `/v1/orgs/globex/envs/live/evidence?${new URLSearchParams({ name: 'theirs.txt' })}`,
      {
        token: globexOwner,
        rawBody: text('theirs') as unknown as string,
        headers: { 'content-type': 'application/octet-stream' },
      },
    );
    expect(theirs.status).toBe(201);
    const across = await upload('mine.txt', { supersedes: theirs.json.id });
    expect([across.status, across.json.error.code]).toEqual([404, 'not-found']);
    const unknown = await upload('mine.txt', { supersedes: 'evd_aaaaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(unknown.status).toBe(404);
    const theirsNow = await platform.call('GET', `/v1/orgs/globex/envs/live/evidence/${theirs.json.id}`, {
      token: globexOwner,
    });
    expect(theirsNow.json.status).toBe('current');
  });
});

describe('one file’s metadata', () => {
  it('answers one file of the tenant by id, and 404 for another tenant’s or another environment’s', async () => {
    const file = await upload('one-file.txt', { periodFrom: '2026-02-01', periodTo: '2026-02-28' });
    const reply = await platform.call('GET', `${base}/${file.json.id}`, { token: member });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ ...file.json, supersededBy: null, status: 'current' });
    const testEnv = await platform.call('GET', `/v1/orgs/acme/envs/test/evidence/${file.json.id}`, {
      token: admin,
    });
    expect(testEnv.status).toBe(404);
    const globexOwner = (await platform.signIn(platform.user('globex', 'owner'))).accessToken;
    const crossed = await platform.call('GET', `/v1/orgs/globex/envs/live/evidence/${file.json.id}`, {
      token: globexOwner,
    });
    expect(crossed.status).toBe(404);
    expect(crossed.text).not.toContain('one-file');
  });
});

describe('status', () => {
  it('is current without expiry or beyond 30 days, expiring within 30 days (the day itself included), expired after', async () => {
    const tag = `st${randomBytes(3).toString('hex')}`;
    const files = {
      never: await upload(`${tag}-never.txt`),
      far: await upload(`${tag}-far.txt`, {
        periodFrom: today,
        periodTo: today,
        expiresOn: addDays(today, 31),
      }),
      edge: await upload(`${tag}-edge.txt`, {
        periodFrom: today,
        periodTo: today,
        expiresOn: addDays(today, 30),
      }),
      todayOnly: await upload(`${tag}-today.txt`, { periodFrom: today, periodTo: today, expiresOn: today }),
      gone: await upload(`${tag}-gone.txt`, {
        periodFrom: addDays(today, -10),
        periodTo: addDays(today, -5),
        expiresOn: addDays(today, -1),
      }),
    };
    const statusOf = async (reply: { json: { id: string } }) =>
      (await platform.call('GET', `${base}/${reply.json.id}`, { token: admin })).json.status;
    expect({
      never: await statusOf(files.never),
      far: await statusOf(files.far),
      edge: await statusOf(files.edge),
      todayOnly: await statusOf(files.todayOnly),
      gone: await statusOf(files.gone),
    }).toEqual({
      never: 'current',
      far: 'current',
      edge: 'expiring',
      todayOnly: 'expiring',
      gone: 'expired',
    });
    expect(names(await catalog({ q: tag, status: 'current' }))).toEqual([
      `${tag}-far.txt`,
      `${tag}-never.txt`,
    ]);
    expect(names(await catalog({ q: tag, status: 'expiring' }))).toEqual([
      `${tag}-edge.txt`,
      `${tag}-today.txt`,
    ]);
    expect(names(await catalog({ q: tag, status: 'expired' }))).toEqual([`${tag}-gone.txt`]);
    expect(names(await catalog({ q: tag, status: 'superseded' }))).toEqual([]);
  });
});

describe('catalog filters', () => {
  it('searches names by any part, in any case, with % and _ taken literally', async () => {
    const tag = `nm${randomBytes(3).toString('hex')}`;
    await upload(`${tag}-Access-Review.txt`);
    await upload(`${tag}-100%_done.txt`);
    await upload(`${tag}-1000-done.txt`);
    expect(names(await catalog({ q: `${tag}-access-REVIEW` }))).toEqual([`${tag}-Access-Review.txt`]);
    expect(names(await catalog({ q: `${tag}-100%_` }))).toEqual([`${tag}-100%_done.txt`]);
    expect(names(await catalog({ q: `${tag}-1_` }))).toEqual([]);
  });

  it('filters by type, uploader and request', async () => {
    const tag = `fl${randomBytes(3).toString('hex')}`;
    await upload(`${tag}-a.json`, {}, admin, Buffer.from(`{"tag":"${tag}"}`));
    await upload(`${tag}-b.txt`, {}, member);
    const raised = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
      token: member,
      body: { kind: 'custom.vendor_onboarding', title: `${tag} vendor`, payload: { vendor: 'V' } },
    });
    expect(raised.status, raised.text).toBe(201);
    await upload(`${tag}-c.txt`, { requestId: raised.json.id }, member);
    expect(names(await catalog({ q: tag, mediaType: 'application/json' }))).toEqual([`${tag}-a.json`]);
    expect(names(await catalog({ q: tag, uploader: memberId }))).toEqual([`${tag}-b.txt`, `${tag}-c.txt`]);
    expect(names(await catalog({ q: tag, requestId: raised.json.id }))).toEqual([`${tag}-c.txt`]);
    const record = (await catalog({ q: `${tag}-c` })).json.evidence[0];
    expect(record.requestId).toBe(raised.json.id);
  });

  it('finds files whose period overlaps the range asked for, at either edge', async () => {
    const tag = `pd${randomBytes(3).toString('hex')}`;
    await upload(`${tag}-q1.txt`, { periodFrom: '2025-01-01', periodTo: '2025-03-31' });
    await upload(`${tag}-q2.txt`, { periodFrom: '2025-04-01', periodTo: '2025-06-30' });
    await upload(`${tag}-year.txt`, { periodFrom: '2025-01-01', periodTo: '2025-12-31' });
    expect(names(await catalog({ q: tag, from: '2025-03-31', to: '2025-03-31' }))).toEqual([
      `${tag}-q1.txt`,
      `${tag}-year.txt`,
    ]);
    expect(names(await catalog({ q: tag, from: '2025-07-01', to: '2025-09-30' }))).toEqual([
      `${tag}-year.txt`,
    ]);
    expect(names(await catalog({ q: tag, from: '2025-04-01' }))).toEqual([
      `${tag}-q2.txt`,
      `${tag}-year.txt`,
    ]);
    expect(names(await catalog({ q: tag, to: '2024-12-31' }))).toEqual([]);
    expect((await catalog({ q: tag, from: '2025-13-01' })).status).toBe(400);
  });

  it('pages newest first with a cursor, every file once', async () => {
    const tag = `pg${randomBytes(3).toString('hex')}`;
    const uploaded: string[] = [];
    for (let i = 0; i < 7; i++) uploaded.push((await upload(`${tag}-${i}.txt`)).json.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { json: { evidence: { id: string }[]; nextCursor: string | null } } = await catalog({
        q: tag,
        limit: '3',
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.json.evidence.map((e) => e.id));
      cursor = page.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...uploaded].reverse());
    expect((await catalog({ cursor: 'not-a-cursor' })).status).toBe(400);
  });

  it('never shows another tenant’s files, whatever the filters', async () => {
    const globexOwner = (await platform.signIn(platform.user('globex', 'owner'))).accessToken;
    const tag = `iso${randomBytes(3).toString('hex')}`;
    await upload(`${tag}-acme.txt`);
    const theirs = await catalog({ q: tag }, globexOwner, '/v1/orgs/globex/envs/live/evidence');
    expect([theirs.status, theirs.json.evidence]).toEqual([200, []]);
    const acrossEnv = await catalog({ q: tag }, admin, '/v1/orgs/acme/envs/test/evidence');
    expect(acrossEnv.json.evidence).toEqual([]);
    const named = await catalog({ q: tag }, admin, '/v1/orgs/globex/envs/live/evidence');
    expect(named.status).toBe(404);
  });
});

describe('coverage', () => {
  it('counts per month of the last twelve the current files covering it, and lists what expires next', async () => {
    const own = await startPlatform();
    try {
      const token = (await own.signIn(own.user('globex', 'owner'))).accessToken;
      const now = dayOf(own.clock.now());
      const send = (name: string, query: Record<string, string>) =>
        own.call('POST', `/v1/orgs/globex/envs/test/evidence?${new URLSearchParams({ name, ...query })}`, {
          token,
          rawBody: text(name) as unknown as string,
          headers: { 'content-type': 'application/octet-stream' },
        });
      const thisMonth = `${now.slice(0, 7)}-01`;
      const before = await own.call('GET', '/v1/orgs/globex/envs/test/evidence/coverage', { token });
      const counts = (reply: typeof before) =>
        reply.json.months.map((m: { files: number }) => m.files) as number[];
      const baseline = counts(before);
      expect(before.json.months).toHaveLength(12);
      expect(before.json.months[11].month).toBe(now.slice(0, 7));
      // One file for this month only, one for the whole year, one superseded (does not count).
      await send('month.txt', { periodFrom: thisMonth, periodTo: now, expiresOn: addDays(now, 3) });
      await send('year.txt', {
        periodFrom: addDays(now, -400),
        periodTo: addDays(now, 40),
        expiresOn: addDays(now, 90),
      });
      const old = await send('old.txt', { periodFrom: thisMonth, periodTo: now, expiresOn: addDays(now, 1) });
      await send('new.txt', { periodFrom: thisMonth, periodTo: now, supersedes: old.json.id });
      await send('expired.txt', {
        periodFrom: thisMonth,
        periodTo: now,
        expiresOn: addDays(now, -1) > thisMonth ? addDays(now, -1) : thisMonth,
      });
      const after = await own.call('GET', '/v1/orgs/globex/envs/test/evidence/coverage', { token });
      const delta = counts(after).map((n, i) => n - (baseline[i] as number));
      // Every month has the year file; this month also month.txt, new.txt and expired.txt.
      expect(delta).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4]);
      const next = after.json.expiringNext.map((e: { name: string }) => e.name);
      expect(next).toContain('month.txt');
      expect(next).not.toContain('old.txt');
      const days = after.json.expiringNext.map((e: { expiresOn: string }) => e.expiresOn);
      expect(days).toEqual([...days].sort());
      expect(after.json.asOf).toBe(now);
    } finally {
      await own.stop();
    }
  });
});

import { createPublicKey, verify } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgScope } from '../../../platform/db/scope';
import { addMember, createUser } from '../../../platform/organizations/provisioning';
import type { DemoUser } from '../../../platform/seed/demo';
import { decisionStatementBytes } from '../../../shared/approvals/decision-statement';
import { type Device, decide, registerDevice } from '../../helpers/approvals';
import { exportLog, splitExport } from '../../helpers/audit';
import { rawSql, startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
const live = '/v1/orgs/acme/envs/live/approvals';
const test = '/v1/orgs/acme/envs/test/approvals';
interface Person {
  user: DemoUser;
  token: string;
  device: Device;
}
const people: Record<string, Person> = {};
const officers: Person[] = [];

async function person(user: DemoUser): Promise<Person> {
  const token = (await platform.signIn(user)).accessToken;
  return { user, token, device: await registerDevice(platform, token) };
}

async function extraOfficer(n: number): Promise<Person> {
  const org = await platform.ctx.stores.organizations.findBySlug('acme');
  if (!org) throw new Error('acme missing');
  const email = `officer-${n}@acme.example`;
  const { userId, totpSeed } = await createUser(platform.ctx, {
    email,
    displayName: `Officer ${n}`,
    password: 'a long test password',
  });
  await addMember(platform.ctx, orgScope(org.id, org.slug), userId, 'compliance_officer');
  return person({
    organization: 'acme',
    role: 'compliance_officer',
    userId,
    email,
    password: 'a long test password',
    totpSeed,
  });
}

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  for (const role of ['owner', 'admin', 'compliance_officer', 'member', 'auditor'] as const) {
    people[role] = await person(platform.user('acme', role));
  }
  for (let i = 0; i < 6; i++) officers.push(await extraOfficer(i));
});
afterAll(() => platform.stop());

const p = (role: string) => people[role] as Person;

/** Fresh one-time codes move the test clock on; everyone signs in again before access tokens run out. */
async function signInEveryoneAgain() {
  for (const who of [...Object.values(people), ...officers])
    who.token = (await platform.signIn(who.user)).accessToken;
}

async function request(path: string, who: Person, body: Record<string, unknown>) {
  const reply = await platform.call('POST', path, { token: who.token, body: { summary: '', ...body } });
  expect(reply.status, reply.text).toBe(201);
  return reply.json;
}

describe('lanes', () => {
  it('green: executed at once and logged', async () => {
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: p('owner').token,
      body: { name: 'old', scopes: ['orgs:read'] },
    });
    const r = await request(test, p('admin'), {
      kind: 'api_key.revoke',
      title: 'Revoke old key',
      payload: { keyId: key.json.key.id },
    });
    expect(r.lane).toBe('green');
    expect(r.status).toBe('executed');
    expect((await platform.call('GET', '/v1/orgs/acme', { token: key.json.secret })).status).toBe(401);
  });

  it('yellow: one approval by someone else executes it; the requester collects the secret once', async () => {
    const r = await request(live, p('admin'), {
      kind: 'api_key.create',
      title: 'Key for the ledger',
      payload: { name: 'ledger', scopes: ['approvals:read'] },
    });
    expect(r).toEqual(expect.objectContaining({ lane: 'yellow', requiredApprovals: 1, status: 'pending' }));
    const own = await decide(platform, p('admin').token, p('admin').device, live, r, 'approve');
    expect(own.status).toBe(403);
    const approved = await decide(
      platform,
      p('compliance_officer').token,
      p('compliance_officer').device,
      live,
      r,
      'approve',
    );
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json.status).toBe('executed');
    const first = await platform.call('POST', `${live}/${r.id}/result`, { token: p('admin').token });
    expect(first.json.secret).toMatch(/^cck_live_/);
    const second = await platform.call('POST', `${live}/${r.id}/result`, { token: p('admin').token });
    expect(second.json.secret).toBeNull();
    expect((await platform.databaseBytes()).includes(Buffer.from(first.json.secret.split('.')[1]))).toBe(
      false,
    );
    expect((await platform.call('GET', '/v1/orgs/acme', { token: first.json.secret })).status).toBe(403);
    const other = await platform.call('POST', `${live}/${r.id}/result`, {
      token: p('compliance_officer').token,
    });
    expect(other.status).toBe(403);
  });

  it('red: N distinct approvals, each with a fresh TOTP step-up, one person counting once', async () => {
    const target = platform.user('acme', 'viewer');
    const r = await request(live, p('owner'), {
      kind: 'member.role_change',
      title: 'Promote viewer',
      payload: { userId: target.userId, role: 'member' },
    });
    expect(r).toEqual(expect.objectContaining({ lane: 'red', requiredApprovals: 2 }));
    const [a, b] = officers as [Person, Person];
    expect((await decide(platform, a.token, a.device, live, r, 'approve')).status).toBe(403);
    const once = await decide(platform, a.token, a.device, live, r, 'approve', { totpOf: a.user });
    expect(once.json).toEqual(expect.objectContaining({ approvals: 1, status: 'pending' }));
    const twice = await decide(platform, a.token, a.device, live, r, 'approve', { totpOf: a.user });
    expect(twice.status).toBe(409);
    const done = await decide(platform, b.token, b.device, live, r, 'approve', { totpOf: b.user });
    expect(done.json).toEqual(expect.objectContaining({ approvals: 2, status: 'executed' }));
    const members = await platform.call('GET', '/v1/orgs/acme/members', { token: p('owner').token });
    expect(members.json.members.find((m: { userId: string }) => m.userId === target.userId).role).toBe(
      'member',
    );
  });

  it('the policy changes only through an approved policy.update, and live never ranks below test', async () => {
    const bad = await platform.call('POST', live, {
      token: p('owner').token,
      body: {
        kind: 'policy.update',
        title: 'Live below test',
        payload: { lanes: { 'api_key.revoke': { test: 'red', live: 'green' } } },
      },
    });
    expect(bad.status).toBe(400);
    const stricter = await request(live, p('owner'), {
      kind: 'policy.update',
      title: 'Three approvals in the red lane',
      payload: { redApprovals: 3 },
    });
    expect(stricter).toEqual(expect.objectContaining({ lane: 'red', requiredApprovals: 2 }));
    const [a, b, c, d, e] = officers as [Person, Person, Person, Person, Person];
    await decide(platform, a.token, a.device, live, stricter, 'approve', { totpOf: a.user });
    const done = await decide(platform, b.token, b.device, live, stricter, 'approve', { totpOf: b.user });
    expect(done.json.status, done.text).toBe('executed');
    await signInEveryoneAgain();
    const policy = await platform.call('GET', '/v1/orgs/acme/policy', { token: p('owner').token });
    expect(policy.json.redApprovals).toBe(3);
    const back = await request(live, p('owner'), {
      kind: 'policy.update',
      title: 'Back to two',
      payload: { redApprovals: 2 },
    });
    expect(back.requiredApprovals).toBe(3);
    for (const who of [c, d, e]) {
      await decide(platform, who.token, who.device, live, back, 'approve', { totpOf: who.user });
    }
    await signInEveryoneAgain();
    const restored = await platform.call('GET', '/v1/orgs/acme/policy', { token: p('owner').token });
    expect(restored.json.redApprovals).toBe(2);
  });
});

describe('no way around the lanes', () => {
  it('a direct write to a live key is refused when its lane is not green', async () => {
    const owner = p('owner').token;
    const direct = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
      token: owner,
      body: { name: 'sneaky', scopes: ['orgs:read'] },
    });
    expect(direct.status).toBe(403);
    expect(direct.json.error.code).toBe('approval-required');
    const testEnv = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: owner,
      body: { name: 'fine in test', scopes: ['orgs:read'] },
    });
    expect(testEnv.status).toBe(201);
  });
});

describe('closing without execution', () => {
  it('decisions, comments and closed requests cannot be edited, even with raw SQL', async () => {
    await expect(rawSql(platform, sql`UPDATE approval_decisions SET comment = 'changed'`)).rejects.toThrow(
      /final/,
    );
    await expect(rawSql(platform, sql`DELETE FROM approval_decisions`)).rejects.toThrow(/final/);
    await expect(
      rawSql(platform, sql`UPDATE approval_requests SET status = 'pending' WHERE status <> 'pending'`),
    ).rejects.toThrow(/final/);
  });

  it('a rejection needs a reason and is final', async () => {
    const r = await request(live, p('admin'), {
      kind: 'api_key.create',
      title: 'Another key',
      payload: { name: 'x', scopes: ['orgs:read'] },
    });
    const [a, b] = officers as [Person, Person];
    expect((await decide(platform, a.token, a.device, live, r, 'reject')).status).toBe(400);
    const rejected = await decide(platform, a.token, a.device, live, r, 'reject', {
      comment: 'No business case',
    });
    expect(rejected.json).toEqual(
      expect.objectContaining({ status: 'rejected', outcome: 'No business case' }),
    );
    expect((await decide(platform, b.token, b.device, live, r, 'approve')).status).toBe(409);
  });

  it('only the requester withdraws, and a withdrawn request takes no decisions', async () => {
    const r = await request(live, p('admin'), {
      kind: 'api_key.create',
      title: 'Key',
      payload: { name: 'y', scopes: ['orgs:read'] },
    });
    expect(
      (await platform.call('POST', `${live}/${r.id}/withdraw`, { token: p('owner').token })).status,
    ).toBe(403);
    const withdrawn = await platform.call('POST', `${live}/${r.id}/withdraw`, { token: p('admin').token });
    expect(withdrawn.json.status).toBe('withdrawn');
    const a = officers[0] as Person;
    expect((await decide(platform, a.token, a.device, live, r, 'approve')).status).toBe(409);
  });

  it('expires after the policy’s days without enough approvals', async () => {
    const r = await request(live, p('admin'), {
      kind: 'api_key.create',
      title: 'Stale',
      payload: { name: 'z', scopes: ['orgs:read'] },
    });
    platform.clock.advance(7 * 24 * 3600 * 1000 + 1000);
    for (const who of Object.values(people)) who.token = (await platform.signIn(who.user)).accessToken;
    for (const who of officers) who.token = (await platform.signIn(who.user)).accessToken;
    expect((await platform.call('GET', `${live}/${r.id}`, { token: p('admin').token })).json.status).toBe(
      'expired',
    );
    const a = officers[0] as Person;
    expect((await decide(platform, a.token, a.device, live, r, 'approve')).status).toBe(409);
  });

  it('a reversal is a new request linked to an executed one', async () => {
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: p('owner').token,
      body: { name: 'r', scopes: ['orgs:read'] },
    });
    const done = await request(test, p('admin'), {
      kind: 'api_key.revoke',
      title: 'Revoke',
      payload: { keyId: key.json.key.id },
    });
    const reversal = await request(test, p('admin'), {
      kind: 'api_key.create',
      title: 'Undo: issue a replacement',
      payload: { name: 'r2', scopes: ['orgs:read'] },
      reverses: done.id,
    });
    expect(reversal.reverses).toBe(done.id);
    const pending = await request(live, p('admin'), {
      kind: 'api_key.create',
      title: 'P',
      payload: { name: 'p', scopes: ['orgs:read'] },
    });
    const bad = await platform.call('POST', live, {
      token: p('admin').token,
      body: {
        kind: 'api_key.create',
        title: 'Undo pending',
        payload: { name: 'q', scopes: ['orgs:read'] },
        reverses: pending.id,
      },
    });
    expect(bad.status).toBe(409);
  });
});

describe('concurrency and retries', () => {
  it('many parallel approvals never exceed the lane’s count', async () => {
    const yellow = await request(live, p('admin'), {
      kind: 'api_key.create',
      title: 'Race',
      payload: { name: 'race', scopes: ['orgs:read'] },
    });
    const replies = await Promise.all(
      officers.map((o) => decide(platform, o.token, o.device, live, yellow, 'approve')),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(officers.length - 1);
    const final = await platform.call('GET', `${live}/${yellow.id}`, { token: p('admin').token });
    expect(final.json).toEqual(expect.objectContaining({ status: 'executed', approvals: 1 }));
  });

  it('a retried decision with one idempotency key counts once and returns the first result', async () => {
    const target = platform.user('acme', 'member');
    const red = await request(live, p('owner'), {
      kind: 'member.role_change',
      title: 'Retry',
      payload: { userId: target.userId, role: 'viewer' },
    });
    const a = officers[2] as Person;
    const first = await decide(platform, a.token, a.device, live, red, 'approve', {
      totpOf: a.user,
      idempotencyKey: 'retry-key-1',
    });
    const again = await decide(platform, a.token, a.device, live, red, 'approve', {
      totpOf: a.user,
      idempotencyKey: 'retry-key-1',
    });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.json.approvals).toBe(1);
    const other = await decide(platform, a.token, a.device, live, red, 'reject', {
      comment: 'no',
      idempotencyKey: 'retry-key-1',
    });
    expect(other.status).toBe(409);
  });
});

describe('signatures', () => {
  it('a decision signed over another payload, or with another person’s key, is refused', async () => {
    const r = await request(live, p('admin'), {
      kind: 'api_key.create',
      title: 'Sig',
      payload: { name: 's', scopes: ['orgs:read'] },
    });
    const [a, b] = officers.slice(3) as [Person, Person];
    const wrongPayload = await decide(platform, a.token, a.device, live, r, 'approve', {
      signPayloadHash: 'f'.repeat(64),
    });
    expect(wrongPayload.status).toBe(403);
    const othersKey = await decide(platform, a.token, b.device, live, r, 'approve');
    expect(othersKey.status).toBe(403);
    expect((await platform.call('GET', `${live}/${r.id}`, { token: a.token })).json.approvals).toBe(0);
  });

  it('an approval verifies offline from its exported audit entry alone', async () => {
    const r = await request(live, p('admin'), {
      kind: 'api_key.create',
      title: 'Offline',
      payload: { name: 'o', scopes: ['orgs:read'] },
    });
    const a = officers[4] as Person;
    expect((await decide(platform, a.token, a.device, live, r, 'approve', { comment: 'ok' })).status).toBe(
      200,
    );
    const owner = p('owner');
    const entries = splitExport(await exportLog(platform, owner.token, 'acme', 'live')).entries.map((l) =>
      JSON.parse(l),
    );
    const entry = entries.find((e) => e.action === 'approval.decide' && e.resource.id === r.id);
    const { statement, publicKey } = entry.change.after;
    expect(statement.payloadHash).toBe(r.payloadHash);
    const key = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKey, 'base64')]),
      format: 'der',
      type: 'spki',
    });
    const signed = decisionStatementBytes(statement);
    expect(verify(null, signed, key, Buffer.from(entry.signature.value, 'base64'))).toBe(true);
    expect(
      verify(
        null,
        decisionStatementBytes({ ...statement, decision: 'reject' }),
        key,
        Buffer.from(entry.signature.value, 'base64'),
      ),
    ).toBe(false);
  });
});

describe('requests from integrations and the record', () => {
  it('an integration’s API key raises custom requests only', async () => {
    // The organization lets key creation through in live for this test, and puts it back after.
    await platform.setLanes('acme', { 'api_key.create': { test: 'green', live: 'green' } });
    const key = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
      token: p('owner').token,
      body: { name: 'erp', scopes: ['approvals:request', 'approvals:read'] },
    });
    await platform.setLanes('acme', { 'api_key.create': { test: 'green', live: 'yellow' } });
    const custom = await platform.call('POST', live, {
      token: key.json.secret,
      body: {
        kind: 'custom.journal_entry',
        title: 'Post journal entry 4711',
        payload: { entry: 4711, amount: '1200.00' },
      },
    });
    expect(custom.status).toBe(201);
    expect(custom.json).toEqual(
      expect.objectContaining({
        lane: 'yellow',
        requester: { type: 'api-key', id: key.json.key.id, personId: p('owner').user.userId },
      }),
    );
    const builtIn = await platform.call('POST', live, {
      token: key.json.secret,
      body: { kind: 'audit.retention', title: 'Shorten retention', payload: { days: 30 } },
    });
    expect(builtIn.status).toBe(403);
  });

  it('every step is on the request’s timeline, in order', async () => {
    const r = await request(live, p('admin'), {
      kind: 'api_key.create',
      title: 'Timeline',
      payload: { name: 't', scopes: ['orgs:read'] },
    });
    await platform.call('POST', `${live}/${r.id}/comments`, {
      token: p('compliance_officer').token,
      body: { body: 'Which system uses it?' },
    });
    const a = officers[5] as Person;
    await decide(platform, a.token, a.device, live, r, 'approve');
    const timeline = await platform.call('GET', `${live}/${r.id}/timeline`, {
      token: p('compliance_officer').token,
    });
    expect(timeline.status).toBe(200);
    expect(timeline.json.events.map((e: { action: string }) => e.action)).toEqual([
      'approval.request',
      'approval.comment',
      'approval.decide',
      'approval.execute',
    ]);
  });

  it('search finds a request by the words of its title, never another tenant’s', async () => {
    const mine = await request(live, p('admin'), {
      kind: 'custom.vendor_payment',
      title: 'Pay Initech invoice 88123',
      payload: { vendor: 'Initech' },
    });
    const globexAdmin = (await platform.signIn(platform.user('globex', 'admin'))).accessToken;
    const theirs = await platform.call('POST', '/v1/orgs/globex/envs/live/approvals', {
      token: globexAdmin,
      body: {
        kind: 'custom.vendor_payment',
        title: 'Pay Initech invoice 88124',
        payload: { vendor: 'Initech' },
      },
    });
    expect(theirs.status).toBe(201);
    const found = await platform.call('GET', `${live}?q=${encodeURIComponent('initech invoice 8812')}`, {
      token: p('admin').token,
    });
    expect(found.json.requests.map((r: { id: string }) => r.id)).toEqual([mine.id]);
    const byId = await platform.call('GET', `${live}?q=${mine.id}`, { token: p('admin').token });
    expect(byId.json.requests.map((r: { id: string }) => r.id)).toEqual([mine.id]);
    const syntax = await platform.call('GET', `${live}?q=${encodeURIComponent('" OR * NEAR(')}`, {
      token: p('admin').token,
    });
    expect(syntax.status).toBe(200);
  });

  it('the queue filters by status, lane and what is mine to decide', async () => {
    const [a, b] = officers as [Person, Person];
    const payment = (title: string) => ({ kind: 'custom.vendor_payment', title, payload: { title } });
    // Pending and someone else's: to decide. Raised by a, decided by a, or closed: not a's to decide.
    const theirs = await request(live, p('admin'), payment('Queue: theirs'));
    const own = await request(live, a, payment('Queue: a’s own'));
    const withdrawn = await request(live, p('admin'), payment('Queue: withdrawn'));
    const closing = await platform.call('POST', `${live}/${withdrawn.id}/withdraw`, {
      token: p('admin').token,
    });
    expect(closing.json.status).toBe('withdrawn');
    const decided = await request(live, p('owner'), {
      kind: 'member.role_change',
      title: 'Queue: decided by a, still waiting for a second approver',
      payload: { userId: platform.user('acme', 'auditor').userId, role: 'viewer' },
    });
    const once = await decide(platform, a.token, a.device, live, decided, 'approve', { totpOf: a.user });
    expect(once.json).toMatchObject({ status: 'pending', approvals: 1, requiredApprovals: 2 });

    const queueOf = async (who: Person) => {
      const reply = await platform.call('GET', `${live}?mine=to-decide&limit=200`, { token: who.token });
      expect(reply.status).toBe(200);
      return reply.json.requests as { id: string; status: string; requester: { id: string } }[];
    };
    const queue = await queueOf(a);
    expect(queue.length).toBeGreaterThan(0);
    const ids = queue.map((item) => item.id);
    expect(ids).toContain(theirs.id);
    for (const excluded of [own, withdrawn, decided]) expect(ids).not.toContain(excluded.id);
    expect(queue.filter((item) => item.status !== 'pending')).toEqual([]);
    expect(queue.filter((item) => item.requester.id === a.user.userId)).toEqual([]);
    // What a has decided still waits for b, and a's own request is b's to decide.
    const ofB = (await queueOf(b)).map((item) => item.id);
    expect(ofB).toEqual(expect.arrayContaining([theirs.id, own.id, decided.id]));
    expect(ofB).not.toContain(withdrawn.id);
    const red = await platform.call('GET', `${live}?status=all&lane=red`, { token: a.token });
    expect(red.json.requests.every((item: { lane: string }) => item.lane === 'red')).toBe(true);
    expect(red.json.requests.length).toBeGreaterThan(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '../../../platform/seed/demo';
import { type Device, decide, registerDevice } from '../../helpers/approvals';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

/**
 * One admin, with every permission an admin has, their own API keys and two device keys, tries every
 * sequence the public API offers to get a red-lane write executed alone. None may work, and every attempt
 * must be in the audit log.
 */
let platform: TestPlatform;
let admin: DemoUser;
let token: string;
let signedInAt = 0;
let laptop: Device;
let phone: Device;
const live = '/v1/orgs/acme/envs/live/approvals';
const test = '/v1/orgs/acme/envs/test/approvals';

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  admin = platform.user('acme', 'admin');
  await signInAgainIfStale();
  laptop = await registerDevice(platform, token);
  phone = await registerDevice(platform, token);
});
afterAll(() => platform.stop());

/** Every fresh one-time code moves the test clock 30 s on; sign in again before the 10-minute token ends. */
async function signInAgainIfStale() {
  if (platform.clock.now() - signedInAt < 5 * 60_000) return;
  token = (await platform.signIn(admin)).accessToken;
  signedInAt = platform.clock.now();
}

/** Raises a request as the admin, or with another credential (the admin's API key, another person). */
async function raise(path: string, body: Record<string, unknown>, credential?: string) {
  await signInAgainIfStale();
  return platform.call('POST', path, { token: credential ?? token, body: { summary: 'because', ...body } });
}

/** Approves with both of the admin's devices, each with a fresh code; the request must stay pending. */
async function approveWithEveryDevice(path: string, request: { id: string; payloadHash: string }) {
  for (const device of [laptop, phone]) {
    await signInAgainIfStale();
    const reply = await decide(platform, token, device, path, request, 'approve', { totpOf: admin });
    expect([403, 409], reply.text).toContain(reply.status);
  }
  const after = await platform.call('GET', `${path}/${request.id}`, { token });
  expect(after.json.status).toBe('pending');
  expect(after.json.approvals).toBe(0);
}

async function policy() {
  return (await platform.call('GET', '/v1/orgs/acme/policy', { token })).json;
}

async function keyWith(scopes: string[], env: 'test' | 'live' = 'test') {
  // api_key.create is green in test under the default policy: the admin may mint test keys alone.
  const reply = await platform.call('POST', `/v1/orgs/acme/envs/${env}/api-keys`, {
    token,
    body: { name: `admin's own ${scopes.join(' ')}`, scopes },
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.json as { key: { id: string }; secret: string };
}

describe('one admin alone cannot get a red-lane write executed', () => {
  it('cannot change the approval policy or a webhook target directly', async () => {
    const before = await policy();
    const weaken = await platform.call('PUT', '/v1/orgs/acme/policy', {
      token,
      body: { redApprovals: 1, lanes: { 'member.role_change': { test: 'green', live: 'green' } } },
    });
    expect(weaken.status).toBeGreaterThanOrEqual(400);
    const hook = await platform.call('PUT', '/v1/orgs/acme/envs/live/webhook', {
      token,
      body: { url: 'https://attacker.example/hook' },
    });
    expect(hook.status).toBeGreaterThanOrEqual(400);
    expect(await policy()).toEqual(before);
  });

  it('a policy change is a red request that the proposer cannot approve with any device', async () => {
    const proposal = await raise(live, {
      kind: 'policy.update',
      title: 'Let role changes through',
      payload: { lanes: { 'member.role_change': { test: 'green', live: 'green' } } },
    });
    expect(proposal.status, proposal.text).toBe(201);
    expect(proposal.json).toEqual(expect.objectContaining({ lane: 'red', requiredApprovals: 2 }));
    await approveWithEveryDevice(live, proposal.json);
    const inTest = await raise(test, {
      kind: 'policy.update',
      title: 'Same, raised in test',
      payload: { redApprovals: 2, expiryDays: 30 },
    });
    expect(inTest.json.lane).toBe('red');
    await approveWithEveryDevice(test, inTest.json);
  });

  it('refuses a policy change that would weaken the rule itself, with a clear reason', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ redApprovals: 1 }, /at least 2/],
      [{ lanes: { 'policy.update': { test: 'yellow', live: 'red' } } }, /always red/],
      [{ lanes: { 'evidence.delete': { test: 'red', live: 'green' } } }, /live lane .* below its test lane/],
    ];
    for (const [payload, message] of cases) {
      const reply = await raise(live, { kind: 'policy.update', title: 'Weaken', payload });
      expect(reply.status, reply.text).toBe(400);
      expect(reply.json.error.message).toMatch(message);
    }
  });

  it('changing a webhook target is a policy change, red like the rest', async () => {
    const reply = await raise(live, {
      kind: 'policy.update',
      title: 'Send executed writes to my server',
      payload: { webhook: { environment: 'live', url: 'https://93.184.215.14/hook' } },
    });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.json.lane).toBe('red');
    await approveWithEveryDevice(live, reply.json);
  });

  it('every red built-in kind stays pending however often it is raised or re-raised', async () => {
    const viewer = platform.user('acme', 'viewer');
    const kinds = [
      { kind: 'member.role_change', payload: { userId: admin.userId, role: 'owner' } },
      { kind: 'member.role_change', payload: { userId: viewer.userId, role: 'admin' } },
      { kind: 'audit.retention', payload: { days: 30 } },
    ];
    for (const body of kinds) {
      for (const path of [live, test]) {
        for (let attempt = 0; attempt < 2; attempt++) {
          const reply = await raise(path, { ...body, title: `Attempt ${attempt}` });
          expect(reply.status, reply.text).toBe(201);
          expect(reply.json.lane).toBe('red');
          await approveWithEveryDevice(path, reply.json);
        }
      }
    }
  });

  it("a request raised through the admin's own API key is the admin's: they cannot approve it", async () => {
    const key = await keyWith(['approvals:request', 'approvals:read']);
    const custom = await raise(
      test,
      {
        kind: 'custom.wire_transfer',
        title: 'Wire 1,000,000 to account 42',
        payload: { amount: 1_000_000, account: '42' },
      },
      key.secret,
    );
    expect(custom.status, custom.text).toBe(201);
    expect(custom.json.requester.personId).toBe(admin.userId);
    await approveWithEveryDevice(test, custom.json);
    const queue = await platform.call('GET', `${test}?mine=to-decide&limit=200`, { token });
    expect(queue.json.requests.map((r: { id: string }) => r.id)).not.toContain(custom.json.id);
  });

  it('an API key holding approvals:decide can neither decide nor comment, nor raise a built-in kind', async () => {
    const key = await keyWith(['approvals:request', 'approvals:read', 'approvals:decide', 'policy:manage']);
    const mine = await raise(
      test,
      {
        kind: 'custom.wire_transfer',
        title: 'Another wire',
        payload: { amount: 5 },
      },
      key.secret,
    );
    const asKey = await decide(platform, key.secret, laptop, test, mine.json, 'approve', { totpOf: admin });
    expect(asKey.status).toBe(403);
    const comment = await platform.call('POST', `${test}/${mine.json.id}/comments`, {
      token: key.secret,
      body: { body: 'looks fine to me' },
    });
    expect(comment.status).toBe(403);
    const builtIn = await raise(
      test,
      {
        kind: 'policy.update',
        title: 'From a key',
        payload: { redApprovals: 2 },
      },
      key.secret,
    );
    expect(builtIn.status).toBe(403);
    const orgWide = await platform.call('PUT', '/v1/orgs/acme/policy', {
      token: key.secret,
      body: { redApprovals: 2 },
    });
    expect(orgWide.status).toBeGreaterThanOrEqual(400);
  });

  it("a second device of a person is still that person: the admin's approval of another's request counts once", async () => {
    const owner = platform.user('acme', 'owner');
    const ownerToken = (await platform.signIn(owner)).accessToken;
    const theirs = await raise(
      live,
      {
        kind: 'audit.retention',
        title: "The owner's retention change",
        payload: { days: 400 },
      },
      ownerToken,
    );
    const first = await decide(platform, token, laptop, live, theirs.json, 'approve', { totpOf: admin });
    expect(first.json).toEqual(expect.objectContaining({ approvals: 1, status: 'pending' }));
    const second = await decide(platform, token, phone, live, theirs.json, 'approve', { totpOf: admin });
    expect(second.status).toBe(409);
    const after = await platform.call('GET', `${live}/${theirs.json.id}`, { token });
    expect(after.json).toEqual(expect.objectContaining({ approvals: 1, status: 'pending' }));
  });

  it('a reversal is a new request in its own lane: reversing a reversal gains nothing', async () => {
    const key = await keyWith(['orgs:read']);
    const revoke = await raise(test, {
      kind: 'api_key.revoke',
      title: 'Revoke my key',
      payload: { keyId: key.key.id },
    });
    expect(revoke.json.status).toBe('executed');
    const reversal = await raise(test, {
      kind: 'evidence.delete',
      title: 'Reverse by deleting evidence',
      payload: { evidenceId: 'evd_aaaaaaaaaaaaaaaaaaaaaaaaaa' },
      reverses: revoke.json.id,
    });
    expect(reversal.json.lane).toBe('red');
    await approveWithEveryDevice(test, reversal.json);
    const ofPending = await raise(test, {
      kind: 'api_key.revoke',
      title: 'Reverse the reversal',
      payload: { keyId: key.key.id },
      reverses: reversal.json.id,
    });
    expect(ofPending.status).toBe(409);
  });

  it('nothing red executed, the policy is as it was, and every refused attempt is in the audit log', async () => {
    for (const path of [live, test]) {
      const red = await platform.call('GET', `${path}?status=all&lane=red&limit=200`, { token });
      const raisedByAdmin = red.json.requests.filter(
        (r: { requester: { personId: string } }) => r.requester.personId === admin.userId,
      );
      expect(raisedByAdmin.length).toBeGreaterThan(0);
      for (const r of raisedByAdmin) expect(r.status).toBe('pending');
    }
    const officer = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
    const entries = async (env: string, action: string) => {
      const reply = await platform.call(
        'GET',
        `/v1/orgs/acme/envs/${env}/audit/entries?action=${action}&limit=500`,
        { token: officer },
      );
      expect(reply.status, reply.text).toBe(200);
      return reply.json.entries as { actor: { id: string }; change: { after: { reason?: string } } }[];
    };
    const refusals = [
      ...(await entries('live', 'approval.decide_refused')),
      ...(await entries('test', 'approval.decide_refused')),
    ];
    const reasons = new Set(refusals.map((e) => e.change.after.reason));
    expect(reasons).toEqual(new Set(['own-request', 'not-a-person', 'already-decided']));
    expect(refusals.length).toBeGreaterThanOrEqual(20);
    const policyRefusals = await entries('live', 'policy.update_refused');
    expect(policyRefusals.length).toBeGreaterThanOrEqual(2);
  });
});

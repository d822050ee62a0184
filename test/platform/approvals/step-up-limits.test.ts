import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../../platform/auth/totp';
import { type Device, decide, registerDevice } from '../../helpers/approvals';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

/**
 * Guessing the step-up code of a red-lane approval: someone holding an officer's session and device key
 * but not their authenticator tries codes. The guesses are limited per person and per device key, a lock
 * follows, and every failure and the lock are on the record.
 */
let platform: TestPlatform;
const live = '/v1/orgs/acme/envs/live/approvals';

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
});
afterAll(() => platform.stop());

async function redRequest(title: string) {
  const owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
  const reply = await platform.call('POST', live, {
    token: owner,
    body: { kind: 'audit.retention', title, payload: { days: 365 } },
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.json as { id: string; payloadHash: string };
}

/** A code that is certainly wrong now: the real one for a time far from the platform's clock. */
function wrongCode(seed: Uint8Array): string {
  const right = totpCode(seed, platform.clock.now());
  for (let offset = 1; ; offset++) {
    const candidate = String((Number(right) + offset * 7919) % 1_000_000).padStart(6, '0');
    if (candidate !== right) return candidate;
  }
}

async function attempt(
  token: string,
  device: Device,
  request: { id: string; payloadHash: string },
  totp: string,
) {
  return platform.call('POST', `${live}/${request.id}/decisions`, {
    token,
    body: await signedBody(device, request, totp),
  });
}

async function signedBody(device: Device, request: { id: string; payloadHash: string }, totp: string) {
  // Signed properly, so the only thing wrong is the guessed code.
  const { createHash, sign } = await import('node:crypto');
  const { decisionStatementBytes } = await import('../../../shared/approvals/decision-statement');
  const decidedAt = new Date(platform.clock.now()).toISOString();
  const statement = {
    requestId: request.id,
    decision: 'approve' as const,
    payloadHash: request.payloadHash,
    evidenceHashes: [],
    commentHash: createHash('sha256').update('').digest('hex'),
    decidedAt,
  };
  return {
    decision: 'approve',
    comment: '',
    deviceKeyId: device.id,
    decidedAt,
    signature: sign(null, decisionStatementBytes(statement), device.privateKey).toString('base64'),
    idempotencyKey: `guess-${Math.random().toString(36).slice(2)}`,
    totp,
  };
}

describe('step-up codes at a red-lane approval', () => {
  it('five wrong codes lock red-lane approving for the person, with plain words, all of it audited', async () => {
    const officer = platform.user('acme', 'compliance_officer');
    const token = (await platform.signIn(officer)).accessToken;
    const device = await registerDevice(platform, token);
    const request = await redRequest('Keep the log a year');
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await attempt(token, device, request, wrongCode(officer.totpSeed));
      messages.push(reply.json.error.message);
      expect(reply.status).toBe(i < 4 ? 403 : 429);
    }
    expect(messages[0]).toMatch(/not correct.*4 tries left/);
    expect(messages[3]).toMatch(/1 try left/);
    expect(messages[4]).toMatch(/locked for you until \d\d:\d\d UTC/);
    // Locked: even the right code is refused, without being checked, until the lock ends.
    const right = totpCode(officer.totpSeed, platform.clock.now());
    const whileLocked = await attempt(token, device, request, right);
    expect(whileLocked.status).toBe(429);
    const still = await platform.call('GET', `${live}/${request.id}`, { token });
    expect(still.json.approvals).toBe(0);

    const auditor = (await platform.signIn(platform.user('acme', 'auditor'))).accessToken;
    const actions = async (action: string) =>
      (
        await platform.call('GET', `/v1/orgs/acme/envs/live/audit/entries?action=${action}&limit=100`, {
          token: auditor,
        })
      ).json.entries.filter((e: { resource: { id: string } }) => e.resource.id === request.id);
    expect(await actions('approval.step_up_failed')).toHaveLength(5);
    expect(await actions('approval.step_up_locked')).toHaveLength(1);
    expect(await actions('approval.step_up_refused')).toHaveLength(1);

    platform.clock.advance(16 * 60_000);
    const fresh = (await platform.signIn(officer)).accessToken;
    const after = await decide(platform, fresh, device, live, request, 'approve', { totpOf: officer });
    expect(after.status, after.text).toBe(200);
    expect(after.json.approvals).toBe(1);
  });

  it('switching to another device of the same person does not reopen the guessing', async () => {
    const admin = platform.user('acme', 'admin');
    const adminToken = (await platform.signIn(admin)).accessToken;
    const device = await registerDevice(platform, adminToken);
    const request = await redRequest('Keep the log two years');
    for (let i = 0; i < 5; i++) await attempt(adminToken, device, request, wrongCode(admin.totpSeed));
    // A second device of the same person shares the person's lock.
    const second = await registerDevice(platform, adminToken);
    const viaSecond = await attempt(
      adminToken,
      second,
      request,
      totpCode(admin.totpSeed, platform.clock.now() + 30_000),
    );
    expect(viaSecond.status).toBe(429);
    expect(viaSecond.json.error.message).toMatch(/locked for you until/);
  });
});

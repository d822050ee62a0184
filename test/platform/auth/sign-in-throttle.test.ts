import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '../../../platform/seed/demo';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

/**
 * Password guessing against one account from several places. Each loopback address (127.0.0.x) is its own
 * source to the platform, so the test can be the real person on one and the attacker on others.
 */
let platform: TestPlatform;
let victim: DemoUser;

beforeAll(async () => {
  platform = await startPlatform();
  victim = platform.user('acme', 'compliance_officer');
});
afterAll(() => platform.stop());

function signInFrom(
  source: string,
  body: object,
): Promise<{ status: number; json: { error?: { message: string } } }> {
  const url = new URL('/v1/auth/sign-in', platform.url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: 'POST',
        localAddress: source,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (reply) => {
        let data = '';
        reply.on('data', (chunk) => {
          data += chunk;
        });
        reply.on('end', () => resolve({ status: reply.statusCode ?? 0, json: JSON.parse(data || '{}') }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(text);
  });
}

const right = () => ({ email: victim.email, password: victim.password, totp: platform.totp(victim) });
const wrong = () => ({ email: victim.email, password: 'not the password', totp: '000000' });

describe('sign-in throttling per account', () => {
  it('locks a guessing source out of the account, even when it then has the right password', async () => {
    expect((await signInFrom('127.0.0.1', right())).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signInFrom('127.0.0.2', wrong())).status).toBe(401);
    const locked = await signInFrom('127.0.0.2', right());
    expect(locked.status).toBe(429);
    expect(locked.json.error?.message).toMatch(/Too many sign-in attempts .* Try again after \d\d:\d\d UTC/);
  });

  it('guessing from many new places locks new places out, but not the person on their usual machine', async () => {
    for (const host of [3, 4, 5, 6]) {
      for (let i = 0; i < 5; i++) await signInFrom(`127.0.0.${host}`, wrong());
    }
    const newPlace = await signInFrom('127.0.0.9', right());
    expect(newPlace.status).toBe(429);
    const usual = await signInFrom('127.0.0.1', right());
    expect(usual.status).toBe(200);
  });

  it('an unknown address is throttled like a real one, so the answer does not say which accounts exist', async () => {
    const ghost = { email: 'nobody@acme.example', password: 'guess', totp: '123456' };
    for (let i = 0; i < 5; i++) expect((await signInFrom('127.0.0.10', ghost)).status).toBe(401);
    expect((await signInFrom('127.0.0.10', ghost)).status).toBe(429);
  });

  it('each lock is in the audit log, and it lifts when its time is over', async () => {
    const auditor = (await platform.signIn(platform.user('acme', 'auditor'))).accessToken;
    const entries = await platform.call(
      'GET',
      '/v1/orgs/acme/envs/live/audit/entries?action=auth.sign_in_throttled',
      {
        token: auditor,
      },
    );
    const scopes = entries.json.entries.map(
      (e: { change: { after: { scope: string } } }) => e.change.after.scope,
    );
    expect(scopes.filter((s: string) => s === 'source').length).toBeGreaterThanOrEqual(4);
    expect(scopes).toContain('new-sources');
    platform.clock.advance(31 * 60_000);
    expect((await signInFrom('127.0.0.2', right())).status).toBe(200);
  });
});

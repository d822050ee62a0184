import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../../platform/crypto/hash';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
let owner: string;
const issuedSecrets: string[] = [];

const keysPath = (env: 'test' | 'live') => `/v1/orgs/acme/envs/${env}/api-keys`;

async function createKey(body: Record<string, unknown>, env: 'test' | 'live' = 'test') {
  const reply = await platform.call('POST', keysPath(env), { token: owner, body });
  expect(reply.status, reply.text).toBe(201);
  issuedSecrets.push(reply.json.secret);
  return reply.json as { key: { id: string; status: string }; secret: string };
}

async function rotate(id: string, body: Record<string, unknown>) {
  const reply = await platform.call('POST', `${keysPath('test')}/${id}/rotate`, { token: owner, body });
  if (reply.status === 201) issuedSecrets.push(reply.json.secret);
  return reply;
}

const callWithKey = (secret: string) => platform.call('GET', '/v1/orgs/acme', { token: secret });

beforeAll(async () => {
  platform = await startPlatform();
  owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
});
afterAll(() => platform.stop());

describe('API key lifecycle', () => {
  it('shows the secret once at creation and never in a listing or read', async () => {
    const { key, secret } = await createKey({ name: 'ci pipeline', scopes: ['orgs:read'] });
    expect(secret).toMatch(/^cck_test_[a-z2-7]{26}\.[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(`${key.id}.`)).toBe(true);
    const secretPart = secret.split('.')[1] ?? '';
    const list = await platform.call('GET', keysPath('test'), { token: owner });
    const one = await platform.call('GET', `${keysPath('test')}/${key.id}`, { token: owner });
    for (const reply of [list, one]) {
      expect(reply.status).toBe(200);
      expect(reply.text).not.toContain(secretPart);
    }
  });

  it('accepts a valid key within its scope and records when it was last used', async () => {
    const { key, secret } = await createKey({ name: 'reader', scopes: ['orgs:read'] });
    expect((await callWithKey(secret)).status).toBe(200);
    const read = await platform.call('GET', `${keysPath('test')}/${key.id}`, { token: owner });
    expect(read.json.lastUsedAt).not.toBeNull();
  });

  it('refuses a key used outside its scopes', async () => {
    const { secret } = await createKey({ name: 'narrow', scopes: ['audit:read'] });
    const reply = await callWithKey(secret);
    expect(reply.status).toBe(403);
    expect(reply.json.error.code).toBe('forbidden');
  });

  it('refuses a key in the wrong environment', async () => {
    const { secret } = await createKey({ name: 'live only', scopes: ['keys:read'] }, 'live');
    const reply = await platform.call('GET', keysPath('test'), { token: secret });
    expect(reply.status).toBe(403);
    expect(reply.json.error.code).toBe('wrong-environment');
    expect((await platform.call('GET', keysPath('live'), { token: secret })).status).toBe(200);
  });

  it('refuses a key once it has expired', async () => {
    const { secret } = await createKey({ name: 'short', scopes: ['orgs:read'], expiresInDays: 1 });
    expect((await callWithKey(secret)).status).toBe(200);
    platform.clock.advance(24 * 3600 * 1000 + 1000);
    const reply = await callWithKey(secret);
    expect(reply.status).toBe(401);
    expect(reply.json.error.code).toBe('unauthenticated');
    owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
  });

  it('refuses a revoked key at once, and a second revocation is a conflict', async () => {
    const { key, secret } = await createKey({ name: 'doomed', scopes: ['orgs:read'] });
    const revoked = await platform.call('POST', `${keysPath('test')}/${key.id}/revoke`, { token: owner });
    expect(revoked.status).toBe(200);
    expect(revoked.json.status).toBe('revoked');
    expect((await callWithKey(secret)).status).toBe(401);
    const again = await platform.call('POST', `${keysPath('test')}/${key.id}/revoke`, { token: owner });
    expect(again.status).toBe(409);
  });

  it('keeps a rotated key working through its grace period and refuses it after', async () => {
    const { key, secret } = await createKey({ name: 'rotating', scopes: ['orgs:read'] });
    const rotated = await rotate(key.id, { gracePeriodSeconds: 3600 });
    expect(rotated.status).toBe(201);
    expect(rotated.json.key.id).not.toBe(key.id);
    expect(rotated.json.key.scopes).toEqual(['orgs:read']);
    const old = await platform.call('GET', `${keysPath('test')}/${key.id}`, { token: owner });
    expect(old.json.status).toBe('grace');
    expect(old.json.replacedBy).toBe(rotated.json.key.id);
    expect((await callWithKey(secret)).status).toBe(200);
    platform.clock.advance(3601 * 1000);
    owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
    expect((await callWithKey(secret)).status).toBe(401);
    expect((await callWithKey(rotated.json.secret)).status).toBe(200);
  });

  it('ends the old key at once when rotated with a zero grace period', async () => {
    const { key, secret } = await createKey({ name: 'instant', scopes: ['orgs:read'] });
    const rotated = await rotate(key.id, { gracePeriodSeconds: 0 });
    expect(rotated.status).toBe(201);
    expect((await callWithKey(secret)).status).toBe(401);
    expect((await callWithKey(rotated.json.secret)).status).toBe(200);
  });

  it('defaults the grace period to 24 hours and refuses to rotate a key twice', async () => {
    const { key } = await createKey({ name: 'default grace', scopes: ['orgs:read'] });
    const before = platform.clock.now();
    const rotated = await rotate(key.id, {});
    expect(rotated.status).toBe(201);
    const old = await platform.call('GET', `${keysPath('test')}/${key.id}`, { token: owner });
    const graceMs = Date.parse(old.json.graceUntil) - before;
    expect(graceMs).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(graceMs).toBeLessThan(24 * 3600 * 1000 + 60_000);
    expect((await rotate(key.id, {})).status).toBe(409);
  });

  it('refuses malformed keys and a right id with a wrong secret', async () => {
    const { key } = await createKey({ name: 'guessable?', scopes: ['orgs:read'] });
    for (const bad of [
      'cck_test_short.x',
      `${key.id}.${'A'.repeat(43)}`,
      `${key.id}`,
      'cck_',
      'cck_test_a.b.c',
    ]) {
      const reply = await callWithKey(bad);
      expect(reply.status, bad).toBe(401);
      expect(reply.text).not.toContain(bad);
    }
  });
});

describe('secrets at rest', () => {
  it('the database holds no API key secret, password or TOTP seed', async () => {
    expect(issuedSecrets.length).toBeGreaterThan(5);
    if (!platform.database) {
      const files = readdirSync(platform.dataDir).filter((f) => f.startsWith('platform.sqlite'));
      expect(files).toContain('platform.sqlite-wal');
    }
    const bytes = await platform.databaseBytes();
    const needles: Buffer[] = [];
    for (const secret of issuedSecrets) {
      const secretPart = secret.split('.')[1] ?? '';
      needles.push(Buffer.from(secretPart), Buffer.from(secretPart, 'base64url'));
    }
    for (const user of platform.users) {
      needles.push(Buffer.from(user.password), Buffer.from(user.totpSeed));
    }
    for (const needle of needles) expect(bytes.includes(needle)).toBe(false);
    // Control: the scan does see key rows, as their digests.
    expect(bytes.includes(sha256(issuedSecrets[0]?.split('.')[1] ?? ''))).toBe(true);
  });

  it('key files in the data directory are readable by their owner only', () => {
    for (const name of ['seal.key', 'token-signing-key.pem']) {
      expect(statSync(join(platform.dataDir, name)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(platform.dataDir).mode & 0o777).toBe(0o700);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
const service = `cc-test-key-sign-in-${process.pid}`;
const vault = new Vault(keytar, service);
const dispatcher = createConsoleServices({
  dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
  vault,
}).dispatcher;

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await platform.stop();
});

async function newKey(scopes: string[]) {
  const owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
  const reply = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
    token: owner,
    body: { name: 'auditor laptop', scopes },
  });
  return { owner, key: reply.json as { key: { id: string }; secret: string } };
}

describe('signing in with an API key through the contract', () => {
  it('names the profile by the key id, keeps the key in the keychain only, and never returns it', async () => {
    const { key } = await newKey(['audit:read', 'audit:export']);
    const reply = await dispatcher.dispatch('session.signInWithApiKey', {
      platformUrl: platform.url,
      apiKey: key.secret,
    });
    expect(reply).toEqual({
      ok: true,
      value: {
        profile: { platformOrigin: platform.url, principalId: key.key.id },
        organization: 'acme',
        environment: 'live',
        scopes: ['audit:read', 'audit:export'],
      },
    });
    expect(JSON.stringify(reply)).not.toContain(key.secret.split('.')[1]);
    const stored = await keytar.findCredentials(service);
    expect(stored).toEqual([{ account: `${platform.url}|${key.key.id}#api-key`, password: key.secret }]);
  });

  it('refuses a revoked key, an unsafe address and a malformed key, storing nothing', async () => {
    const { owner, key } = await newKey(['audit:read']);
    await platform.call('POST', `/v1/orgs/acme/envs/live/api-keys/${key.key.id}/revoke`, { token: owner });
    const before = (await keytar.findCredentials(service)).length;
    expect(
      await dispatcher.dispatch('session.signInWithApiKey', {
        platformUrl: platform.url,
        apiKey: key.secret,
      }),
    ).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'The API key is not valid.' },
    });
    const plain = await dispatcher.dispatch('session.signInWithApiKey', {
      platformUrl: 'http://platform.example.com',
      apiKey: key.secret,
    });
    expect(plain).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'The platform must be reached over HTTPS.' },
    });
    const malformed = await dispatcher.dispatch('session.signInWithApiKey', {
      platformUrl: platform.url,
      apiKey: 'hunter2-not-a-key',
    });
    expect(malformed.ok).toBe(false);
    expect(JSON.stringify(malformed)).not.toContain('hunter2');
    expect((await keytar.findCredentials(service)).length).toBe(before);
  });
});

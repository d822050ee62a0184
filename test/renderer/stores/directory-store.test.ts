import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import { createDirectoryStore, nameText } from '../../../renderer/stores/directory-store';
import type { SessionStore } from '../../../renderer/stores/session-store';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, signedInSession } from '../../helpers/renderer-stores';

// The directory store against the real services, platform and keychain: ids come back as names.
const vault = new Vault(keytar, `cc-test-directory-store-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
let session: SessionStore;

beforeAll(async () => {
  platform = await startPlatform();
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    now: () => platform.clock.now(),
  });
  session = await signedInSession(bridgeClient(services), platform.user('acme', 'auditor'), platform);
});
afterAll(async () => {
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await services.close();
  await platform.stop();
});

describe('directory store', () => {
  it('names people, API keys with their owners, and the platform; an unknown id stays an id', async () => {
    const owner = platform.user('acme', 'owner');
    const ownerToken = (await platform.signIn(owner)).accessToken;
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: ownerToken,
      body: { name: 'ERP connector', scopes: ['approvals:read'] },
    });
    const store = createDirectoryStore(bridgeClient(services), session);
    expect(store.getState().name(owner.userId)).toEqual({ kind: 'unknown', id: owner.userId });
    await store.getState().load();
    const ownerName = (await platform.ctx.stores.users.findById(owner.userId))?.display_name as string;
    expect(nameText(store.getState().name(owner.userId))).toBe(ownerName);
    expect(nameText(store.getState().name(key.json.key.id))).toBe(`API key “ERP connector” of ${ownerName}`);
    expect(nameText(store.getState().name('platform-operator'))).toBe('Platform operator (break-glass)');
    expect(store.getState().name('usr_nosuchpersonxxxxxxxxxxxx')).toEqual({
      kind: 'unknown',
      id: 'usr_nosuchpersonxxxxxxxxxxxx',
    });
    store.getState().dispose();
  });

  it('forgets the old tenant on a switch, and loads the new one when asked', async () => {
    const store = createDirectoryStore(bridgeClient(services), session);
    await store.getState().load();
    const testKeys = store.getState().apiKeys.size;
    expect(testKeys).toBeGreaterThan(0);
    session.getState().selectTenant({ organization: 'acme', environment: 'live' });
    expect(store.getState().loaded).toBe(false);
    expect(store.getState().apiKeys.size).toBe(0);
    await store.getState().load();
    expect(store.getState().loaded).toBe(true);
    expect([...store.getState().apiKeys.values()].every((k) => k.environment === 'live')).toBe(true);
    store.getState().dispose();
  });
});

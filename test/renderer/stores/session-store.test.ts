import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import { totpCode } from '../../../platform/auth/totp';
import { contractClient } from '../../../renderer/contract/client';
import { createSessionStore } from '../../../renderer/stores/session-store';
import { signInThroughBrowser } from '../../helpers/oauth';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

// The store runs against the real main-process services (the bridge is the dispatcher itself), a real
// platform and the real keychain: only the renderer's transport is skipped.
const vault = new Vault(keytar, `cc-test-session-store-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
const newStore = () =>
  createSessionStore(
    contractClient({
      call: (name, input) => services.dispatcher.dispatch(name, input),
      onEvent: (listener) => services.events.subscribe(listener),
    }),
  );

beforeAll(async () => {
  platform = await startPlatform();
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    defaultPlatformUrl: platform.url,
    now: () => platform.clock.now(),
  });
});
afterAll(async () => {
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await platform.stop();
});

async function waitFor(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('session store', () => {
  it('loads the suggested platform and signs in through the browser, landing in test', async () => {
    const store = newStore();
    await store.getState().load();
    expect(store.getState().defaultPlatformUrl).toBe(platform.url);
    const owner = platform.user('acme', 'owner');
    const signingIn = store.getState().signInWithBrowser(platform.url);
    await waitFor(() => store.getState().signIn.status === 'waiting');
    const waiting = store.getState().signIn;
    if (waiting.status !== 'waiting') throw new Error('unreachable');
    await signInThroughBrowser(
      waiting.authorizationUrl,
      owner,
      totpCode(owner.totpSeed, platform.clock.now()),
    );
    await signingIn;
    expect(store.getState().active?.label).toBe(owner.email);
    expect(store.getState().tenant).toEqual({ organization: 'acme', environment: 'test' });
    expect(store.getState().signIn).toEqual({ status: 'idle' });
  });

  it('switching tenant moves the epoch that tenant-scoped stores reset on; re-selecting the same does not', async () => {
    const store = newStore();
    const officer = platform.user('globex', 'compliance_officer');
    const signingIn = store.getState().signInWithBrowser(platform.url);
    await waitFor(() => store.getState().signIn.status === 'waiting');
    const waiting = store.getState().signIn;
    if (waiting.status !== 'waiting') throw new Error('unreachable');
    await signInThroughBrowser(
      waiting.authorizationUrl,
      officer,
      totpCode(officer.totpSeed, platform.clock.now()),
    );
    await signingIn;
    const epoch = store.getState().tenantEpoch;
    store.getState().selectTenant({ organization: 'globex', environment: 'test' });
    expect(store.getState().tenantEpoch).toBe(epoch);
    store.getState().selectTenant({ organization: 'globex', environment: 'live' });
    expect(store.getState().tenantEpoch).toBe(epoch + 1);
    expect(store.getState().tenant?.environment).toBe('live');
  });

  it('shows a revoked API key as a clear error and keeps the person on the sign-in screen', async () => {
    const admin = platform.user('acme', 'admin');
    const session = await platform.signIn(admin);
    const created = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: session.accessToken,
      body: { name: 'to revoke', scopes: ['audit:read'] },
    });
    await platform.call('POST', `/v1/orgs/acme/envs/test/api-keys/${created.json.key.id}/revoke`, {
      token: session.accessToken,
      body: {},
    });
    const store = newStore();
    await store.getState().signInWithApiKey(platform.url, created.json.secret);
    expect(store.getState().active).toBeNull();
    const state = store.getState().signIn;
    expect(state.status).toBe('failed');
    expect(state.status === 'failed' && state.message).not.toContain(created.json.secret);
  });

  it('signing out forgets the profile here and in the keychain', async () => {
    const store = newStore();
    const admin = platform.user('acme', 'admin');
    const session = await platform.signIn(admin);
    const created = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
      token: session.accessToken,
      body: { name: 'auditor', scopes: ['audit:read'] },
    });
    await store.getState().signInWithApiKey(platform.url, created.json.secret);
    expect(store.getState().tenant).toEqual({ organization: 'acme', environment: 'live' });
    const profile = store.getState().active?.profile;
    await store.getState().signOut();
    expect(store.getState().active).toBeNull();
    expect(store.getState().tenant).toBeNull();
    expect(profile && (await vault.get(profile, 'api-key'))).toBeUndefined();
  });
});

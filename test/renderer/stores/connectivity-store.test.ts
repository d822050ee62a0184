import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import { createConnectivityStore } from '../../../renderer/stores/connectivity-store';
import type { ProfileRef } from '../../../shared/contract/contract';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, waitFor } from '../../helpers/renderer-stores';

const vault = new Vault(keytar, `cc-test-connectivity-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;

/** A profile this console holds (an API key), on the given platform. */
async function keyProfile(on: TestPlatform): Promise<ProfileRef> {
  const admin = await on.signIn(on.user('acme', 'admin'));
  const created = await on.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
    token: admin.accessToken,
    body: { name: 'probe', scopes: ['audit:read'] },
  });
  const reply = await services.dispatcher.dispatch('session.signInWithApiKey', {
    platformUrl: on.url,
    apiKey: created.json.secret,
  });
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.value as { profile: ProfileRef }).profile;
}

beforeAll(async () => {
  platform = await startPlatform();
  services = createConsoleServices({ dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')), vault });
});
afterAll(async () => {
  for (const p of await vault.profiles()) await vault.deleteProfile(p);
  await services.close();
  await platform.stop();
});

describe('connectivity store (the Offline indicator)', () => {
  it('turns on at an unavailable reply and off once the platform answers its probe again', async () => {
    const profile = await keyProfile(platform);
    const store = createConnectivityStore(bridgeClient(services), () => profile, 20);
    expect(store.getState().offline).toBe(false);
    store.getState().noteUnavailable();
    expect(store.getState().offline).toBe(true);
    await waitFor(() => !store.getState().offline);
    store.getState().dispose();
  });

  it('stays on while the platform does not answer', async () => {
    const other = await startPlatform();
    const profile = await keyProfile(other);
    await other.stop();
    const store = createConnectivityStore(bridgeClient(services), () => profile, 20);
    store.getState().noteUnavailable();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(store.getState().offline).toBe(true);
    store.getState().dispose();
  });

  it('probes only the platforms of profiles the console holds', async () => {
    const stranger = { platformOrigin: 'https://elsewhere.example', principalId: 'usr_nobody' };
    expect(await services.dispatcher.dispatch('platform.health', { profile: stranger })).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'Unknown profile.' },
    });
  });
});

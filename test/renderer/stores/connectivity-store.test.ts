import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import { createConnectivityStore } from '../../../renderer/stores/connectivity-store';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, waitFor } from '../../helpers/renderer-stores';

const vault = new Vault(keytar, `cc-test-connectivity-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;

beforeAll(async () => {
  platform = await startPlatform();
  services = createConsoleServices({ dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')), vault });
});
afterAll(async () => {
  await services.close();
  await platform.stop();
});

describe('connectivity store (the Offline indicator)', () => {
  it('turns on at an unavailable reply and off once the platform answers its probe again', async () => {
    const profile = { platformOrigin: platform.url, principalId: 'usr_probe' };
    const store = createConnectivityStore(bridgeClient(services), () => profile, 20);
    expect(store.getState().offline).toBe(false);
    store.getState().noteUnavailable();
    expect(store.getState().offline).toBe(true);
    await waitFor(() => !store.getState().offline);
    store.getState().dispose();
  });

  it('stays on while the platform does not answer', async () => {
    const profile = { platformOrigin: 'http://127.0.0.1:1', principalId: 'usr_probe' };
    const store = createConnectivityStore(bridgeClient(services), () => profile, 20);
    store.getState().noteUnavailable();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(store.getState().offline).toBe(true);
    store.getState().dispose();
  });
});

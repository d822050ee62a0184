import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import type { DemoUser } from '../../../platform/seed/demo';
import type { SessionStore } from '../../../renderer/stores/session-store';
import {
  createSettingsStore,
  MIB,
  parseQuotaMiB,
  type RotationState,
  type SettingsStore,
} from '../../../renderer/stores/settings-store';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, signedInSession } from '../../helpers/renderer-stores';

// The settings store against the real main-process services (the bridge is the dispatcher itself, its
// events the services' own event bus), the real evidence cache, a real platform and the real keychain.
const vault = new Vault(keytar, `cc-test-settings-store-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
const client = () => bridgeClient(services);

const signedIn = (user: DemoUser, on: TestPlatform = platform) => signedInSession(client(), user, on);

let session: SessionStore;
let store: SettingsStore;

/** Puts one evidence file of a tenant into this console's cache, through the contract. */
async function cacheEvidence(environment: 'test' | 'live', name: string) {
  const { accessToken } = await platform.signIn(platform.user('acme', 'admin'));
  const uploaded = await platform.call('POST', `/v1/orgs/acme/envs/${environment}/evidence?name=${name}`, {
    token: accessToken,
    rawBody: `contents of ${name}`,
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(uploaded.status).toBe(201);
  const profile = session.getState().active?.profile;
  if (!profile) throw new Error('signed out');
  const opened = await client().call('evidence.open', {
    profile,
    tenant: { organization: 'acme', environment },
    evidenceId: uploaded.json.id,
  });
  expect(opened.ok).toBe(true);
}

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    defaultPlatformUrl: platform.url,
    now: () => platform.clock.now(),
  });
  session = await signedIn(platform.user('acme', 'admin'));
  store = createSettingsStore(client(), session);
});
afterAll(async () => {
  store?.getState().dispose();
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await services.close();
  await platform.stop();
});

describe('settings store', () => {
  it('reads the cache’s size and quota and the profiles this console holds', async () => {
    await store.getState().load();
    const state = store.getState();
    expect(state.cachePhase).toBe('ready');
    expect(state.cache).toMatchObject({ entries: 0, bytes: 0 });
    expect(state.cache?.quotaBytes).toBeGreaterThan(0);
    expect(state.profilesPhase).toBe('ready');
    expect(state.profiles).toContainEqual(session.getState().active?.profile);
  });

  it('validates a quota in MiB before asking, then sets it', async () => {
    expect(parseQuotaMiB('')).toMatchObject({ ok: false });
    expect(parseQuotaMiB('12.5')).toMatchObject({ ok: false, message: 'Enter a whole number of MiB.' });
    expect(parseQuotaMiB('0')).toMatchObject({ ok: false });
    expect(parseQuotaMiB('1048577')).toMatchObject({ ok: false });
    expect(parseQuotaMiB(' 64 ')).toEqual({ ok: true, mib: 64 });
    await store.getState().setQuotaMiB(64);
    expect(store.getState().cacheOp).toEqual({ phase: 'done', op: 'quota' });
    expect(store.getState().cache?.quotaBytes).toBe(64 * MIB);
    const status = await client().call('cache.status', {});
    expect(status.ok && status.value.quotaBytes).toBe(64 * MIB);
  });

  it('clears the cache', async () => {
    await cacheEvidence('test', 'to-clear.txt');
    await store.getState().load();
    expect(store.getState().cache?.entries).toBe(1);
    await store.getState().clearCache();
    expect(store.getState().cacheOp).toEqual({ phase: 'done', op: 'clear' });
    expect(store.getState().cache).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('rotates the cache master key; the progress events of its task move the bar to done', async () => {
    await cacheEvidence('test', 'policy.txt');
    await cacheEvidence('live', 'contract.txt');
    const seen: RotationState[] = [];
    const stop = store.subscribe((state) => seen.push(state.rotation));
    // Another task's progress is not this rotation's.
    services.events.emit('progress', { task: 'someone-elses-task', done: 7, total: 9 });
    await store.getState().rotateMasterKey();
    stop();
    const running = seen.filter((r) => r.phase === 'running');
    expect(running[0]).toMatchObject({ done: 0, total: 0 });
    const moved = running.filter((r) => r.phase === 'running' && r.total > 0);
    expect(moved.map((r) => (r.phase === 'running' ? `${r.done}/${r.total}` : ''))).toEqual(['1/2', '2/2']);
    expect(store.getState().rotation).toEqual({ phase: 'done', rewrapped: 2 });
    // Cached evidence is still readable under the new master key.
    await store.getState().load();
    expect(store.getState().cache?.entries).toBe(2);
  });

  it('signs out another profile (its keychain secrets go) and keeps the one in use', async () => {
    const { accessToken } = await platform.signIn(platform.user('acme', 'admin'));
    const created = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: accessToken,
      body: { name: 'auditor laptop', scopes: ['audit:read'] },
    });
    const saved = await client().call('session.signInWithApiKey', {
      platformUrl: platform.url,
      apiKey: created.json.secret,
    });
    if (!saved.ok) throw new Error(saved.error.message);
    await store.getState().load();
    expect(store.getState().profiles).toContainEqual(saved.value.profile);
    await store.getState().signOut(saved.value.profile);
    expect(store.getState().profiles).not.toContainEqual(saved.value.profile);
    expect(await vault.get(saved.value.profile, 'api-key')).toBeUndefined();
    expect(session.getState().active).not.toBeNull();
    expect(session.getState().profiles).not.toContainEqual(saved.value.profile);
  });

  it('signing out the profile in use goes through the session, and a new profile starts with no rotation shown', async () => {
    const active = session.getState().active?.profile;
    if (!active) throw new Error('signed out');
    expect(store.getState().rotation.phase).toBe('done');
    await store.getState().signOut(active);
    expect(session.getState().active).toBeNull();
    expect(store.getState().rotation).toEqual({ phase: 'idle' });
    expect(await vault.get(active, 'refresh-token')).toBeUndefined();
  });
});

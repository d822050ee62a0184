import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import type { DemoUser } from '../../../platform/seed/demo';
import { type ApiKeysStore, createApiKeysStore } from '../../../renderer/stores/api-keys-store';
import type { SessionStore } from '../../../renderer/stores/session-store';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, signedInSession, waitFor } from '../../helpers/renderer-stores';

// The API keys store against the real main-process services (the bridge is the dispatcher itself), a
// real platform with its default policy (key writes green in test, yellow in live) and the real keychain.
const vault = new Vault(keytar, `cc-test-api-keys-store-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
const client = () => bridgeClient(services);

const signedIn = (user: DemoUser, on: TestPlatform = platform) => signedInSession(client(), user, on);

/** Everything the store holds, as text: a secret anywhere in it shows up here. */
const held = (store: ApiKeysStore) => JSON.stringify(store.getState());

let session: SessionStore;
let store: ApiKeysStore;
let seededId: string;

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    defaultPlatformUrl: platform.url,
    now: () => platform.clock.now(),
  });
  const admin = platform.user('acme', 'admin');
  const { accessToken } = await platform.signIn(admin);
  const seeded = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
    token: accessToken,
    body: { name: 'nightly export', scopes: ['audit:read', 'audit:export'], expiresInDays: 90 },
  });
  expect(seeded.status).toBe(201);
  seededId = seeded.json.key.id;
  session = await signedIn(admin);
  store = createApiKeysStore(client(), session);
});
afterAll(async () => {
  store?.getState().dispose();
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await services.close();
  await platform.stop();
});

describe('API keys store', () => {
  it('loads the tenant’s keys with scopes, status and expiry, and never a secret', async () => {
    expect(session.getState().tenant).toEqual({ organization: 'acme', environment: 'test' });
    expect(store.getState().phase).toBe('idle');
    await store.getState().load();
    const state = store.getState();
    expect(state.phase).toBe('ready');
    expect(state.offline).toBe(false);
    const seeded = state.keys.find((k) => k.id === seededId);
    expect(seeded).toMatchObject({
      name: 'nightly export',
      environment: 'test',
      status: 'active',
      scopes: ['audit:read', 'audit:export'],
      lastUsedAt: null,
      graceUntil: null,
    });
    expect(Date.parse(seeded?.expiresAt ?? '') - platform.clock.now()).toBeGreaterThan(89 * 86_400_000);
    expect(state.revealed).toBeNull();
  });

  it('create shows the new secret once; dismissing it leaves no field holding it', async () => {
    const outcome = await store.getState().create({ name: 'ci deploys', scopes: ['approvals:request'] });
    expect(outcome.phase).toBe('done');
    const revealed = store.getState().revealed;
    if (!revealed) throw new Error('no secret revealed');
    expect(revealed).toMatchObject({
      action: 'create',
      key: { name: 'ci deploys' },
      save: { phase: 'idle' },
    });
    expect(revealed.secret).toMatch(/^cck_test_[a-z2-7]{26}\./);
    const [, secretPart] = revealed.secret.split('.');
    // Held once, in `revealed` only: the write's outcome and the list carry the key without it.
    expect(held(store).split(secretPart as string)).toHaveLength(2);
    expect(JSON.stringify(store.getState().write)).not.toContain(secretPart);
    expect(store.getState().keys.map((k) => k.id)).toContain(revealed.key.id);

    store.getState().dismissSecret();
    expect(store.getState().revealed).toBeNull();
    expect(held(store)).not.toContain(secretPart);
    expect(held(store)).not.toContain(revealed.secret);
    expect(store.getState().write).toMatchObject({ phase: 'done', action: 'create' });
  });

  it('saves a new key into the keychain as a profile only when asked, then forgets it all the same', async () => {
    await store.getState().create({ name: 'auditor laptop', scopes: ['audit:read'] });
    const revealed = store.getState().revealed;
    if (!revealed) throw new Error('no secret revealed');
    const profile = { platformOrigin: platform.url, principalId: revealed.key.id };
    expect(await vault.get(profile, 'api-key')).toBeUndefined();
    await store.getState().saveAsProfile();
    expect(store.getState().revealed?.save).toEqual({ phase: 'saved', principalId: revealed.key.id });
    expect(await vault.get(profile, 'api-key')).toBe(revealed.secret);
    expect(session.getState().profiles).toContainEqual(profile);
    // Saving a profile is not switching to it.
    expect(session.getState().active?.profile.principalId).toBe(platform.user('acme', 'admin').userId);
    store.getState().dismissSecret();
    expect(held(store)).not.toContain(revealed.secret.split('.')[1]);
  });

  it('rotate shows the new secret and leaves the old key in grace with a countdown to its end', async () => {
    const outcome = await store.getState().rotate(seededId, 24 * 3600);
    expect(outcome.phase).toBe('done');
    const revealed = store.getState().revealed;
    if (!revealed) throw new Error('no secret revealed');
    expect(revealed.action).toBe('rotate');
    expect(revealed.key.id).not.toBe(seededId);
    expect(revealed.secret.startsWith(`${revealed.key.id}.`)).toBe(true);
    const old = store.getState().keys.find((k) => k.id === seededId);
    expect(old).toMatchObject({ status: 'grace', replacedBy: revealed.key.id });
    const left = Date.parse(old?.graceUntil ?? '') - platform.clock.now();
    expect(left).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(left).toBeLessThanOrEqual(24 * 3600_000);
    expect(store.getState().keys.find((k) => k.id === revealed.key.id)?.status).toBe('active');
    store.getState().dismissSecret();
    expect(held(store)).not.toContain(revealed.secret.split('.')[1]);

    // An old key in grace cannot be rotated again; the platform's reason reaches the screen.
    const again = await store.getState().rotate(seededId, 0);
    expect(again).toMatchObject({ phase: 'failed', action: 'rotate', error: { code: 'conflict' } });
    expect(store.getState().revealed).toBeNull();
  });

  it('revoke ends a key at once and reveals nothing', async () => {
    const outcome = await store.getState().revoke(seededId);
    expect(outcome).toMatchObject({ phase: 'done', action: 'revoke' });
    expect(store.getState().revealed).toBeNull();
    expect(store.getState().keys.find((k) => k.id === seededId)?.status).toBe('revoked');
  });

  it('in live the policy answers with an approval request, named by kind, lane and status', async () => {
    session.getState().selectTenant({ organization: 'acme', environment: 'live' });
    await waitFor(() => store.getState().phase === 'ready');
    const outcome = await store.getState().create({ name: 'live payroll sync', scopes: ['evidence:read'] });
    expect(outcome).toMatchObject({
      phase: 'approval-requested',
      action: 'create',
      request: { kind: 'api_key.create', lane: 'yellow', status: 'pending', environment: 'live' },
    });
    expect(store.getState().revealed).toBeNull();
    expect(store.getState().keys.some((k) => k.name === 'live payroll sync')).toBe(false);
    session.getState().selectTenant({ organization: 'acme', environment: 'test' });
    await waitFor(() => store.getState().phase === 'ready');
  });

  it('a tenant switch drops every key, outcome and unread secret at once, then loads the new tenant', async () => {
    await store.getState().create({ name: 'switch me', scopes: ['orgs:read'] });
    const secret = store.getState().revealed?.secret ?? '';
    expect(secret).not.toBe('');
    session.getState().selectTenant({ organization: 'acme', environment: 'live' });
    expect(store.getState()).toMatchObject({
      keys: [],
      revealed: null,
      write: { phase: 'idle' },
      deviceKey: { phase: 'idle' },
    });
    expect(held(store)).not.toContain(secret.split('.')[1]);
    await waitFor(() => store.getState().phase === 'ready');
    expect(store.getState().keys.every((k) => k.environment === 'live')).toBe(true);
    session.getState().selectTenant({ organization: 'acme', environment: 'test' });
    await waitFor(() => store.getState().phase === 'ready');
  });

  it('rotates the device key: a new id, and the old one revoked', async () => {
    const profile = session.getState().active?.profile;
    if (!profile) throw new Error('signed out');
    const before = JSON.parse((await vault.get(profile, 'device-signing-key')) ?? '{}');
    await store.getState().rotateDeviceKey();
    const state = store.getState().deviceKey;
    if (state.phase !== 'done') throw new Error(JSON.stringify(state));
    expect(state.result.revokedKeyId).toBe(before.id);
    expect(state.result.deviceKeyId).toMatch(/^dev_/);
    expect(state.result.deviceKeyId).not.toBe(before.id);
  });

  it('someone whose role cannot read keys gets the error state, not an empty list', async () => {
    const memberSession = await signedIn(platform.user('acme', 'member'));
    const denied = createApiKeysStore(client(), memberSession);
    await denied.getState().load();
    expect(denied.getState()).toMatchObject({
      phase: 'error',
      keys: [],
      offline: false,
      error: { code: 'forbidden' },
    });
    denied.getState().dispose();
  });

  it('offline: a platform that stops answering keeps the keys shown and says so', async () => {
    const other = await startPlatform({ defaultPolicy: true });
    const otherSession = await signedIn(other.user('globex', 'admin'), other);
    const offline = createApiKeysStore(client(), otherSession);
    await offline.getState().create({ name: 'before the outage', scopes: ['orgs:read'] });
    offline.getState().dismissSecret();
    expect(offline.getState().keys).toHaveLength(1);
    await other.stop();
    await offline.getState().load();
    expect(offline.getState()).toMatchObject({
      offline: true,
      phase: 'ready',
      error: { code: 'unavailable' },
    });
    expect(offline.getState().keys).toHaveLength(1);
    const outcome = await offline.getState().create({ name: 'during the outage', scopes: ['orgs:read'] });
    expect(outcome).toMatchObject({ phase: 'failed', error: { code: 'unavailable' } });
    expect(offline.getState().revealed).toBeNull();
    offline.getState().dispose();
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServices, createConsoleServices } from '../../../../electron/services/console-services';
import { Vault } from '../../../../electron/services/vault/vault';
import { totpCode } from '../../../../platform/auth/totp';
import { valueIn } from '../../../helpers/contract';
import { signInThroughBrowser } from '../../../helpers/oauth';
import { startPlatform, type TestPlatform } from '../../../helpers/platform';

const service = `cc-test-rotation-${process.pid}`;
const vault = new Vault(keytar, service);
let platform: TestPlatform;
let services: ConsoleServices;
let profile: { platformOrigin: string; principalId: string };
const progress: { task: string; done: number; total: number }[] = [];

const secretsHeld = async () => (await keytar.findCredentials(service)).length;

beforeAll(async () => {
  // The default policy: key writes are green in test and yellow (approval) in live.
  platform = await startPlatform({ defaultPolicy: true });
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    now: () => platform.clock.now(),
  });
  services.events.subscribe((name, payload) => {
    if (name === 'progress') progress.push(payload as (typeof progress)[number]);
  });
  const admin = platform.user('acme', 'admin');
  const begun = valueIn(
    await services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl: platform.url }),
  );
  const completing = services.dispatcher.dispatch('session.completeBrowserSignIn', {
    signInId: begun.signInId,
  });
  await signInThroughBrowser(begun.authorizationUrl, admin, totpCode(admin.totpSeed, platform.clock.now()));
  profile = valueIn(await completing).profile;
});
afterAll(async () => {
  for (const p of await vault.profiles()) await vault.deleteProfile(p);
  await services.close();
  await platform.stop();
});

describe('credential rotation from the console', () => {
  it('rotates a test key directly: the new secret is answered once and nothing is added to the keychain', async () => {
    const tenant = { organization: 'acme', environment: 'test' } as const;
    const created = valueIn(
      await services.dispatcher.dispatch('apiKeys.create', {
        profile,
        tenant,
        request: { name: 'ci', scopes: ['audit:read'] },
      }),
    );
    const held = await secretsHeld();
    const rotated = valueIn(
      await services.dispatcher.dispatch('apiKeys.rotate', {
        profile,
        tenant,
        keyId: created.key.id,
        request: { gracePeriodSeconds: 3600 },
      }),
    );
    expect(rotated.outcome).toBe('done');
    expect(rotated.secret).toMatch(/^cck_test_/);
    expect(await secretsHeld()).toBe(held);
    const keys = valueIn(await services.dispatcher.dispatch('apiKeys.list', { profile, tenant })).keys;
    const old = keys.find((k: { id: string }) => k.id === created.key.id);
    expect(old.status).toBe('grace');
    expect(Date.parse(old.graceUntil) - platform.clock.now()).toBeGreaterThan(3500_000);
  });

  it('raises an approval request instead of writing a live key, where the policy puts it in the yellow lane', async () => {
    const live = { organization: 'acme', environment: 'live' } as const;
    const reply = await services.dispatcher.dispatch('apiKeys.create', {
      profile,
      tenant: live,
      request: { name: 'live integration', scopes: ['audit:read'] },
    });
    const value = valueIn(reply);
    expect(value.outcome).toBe('approval-requested');
    expect(value.request).toMatchObject({ kind: 'api_key.create', lane: 'yellow', status: 'pending' });
  });

  it('rotates the device key: the new one is registered and kept, the old one revoked, both audited', async () => {
    const before = JSON.parse((await vault.get(profile, 'device-signing-key')) ?? '{}');
    const rotated = valueIn(await services.dispatcher.dispatch('deviceKey.rotate', { profile }));
    expect(rotated.revokedKeyId).toBe(before.id);
    expect(rotated.deviceKeyId).not.toBe(before.id);
    const after = JSON.parse((await vault.get(profile, 'device-signing-key')) ?? '{}');
    expect(after.id).toBe(rotated.deviceKeyId);
    const session = await platform.signIn(platform.user('acme', 'admin'));
    const listed = (await platform.call('GET', '/v1/me/device-keys', { token: session.accessToken })).json
      .keys;
    expect(listed.find((k: { id: string }) => k.id === before.id).revokedAt).not.toBeNull();
    expect(listed.find((k: { id: string }) => k.id === after.id).revokedAt).toBeNull();
    const audit = await platform.call(
      'GET',
      '/v1/orgs/acme/envs/live/audit/entries?resourceType=device_key&limit=50',
      {
        token: session.accessToken,
      },
    );
    const actions = audit.json.entries
      .filter((e: { resource: { id: string } }) => [before.id, after.id].includes(e.resource.id))
      .map((e: { action: string }) => e.action);
    expect(actions.sort()).toEqual(['device_key.register', 'device_key.register', 'device_key.revoke']);
  });

  it('rotates the cache master key with progress, and cached evidence stays readable', async () => {
    const tenant = { organization: 'acme', environment: 'test' } as const;
    const admin = await platform.signIn(platform.user('acme', 'admin'));
    const uploaded = await platform.call('POST', '/v1/orgs/acme/envs/test/evidence?name=policy.txt', {
      token: admin.accessToken,
      rawBody: 'the access policy, signed',
      headers: { 'content-type': 'application/octet-stream' },
    });
    valueIn(
      await services.dispatcher.dispatch('evidence.open', { profile, tenant, evidenceId: uploaded.json.id }),
    );
    const oldMaster = await vault.get(profile, 'cache-master-key');
    const rotated = valueIn(
      await services.dispatcher.dispatch('cache.rotateMasterKey', { profile, taskId: 'rotate-master-1' }),
    );
    expect(rotated.rewrapped).toBeGreaterThanOrEqual(1);
    expect(await vault.get(profile, 'cache-master-key')).not.toBe(oldMaster);
    expect(await vault.get(profile, 'cache-master-key-next')).toBeUndefined();
    const events = progress.filter((p) => p.task === 'rotate-master-1');
    expect(events.at(-1)).toEqual({
      task: 'rotate-master-1',
      done: rotated.rewrapped,
      total: rotated.rewrapped,
    });
    const reopened = valueIn(
      await services.dispatcher.dispatch('evidence.open', { profile, tenant, evidenceId: uploaded.json.id }),
    );
    expect(reopened.source).toBe('cache');
  });

  it('a master-key rotation cancelled part-way keeps every snapshot readable and finishes on the next rotation', async () => {
    // Many tenants' data keys, so the rotation has steps to stop between.
    for (let i = 0; i < 60; i++) {
      const bytes = Buffer.from(`snapshot ${i}`);
      const put = await services.cache.put(
        { profile, organization: `org-${i}`, environment: 'test' },
        {
          snapshotId: `snap-${i}`,
          name: `snap-${i}.txt`,
          mediaType: 'text/plain',
          sha256: createHash('sha256').update(bytes).digest('hex'),
          bytes,
        },
      );
      expect(put.ok).toBe(true);
    }
    const stop = services.events.subscribe((name, payload) => {
      if (name === 'progress' && (payload as { task: string }).task === 'rotate-cancel-1')
        void services.dispatcher.dispatch('cache.cancelRotation', { taskId: 'rotate-cancel-1' });
    });
    const cancelled = await services.dispatcher.dispatch('cache.rotateMasterKey', {
      profile,
      taskId: 'rotate-cancel-1',
    });
    stop();
    expect(cancelled).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await vault.get(profile, 'cache-master-key-next')).toBeDefined();
    for (const i of [0, 30, 59]) {
      const got = await services.cache.get(
        { profile, organization: `org-${i}`, environment: 'test' },
        `snap-${i}`,
      );
      expect(got.ok && got.value.bytes.toString()).toBe(`snapshot ${i}`);
    }
    const finished = valueIn(
      await services.dispatcher.dispatch('cache.rotateMasterKey', { profile, taskId: 'rotate-finish-1' }),
    );
    expect(finished.rewrapped).toBeGreaterThan(0);
    expect(await vault.get(profile, 'cache-master-key-next')).toBeUndefined();
  });
});

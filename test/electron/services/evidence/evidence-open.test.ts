import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServices, createConsoleServices } from '../../../../electron/services/console-services';
import { Vault } from '../../../../electron/services/vault/vault';
import { totpCode } from '../../../../platform/auth/totp';
import { valueIn } from '../../../helpers/contract';
import { signInThroughBrowser } from '../../../helpers/oauth';
import { rawSql, startPlatform, type TestPlatform } from '../../../helpers/platform';

const vault = new Vault(keytar, `cc-test-evidence-open-${process.pid}`);
let platform: TestPlatform;
let services: ConsoleServices;
let dataDir: string;
let adminToken: string;
const tenant = { organization: 'acme', environment: 'test' } as const;
const marker = 'CONFIDENTIAL-CONTROL-EVIDENCE-7f3a';

async function upload(name: string, text: string) {
  const reply = await platform.call(
    'POST',
    `/v1/orgs/acme/envs/test/evidence?name=${encodeURIComponent(name)}`,
    {
      token: adminToken,
      rawBody: text,
      headers: { 'content-type': 'application/octet-stream' },
    },
  );
  if (reply.status !== 201) throw new Error(`upload failed: ${reply.text}`);
  return reply.json as { id: string; sha256: string };
}

async function keyProfile(scopes: string[]) {
  const created = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
    token: adminToken,
    body: { name: 'evidence reader', scopes },
  });
  const signedIn = valueIn(
    await services.dispatcher.dispatch('session.signInWithApiKey', {
      platformUrl: platform.url,
      apiKey: created.json.secret,
    }),
  );
  return { profile: signedIn.profile, keyId: created.json.key.id as string };
}

beforeAll(async () => {
  platform = await startPlatform();
  dataDir = mkdtempSync(join(tmpdir(), 'cc-console-'));
  services = createConsoleServices({ dataDir, vault });
  adminToken = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
});
afterAll(async () => {
  for (const p of await vault.profiles()) await vault.deleteProfile(p);
  await services.close();
  await platform.stop();
});

describe('evidence through the encrypted cache', () => {
  it('opens from the platform once, then from the cache; the cache file holds no plaintext', async () => {
    const { profile } = await keyProfile(['evidence:read']);
    const uploaded = await upload('controls.txt', `${marker}\nAll quarterly controls passed.\n`);
    const first = valueIn(
      await services.dispatcher.dispatch('evidence.open', { profile, tenant, evidenceId: uploaded.id }),
    );
    expect(first.source).toBe('platform');
    expect(Buffer.from(first.content, 'base64').toString()).toContain(marker);
    expect(first.evidence).toMatchObject({
      snapshotId: uploaded.id,
      name: 'controls.txt',
      sha256: uploaded.sha256,
    });
    const second = valueIn(
      await services.dispatcher.dispatch('evidence.open', { profile, tenant, evidenceId: uploaded.id }),
    );
    expect(second.source).toBe('cache');
    expect(second.content).toBe(first.content);
    const listed = valueIn(
      await services.dispatcher.dispatch('evidence.listCached', { profile, tenant, query: 'controls' }),
    );
    expect(listed.evidence.map((e: { snapshotId: string }) => e.snapshotId)).toEqual([uploaded.id]);
    // The cache is open, so it is the database file and its WAL: both must be read, and a scan of them
    // must find what is stored in clear (the evidence's name) or it is not looking at the cache at all.
    const scanned = ['evidence-cache.sqlite', 'evidence-cache.sqlite-wal'].map((file) => ({
      file,
      bytes: readFileSync(join(dataDir, file)),
    }));
    expect(Buffer.concat(scanned.map((s) => s.bytes)).includes(Buffer.from('controls.txt'))).toBe(true);
    for (const { file, bytes } of scanned) expect(bytes.includes(Buffer.from(marker)), file).toBe(false);
  });

  it('a revoked key is a remote revocation: the profile is signed out and its cached evidence shredded', async () => {
    const { profile, keyId } = await keyProfile(['evidence:read']);
    const uploaded = await upload('revocation.txt', 'to be shredded');
    valueIn(
      await services.dispatcher.dispatch('evidence.open', { profile, tenant, evidenceId: uploaded.id }),
    );
    expect(
      valueIn(await services.dispatcher.dispatch('evidence.listCached', { profile, tenant })).evidence,
    ).toHaveLength(1);
    const expired: unknown[] = [];
    const stop = services.events.subscribe(
      (name, payload) => name === 'session.expired' && expired.push(payload),
    );
    await platform.call('POST', `/v1/orgs/acme/envs/test/api-keys/${keyId}/revoke`, {
      token: adminToken,
      body: {},
    });
    const refused = await services.dispatcher.dispatch('evidence.list', { profile, tenant });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    stop();
    expect(expired).toEqual([{ profile }]);
    expect(
      valueIn(await services.dispatcher.dispatch('evidence.listCached', { profile, tenant })).evidence,
    ).toEqual([]);
    expect(await vault.get(profile, 'cache-master-key')).toBeUndefined();
  });

  it('tenant removal shreds that tenant: once the platform stops listing it, its cached evidence is gone', async () => {
    const viewer = platform.user('acme', 'viewer');
    const begun = valueIn(
      await services.dispatcher.dispatch('session.beginBrowserSignIn', { platformUrl: platform.url }),
    );
    const completing = services.dispatcher.dispatch('session.completeBrowserSignIn', {
      signInId: begun.signInId,
    });
    platform.clock.advance(30_000);
    await signInThroughBrowser(
      begun.authorizationUrl,
      viewer,
      totpCode(viewer.totpSeed, platform.clock.now()),
    );
    const { profile } = valueIn(await completing);
    const uploaded = await upload('membership.txt', 'only for members of acme');
    valueIn(
      await services.dispatcher.dispatch('evidence.open', { profile, tenant, evidenceId: uploaded.id }),
    );
    valueIn(await services.dispatcher.dispatch('tenants.list', { profile }));
    expect(
      valueIn(await services.dispatcher.dispatch('evidence.listCached', { profile, tenant })).evidence,
    ).toHaveLength(1);
    // An administrator removes the viewer from acme (the platform has no removal route yet; its store does).
    await rawSql(platform, sql`DELETE FROM memberships WHERE user_id = ${viewer.userId}`);
    expect(valueIn(await services.dispatcher.dispatch('tenants.list', { profile })).tenants).toEqual([]);
    expect(
      valueIn(await services.dispatcher.dispatch('evidence.listCached', { profile, tenant })).evidence,
    ).toEqual([]);
  });

  it('signing out shreds the profile’s cache', async () => {
    const { profile } = await keyProfile(['evidence:read']);
    const uploaded = await upload('sign-out.txt', 'shred me on sign-out');
    valueIn(
      await services.dispatcher.dispatch('evidence.open', { profile, tenant, evidenceId: uploaded.id }),
    );
    valueIn(await services.dispatcher.dispatch('session.signOut', { profile }));
    expect(
      valueIn(await services.dispatcher.dispatch('evidence.listCached', { profile, tenant })).evidence,
    ).toEqual([]);
  });

  it('reads cached evidence with the platform stopped, and says unavailable for what it does not hold', async () => {
    const { profile } = await keyProfile(['evidence:read']);
    const kept = await upload('offline.txt', 'readable offline');
    const notKept = await upload('never-opened.txt', 'never cached');
    valueIn(await services.dispatcher.dispatch('evidence.open', { profile, tenant, evidenceId: kept.id }));
    await platform.stop();
    const offline = valueIn(
      await services.dispatcher.dispatch('evidence.open', { profile, tenant, evidenceId: kept.id }),
    );
    expect(offline.source).toBe('cache');
    expect(Buffer.from(offline.content, 'base64').toString()).toBe('readable offline');
    const missing = await services.dispatcher.dispatch('evidence.open', {
      profile,
      tenant,
      evidenceId: notKept.id,
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const status = valueIn(await services.dispatcher.dispatch('cache.status', {}));
    expect(status.entries).toBeGreaterThan(0);
  });
});

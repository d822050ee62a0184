import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServices, createConsoleServices } from '../../../../electron/services/console-services';
import { Vault } from '../../../../electron/services/vault/vault';
import { rotateAuditSigningKey } from '../../../../platform/audit/key-rotation';
import { formatCheckpointBody } from '../../../../shared/audit/note';
import { appendEntries, tenantOf } from '../../../helpers/audit';
import { valueIn } from '../../../helpers/contract';
import { startPlatform, type TestPlatform } from '../../../helpers/platform';

const vault = new Vault(keytar, `cc-test-live-audit-${process.pid}`);
let platform: TestPlatform;
let services: ConsoleServices;
let profile: { platformOrigin: string; principalId: string };
const tenant = { organization: 'acme', environment: 'test' } as const;
const forks: unknown[] = [];

beforeAll(async () => {
  platform = await startPlatform();
  services = createConsoleServices({ dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')), vault });
  services.events.subscribe((name, payload) => {
    if (name === 'audit.fork') forks.push(payload);
  });
  const admin = await platform.signIn(platform.user('acme', 'admin'));
  const created = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
    token: admin.accessToken,
    body: { name: 'auditor', scopes: ['audit:read'] },
  });
  const signedIn = valueIn(
    await services.dispatcher.dispatch('session.signInWithApiKey', {
      platformUrl: platform.url,
      apiKey: created.json.secret,
    }),
  );
  profile = signedIn.profile;
});
afterAll(async () => {
  for (const p of await vault.profiles()) await vault.deleteProfile(p);
  await services.close();
  await platform.stop();
});

describe('live verification of a tenant log', () => {
  it('pins the key and stores the checkpoint at first sight, then checks each later one extends it', async () => {
    const first = valueIn(await services.dispatcher.dispatch('audit.verifyLive', { profile, tenant }));
    expect(first).toMatchObject({ status: 'first-seen', checkedAgainst: 0, evidence: [] });
    await appendEntries(platform, tenantOf(platform, 'acme', 'test'), 1500);
    const second = valueIn(await services.dispatcher.dispatch('audit.verifyLive', { profile, tenant }));
    expect(second).toMatchObject({ status: 'consistent', checkedAgainst: 1 });
    expect(second.size).toBeGreaterThan(first.size + 1499);
    await appendEntries(platform, tenantOf(platform, 'acme', 'test'), 10);
    const third = valueIn(await services.dispatcher.dispatch('audit.verifyLive', { profile, tenant }));
    expect(third).toMatchObject({ status: 'consistent', checkedAgainst: 2 });
    const stored = services.cache.checkpoints(profile, third.origin);
    expect(stored.ok && stored.value.map((c) => c.size)).toEqual([first.size, second.size, third.size]);
    expect(forks).toEqual([]);
  });

  it('follows a signing-key rotation the log proves, and pins the new key', async () => {
    const before = valueIn(await services.dispatcher.dispatch('audit.verifyLive', { profile, tenant }));
    const { current } = await rotateAuditSigningKey(platform.ctx);
    await appendEntries(platform, tenantOf(platform, 'acme', 'test'), 20);
    const after = valueIn(await services.dispatcher.dispatch('audit.verifyLive', { profile, tenant }));
    expect(after.status).toBe('consistent');
    expect(after.size).toBeGreaterThan(before.size);
    const pinned = services.cache.pinnedKeys(profile, after.origin);
    expect(pinned.ok && pinned.value).toContain(current);
    expect(after.keyUsed).not.toBe(before.keyUsed);
  });

  it('raises a fork alarm with both signed notes when the platform signed a history the current one does not extend', async () => {
    const current = valueIn(await services.dispatcher.dispatch('audit.verifyLive', { profile, tenant }));
    // The platform's own key signs a different root at a size it already passed: two histories.
    const size = current.size - 5;
    const forged = platform.ctx.auditKeys.sign(
      formatCheckpointBody({ origin: current.origin, size, root: randomBytes(32) }),
    );
    const root = forged.split('\n')[2] ?? '';
    expect(services.cache.saveCheckpoint(profile, current.origin, { size, root, note: forged }).ok).toBe(
      true,
    );
    const checked = valueIn(await services.dispatcher.dispatch('audit.verifyLive', { profile, tenant }));
    expect(checked.status).toBe('fork');
    expect(checked.evidence).toHaveLength(2);
    expect(checked.evidence[0]).toBe(forged);
    expect(forks).toEqual([expect.objectContaining({ origin: current.origin, evidence: checked.evidence })]);
  });

  it('refuses a checkpoint signed by a key that was not pinned for the log and that the log never announced', async () => {
    const other = { organization: 'acme', environment: 'test' } as const;
    const origin = valueIn(
      await services.dispatcher.dispatch('audit.verifyLive', { profile, tenant: other }),
    ).origin;
    expect(
      services.cache.pinKeys(profile, origin, [
        'someone+12345678+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ]).ok,
    ).toBe(true);
    const refused = await services.dispatcher.dispatch('audit.verifyLive', { profile, tenant: other });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

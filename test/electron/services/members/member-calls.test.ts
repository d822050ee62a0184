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

const vault = new Vault(keytar, `cc-test-members-${process.pid}`);
let platform: TestPlatform;
let services: ConsoleServices;
let profile: { platformOrigin: string; principalId: string };
const tenant = { organization: 'acme', environment: 'live' } as const;

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  services = createConsoleServices({ dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')), vault });
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

describe('members, roles and the audit log through the contract', () => {
  it('lists members with roles and the role-by-permission matrix', async () => {
    const members = valueIn(await services.dispatcher.dispatch('members.list', { profile, tenant })).members;
    expect(members.map((m: { role: string }) => m.role).sort()).toEqual(
      ['admin', 'auditor', 'compliance_officer', 'member', 'owner', 'viewer'].sort(),
    );
    const roles = valueIn(await services.dispatcher.dispatch('roles.list', { profile }));
    expect(roles.roles.find((r: { name: string }) => r.name === 'auditor').permissions).toContain(
      'audit:export',
    );
  });

  it('raises a member.role_change request where the policy puts role changes in the red lane', async () => {
    const viewer = platform.user('acme', 'viewer');
    const changed = valueIn(
      await services.dispatcher.dispatch('members.changeRole', {
        profile,
        tenant,
        userId: viewer.userId,
        role: 'auditor',
      }),
    );
    expect(changed.outcome).toBe('approval-requested');
    expect(changed.request).toMatchObject({
      kind: 'member.role_change',
      lane: 'red',
      payload: { userId: viewer.userId, role: 'auditor' },
    });
  });

  it('pages the live audit log newest first and filters it by action', async () => {
    const page = valueIn(
      await services.dispatcher.dispatch('audit.entries', { profile, tenant, query: { limit: 5 } }),
    );
    expect(page.entries.length).toBeGreaterThan(0);
    const seqs = page.entries.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const signIns = valueIn(
      await services.dispatcher.dispatch('audit.entries', {
        profile,
        tenant,
        query: { action: 'auth.sign_in', limit: 50 },
      }),
    );
    expect(signIns.entries.every((e: { action: string }) => e.action === 'auth.sign_in')).toBe(true);
  });
});

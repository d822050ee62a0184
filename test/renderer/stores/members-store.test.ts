import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import type { DemoUser } from '../../../platform/seed/demo';
import { createMembersStore, type MembersStore } from '../../../renderer/stores/members-store';
import type { SessionStore } from '../../../renderer/stores/session-store';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, signedInSession, waitFor } from '../../helpers/renderer-stores';

// The members store against the real main-process services (the bridge is the dispatcher itself), a real
// platform with its default policy (a role change always takes the live lane: red) and the real keychain; a
// second platform keeps the test helper's green lanes, where a role change is made at once.
const vault = new Vault(keytar, `cc-test-members-store-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
const client = () => bridgeClient(services);

const signedIn = (user: DemoUser, on: TestPlatform = platform) => signedInSession(client(), user, on);

let session: SessionStore;
let store: MembersStore;

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    defaultPlatformUrl: platform.url,
    now: () => platform.clock.now(),
  });
  session = await signedIn(platform.user('acme', 'admin'));
  store = createMembersStore(client(), session);
});
afterAll(async () => {
  store?.getState().dispose();
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await services.close();
  await platform.stop();
});

describe('members store', () => {
  it('lists the organization’s members with their roles, and the role-by-permission matrix', async () => {
    expect(store.getState().phase).toBe('idle');
    await store.getState().load();
    const state = store.getState();
    expect(state.phase).toBe('ready');
    expect(state.members.map((m) => m.role).sort()).toEqual(
      ['admin', 'auditor', 'compliance_officer', 'member', 'owner', 'viewer'].sort(),
    );
    const viewer = platform.user('acme', 'viewer');
    expect(state.members.find((m) => m.userId === viewer.userId)).toMatchObject({
      email: viewer.email,
      role: 'viewer',
    });
    expect(state.roles?.permissions).toContain('members:manage');
    const auditor = state.roles?.roles.find((r) => r.name === 'auditor');
    expect(auditor?.permissions).toContain('audit:export');
    expect(auditor?.permissions).not.toContain('members:manage');
    expect(auditor?.description).not.toBe('');
  });

  it('under the default policy a role change raised in test takes the live lane (red); the row stays', async () => {
    const viewer = platform.user('acme', 'viewer');
    const outcome = await store.getState().changeRole(viewer.userId, 'auditor');
    expect(outcome).toMatchObject({
      phase: 'approval-requested',
      userId: viewer.userId,
      role: 'auditor',
      request: {
        kind: 'member.role_change',
        lane: 'red',
        status: 'pending',
        environment: 'test',
        payload: { userId: viewer.userId, role: 'auditor' },
      },
    });
    expect(store.getState().members.find((m) => m.userId === viewer.userId)?.role).toBe('viewer');
    store.getState().clearChange();
    expect(store.getState().change).toEqual({ phase: 'idle' });
  });

  it('in live the same change is red', async () => {
    session.getState().selectTenant({ organization: 'acme', environment: 'live' });
    await waitFor(() => store.getState().phase === 'ready');
    const member = platform.user('acme', 'member');
    const outcome = await store.getState().changeRole(member.userId, 'compliance_officer');
    expect(outcome).toMatchObject({
      phase: 'approval-requested',
      request: { lane: 'red', environment: 'live' },
    });
  });

  it('a tenant switch drops members, roles and the last change at once, then loads again', async () => {
    expect(store.getState().change.phase).toBe('approval-requested');
    session.getState().selectTenant({ organization: 'acme', environment: 'test' });
    expect(store.getState()).toMatchObject({ members: [], roles: null, change: { phase: 'idle' } });
    await waitFor(() => store.getState().phase === 'ready');
    expect(store.getState().members).toHaveLength(6);
  });

  it('where the lane is green the role changes at once and the row updates; a refused change says why', async () => {
    const green = await startPlatform();
    const greenSession = await signedIn(green.user('globex', 'admin'), green);
    const direct = createMembersStore(client(), greenSession);
    await direct.getState().load();
    const viewer = green.user('globex', 'viewer');
    const outcome = await direct.getState().changeRole(viewer.userId, 'member');
    expect(outcome).toMatchObject({ phase: 'done', member: { userId: viewer.userId, role: 'member' } });
    expect(direct.getState().members.find((m) => m.userId === viewer.userId)?.role).toBe('member');

    // An admin may not hand out the owner role.
    const refused = await direct.getState().changeRole(viewer.userId, 'owner');
    expect(refused).toMatchObject({ phase: 'failed', error: { code: 'forbidden' } });
    expect(direct.getState().members.find((m) => m.userId === viewer.userId)?.role).toBe('member');

    // Offline: what is loaded stays, with the flag for the banner.
    await green.stop();
    await direct.getState().load();
    expect(direct.getState()).toMatchObject({
      offline: true,
      phase: 'ready',
      error: { code: 'unavailable' },
    });
    expect(direct.getState().members).toHaveLength(6);
    direct.getState().dispose();
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import type { OfflineAware } from '../../../renderer/stores/offline-flag';
import type { SessionStore } from '../../../renderer/stores/session-store';
import {
  type AnswerGuard,
  createTenantScopedStore,
  type TenantScope,
  type TenantSwitch,
} from '../../../renderer/stores/tenant-scoped';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, signedInSession } from '../../helpers/renderer-stores';

// The tenant-scoped store plumbing with a small store of its own over the real main-process services (the
// bridge is the dispatcher itself), a real platform and the real keychain: its approval queue is the list.
const vault = new Vault(keytar, `cc-test-tenant-scoped-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
let session: SessionStore;
const client = () => bridgeClient(services);

interface ListState extends OfflineAware {
  /** Titles of the pending requests last answered, or null before any answer. */
  readonly titles: readonly string[] | null;
  /** A new query for the titles matching `q`; answers whether its answer was taken. */
  search(q: string): Promise<boolean>;
  /** The query on show asked again, as a next page is: stale once a new query starts. */
  searchAgain(q: string): Promise<boolean>;
  /** A call only a tenant switch makes stale, as a detail or a write is. */
  read(): Promise<boolean>;
  dispose(): void;
}

const initial = { titles: null, offline: false } satisfies Partial<ListState>;

function createListStore({ tracksOffline = true } = {}) {
  const switches: TenantSwitch<ListState>[] = [];
  const store = createTenantScopedStore<ListState>(
    session,
    { initial, tracksOffline, onSwitch: (change) => switches.push(change) },
    (set, _get, tenant) => {
      const list = async (asked: AnswerGuard, where: TenantScope, q: string) => {
        const query = { status: 'pending' as const, limit: 50, ...(q ? { q } : {}) };
        const page = await asked.settle(client().call('approvals.list', { ...where, query }));
        if (!page) return false;
        if (page.ok) set({ titles: page.value.requests.map((r) => r.title) });
        return true;
      };
      const withScope = (guard: () => AnswerGuard, q: string) => {
        const where = tenant.scope();
        return where ? list(guard(), where, q) : Promise.resolve(false);
      };
      return {
        ...initial,
        search: (q) => withScope(tenant.startQuery, q),
        searchAgain: (q) => withScope(tenant.continueQuery, q),
        read: () => withScope(tenant.guardTenant, ''),
        dispose: tenant.dispose,
      };
    },
  );
  return { store, switches };
}

/** The platform stops taking connections, as an outage looks from the console; the answer starts it again. */
async function outage(on: TestPlatform): Promise<() => Promise<void>> {
  const server = on.app.server;
  const port = Number(new URL(on.url).port);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
}

const inTest = { organization: 'acme', environment: 'test' } as const;
const inLive = { organization: 'acme', environment: 'live' } as const;

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    defaultPlatformUrl: platform.url,
    now: () => platform.clock.now(),
  });
  const { accessToken } = await platform.signIn(platform.user('acme', 'member'));
  const raise = async (env: string, title: string) => {
    const reply = await platform.call('POST', `/v1/orgs/acme/envs/${env}/approvals`, {
      token: accessToken,
      body: { kind: 'custom.report', title, payload: {} },
    });
    expect(reply.status).toBe(201);
  };
  await raise('test', 'Alpha report');
  await raise('test', 'Bravo report');
  await raise('live', 'Charlie report');
  session = await signedInSession(client(), platform.user('acme', 'compliance_officer'), platform);
  expect(session.getState().tenant).toEqual(inTest);
});
afterAll(async () => {
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await services?.close();
  await platform?.stop();
});

describe('tenant-scoped store', () => {
  it('takes only the newest query’s answer, whichever answer comes first', async () => {
    const { store } = createListStore();
    const alpha = store.getState().search('Alpha');
    const bravo = store.getState().search('Bravo');
    expect(await alpha).toBe(false);
    expect(await bravo).toBe(true);
    expect(store.getState().titles).toEqual(['Bravo report']);
    // A next page asked for the query on show is stale once another query replaces it.
    const more = store.getState().searchAgain('Bravo');
    const fresh = store.getState().search('Alpha');
    expect(await more).toBe(false);
    expect(await fresh).toBe(true);
    expect(store.getState().titles).toEqual(['Alpha report']);
    // A new query does not make a tenant-guarded call stale: only a tenant switch does.
    const read = store.getState().read();
    await store.getState().search('Bravo');
    expect(await read).toBe(true);
    store.getState().dispose();
  });

  it('a tenant switch restores the initial state at once, drops the old tenant’s answers, and keeps the actions', async () => {
    const { store, switches } = createListStore();
    await store.getState().read();
    const testTitles = store.getState().titles;
    expect(testTitles).toEqual(expect.arrayContaining(['Alpha report', 'Bravo report']));
    const query = store.getState().search('');
    const read = store.getState().read();
    session.getState().selectTenant(inLive);
    expect(store.getState()).toMatchObject({ titles: null, offline: false });
    expect(switches).toHaveLength(1);
    expect(switches[0]?.previous.titles).toEqual(testTitles);
    expect(switches[0]?.scope).toMatchObject({ tenant: inLive });
    expect(switches[0]?.current.titles).toBeNull();
    // Both answers were for acme test: neither lands in live.
    expect(await query).toBe(false);
    expect(await read).toBe(false);
    expect(store.getState().titles).toBeNull();
    expect(await store.getState().read()).toBe(true);
    expect(store.getState().titles).toEqual(['Charlie report']);
    session.getState().selectTenant(inTest);
    expect(switches).toHaveLength(2);
    store.getState().dispose();
  });

  it('keeps the offline flag from unavailable answers and clears it when the platform answers again', async () => {
    const { store } = createListStore();
    const untracked = createListStore({ tracksOffline: false }).store;
    await store.getState().read();
    const loaded = store.getState().titles;
    const restart = await outage(platform);
    try {
      expect(await store.getState().read()).toBe(true);
      expect(store.getState()).toMatchObject({ offline: true, titles: loaded });
      expect(await untracked.getState().read()).toBe(true);
      expect(untracked.getState().offline).toBe(false);
    } finally {
      await restart();
    }
    expect(await store.getState().read()).toBe(true);
    expect(store.getState()).toMatchObject({ offline: false, titles: loaded });
    store.getState().dispose();
    untracked.getState().dispose();
  });

  it('once disposed, a store no longer follows the session: its state stays and nothing is called', async () => {
    const { store, switches } = createListStore();
    await store.getState().read();
    const loaded = store.getState().titles;
    store.getState().dispose();
    session.getState().selectTenant(inLive);
    expect(store.getState().titles).toEqual(loaded);
    expect(switches).toEqual([]);
    session.getState().selectTenant(inTest);
  });

  it('without a tenant (signed out) the scope is null and calls are not made', async () => {
    const { store, switches } = createListStore();
    await store.getState().read();
    await session.getState().signOut();
    expect(switches.map((s) => s.scope)).toEqual([null]);
    expect(store.getState().titles).toBeNull();
    expect(await store.getState().read()).toBe(false);
    expect(await store.getState().search('Alpha')).toBe(false);
    store.getState().dispose();
  });
});

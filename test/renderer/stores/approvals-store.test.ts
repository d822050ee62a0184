import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import type { DemoUser } from '../../../platform/seed/demo';
import { type ApprovalsStore, createApprovalsStore } from '../../../renderer/stores/approvals-store';
import type { SessionStore } from '../../../renderer/stores/session-store';
import { freshTotp } from '../../helpers/approvals';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, signedInSession, waitFor } from '../../helpers/renderer-stores';

// The approvals store against the real main-process services (the bridge is the dispatcher itself), a
// real platform and the real keychain, as the session store's test does: only the transport is skipped.
const vault = new Vault(keytar, `cc-test-approvals-store-${process.pid}`);
const PAGE = 5;
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
const client = () => bridgeClient(services);

/** A session store signed in through the browser as `user`, on `on` (the shared platform by default). */
const signedIn = (user: DemoUser, on: TestPlatform = platform) => signedInSession(client(), user, on);

async function raise(on: TestPlatform, user: DemoUser, env: string, body: Record<string, unknown>) {
  const { accessToken } = await on.signIn(user);
  const created = await on.call('POST', `/v1/orgs/${user.organization}/envs/${env}/approvals`, {
    token: accessToken,
    body,
  });
  expect(created.status).toBe(201);
  return created.json as { id: string };
}

let officer: DemoUser;
let session: SessionStore;
let store: ApprovalsStore;
const testIds: string[] = [];
let liveId: string;

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    defaultPlatformUrl: platform.url,
    now: () => platform.clock.now(),
  });
  officer = platform.user('acme', 'compliance_officer');
  const member = platform.user('acme', 'member');
  const { accessToken } = await platform.signIn(member);
  // Twelve requests in acme test (newest last), one of them findable by a word no other has.
  for (let i = 0; i < 12; i++) {
    const reply = await platform.call('POST', '/v1/orgs/acme/envs/test/approvals', {
      token: accessToken,
      body: {
        kind: 'custom.deploy',
        title: i === 3 ? 'Deploy the zebrafish tracker' : `Deploy service ${i}`,
        payload: { version: `1.${i}.0` },
      },
    });
    testIds.unshift(reply.json.id);
  }
  liveId = (
    await raise(platform, member, 'live', { kind: 'custom.deploy', title: 'Live deploy', payload: {} })
  ).id;
  session = await signedIn(officer);
  store = createApprovalsStore(client(), session, { pageSize: PAGE });
});
afterAll(async () => {
  store?.getState().dispose();
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await platform.stop();
});

describe('approvals store', () => {
  it('loads the first page of the tenant’s pending requests, newest first', async () => {
    expect(session.getState().tenant).toEqual({ organization: 'acme', environment: 'test' });
    await store.getState().load();
    const state = store.getState();
    expect(state.phase).toBe('ready');
    expect(state.rows.map((r) => r.id)).toEqual(testIds.slice(0, PAGE));
    expect(state.nextCursor).not.toBeNull();
    expect(state.queryVersion).toBe(1);
    expect(state.kindsSeen).toEqual(['custom.deploy']);
  });

  it('loads further pages with the keyset cursor until there are none', async () => {
    await store.getState().loadMore();
    expect(store.getState().rows.map((r) => r.id)).toEqual(testIds.slice(0, 2 * PAGE));
    await store.getState().loadMore();
    expect(store.getState().rows.map((r) => r.id)).toEqual(testIds);
    expect(store.getState().nextCursor).toBeNull();
    // Nothing more to ask for: a further call is a no-op, not a request for page four.
    await store.getState().loadMore();
    expect(store.getState().rows).toHaveLength(12);
  });

  it('a new query asks for a smaller first page (a screenful), then goes on in full pages', async () => {
    const paged = createApprovalsStore(client(), session, { pageSize: PAGE, firstPageSize: 3 });
    try {
      await paged.getState().load();
      expect(paged.getState().rows.map((r) => r.id)).toEqual(testIds.slice(0, 3));
      await paged.getState().loadMore();
      expect(paged.getState().rows.map((r) => r.id)).toEqual(testIds.slice(0, 3 + PAGE));
      await paged.getState().setFilters({ q: 'service' });
      expect(paged.getState().rows).toHaveLength(3);
      expect(paged.getState().nextCursor).not.toBeNull();
    } finally {
      paged.getState().dispose();
    }
  });

  it('a filter change starts paging over, and only the newest query’s answer counts', async () => {
    store.getState().select(testIds[7] ?? null);
    const first = store.getState().setFilters({ q: 'service' });
    const second = store.getState().setFilters({ q: 'zebrafish' });
    await Promise.all([first, second]);
    const state = store.getState();
    expect(state.filters.q).toBe('zebrafish');
    expect(state.rows.map((r) => r.title)).toEqual(['Deploy the zebrafish tracker']);
    expect(state.nextCursor).toBeNull();
    expect(state.selectedId).toBeNull();
    await store.getState().setFilters({ q: '' });
    expect(store.getState().rows.map((r) => r.id)).toEqual(testIds.slice(0, PAGE));
    expect(store.getState().nextCursor).not.toBeNull();
    await store.getState().setFilters({ lane: 'red' });
    expect(store.getState().rows).toEqual([]);
    expect(store.getState().phase).toBe('ready');
    await store.getState().setFilters({ lane: null });
  });

  it('J/K selection moves within the loaded rows and stops at the ends', () => {
    store.getState().select(null);
    store.getState().moveSelection(1);
    expect(store.getState().selectedId).toBe(testIds[0]);
    store.getState().moveSelection(-1);
    expect(store.getState().selectedId).toBe(testIds[0]);
    store.getState().moveSelection(100);
    expect(store.getState().selectedId).toBe(testIds[PAGE - 1]);
  });

  it('deciding updates the row in place and keeps what was signed; mine-to-decide then leaves it and the officer’s own out', async () => {
    const id = testIds[1] as string;
    await store.getState().openDetail(id);
    expect(store.getState().detail?.data?.timeline.events.map((e) => e.action)).toEqual(['approval.request']);
    await store.getState().decide(id, 'approve', 'Checked the release notes.');
    const state = store.getState();
    if (state.decision.phase !== 'done') throw new Error(JSON.stringify(state.decision));
    const row = state.rows.find((r) => r.id === id);
    expect(row).toMatchObject({ status: 'executed', approvals: 1, requiredApprovals: 1 });
    expect(state.rows.findIndex((r) => r.id === id)).toBe(1);
    expect(state.decision.receipt.deviceKeyId).toMatch(/^dev_/);
    expect(JSON.parse(state.decision.receipt.signedStatement)).toMatchObject({
      requestId: id,
      decision: 'approve',
    });
    expect(state.detail?.data?.request.decisions[0]?.comment).toBe('Checked the release notes.');
    expect(state.detail?.data?.timeline.events.map((e) => e.action)).toEqual([
      'approval.request',
      'approval.decide',
      'approval.execute',
    ]);
    // Mine to decide: the member's pending requests, not the one decided, nor the officer's own.
    const own = await raise(platform, officer, 'test', {
      kind: 'custom.deploy',
      title: 'Officer’s own deploy',
      payload: {},
    });
    await store.getState().setFilters({ mine: false });
    expect(store.getState().rows.map((r) => r.id)).toContain(own.id);
    await store.getState().setFilters({ mine: true });
    const undecided = testIds.filter((other) => other !== id);
    expect(store.getState().rows.map((r) => r.id)).toEqual(undecided.slice(0, PAGE));
    await store.getState().setFilters({ mine: false });
    const { accessToken } = await platform.signIn(officer);
    const withdrawn = await platform.call('POST', `/v1/orgs/acme/envs/test/approvals/${own.id}/withdraw`, {
      token: accessToken,
    });
    expect(withdrawn.json.status).toBe('withdrawn');
  });

  it('a rejection without a reason is refused and leaves the row as it was', async () => {
    const id = testIds[2] as string;
    await store.getState().decide(id, 'reject', '  ');
    const state = store.getState();
    expect(state.decision).toMatchObject({ phase: 'failed', error: { code: 'bad-request' } });
    expect(state.rows.find((r) => r.id === id)?.status).toBe('pending');
  });

  it('a red-lane approval needs a fresh one-time code and then waits for a second approver', async () => {
    const admin = platform.user('acme', 'admin');
    const viewer = platform.user('acme', 'viewer');
    const red = await raise(platform, admin, 'live', {
      kind: 'member.role_change',
      title: 'Make the viewer a member',
      payload: { userId: viewer.userId, role: 'member' },
    });
    session.getState().selectTenant({ organization: 'acme', environment: 'live' });
    await waitFor(() => store.getState().phase === 'ready');
    expect(store.getState().rows.find((r) => r.id === red.id)?.lane).toBe('red');
    await store.getState().decide(red.id, 'approve', '');
    expect(store.getState().decision).toMatchObject({ phase: 'failed', error: { code: 'forbidden' } });
    await store.getState().decide(red.id, 'approve', 'Confirmed with HR.', freshTotp(platform, officer));
    expect(store.getState().rows.find((r) => r.id === red.id)).toMatchObject({
      status: 'pending',
      approvals: 1,
      requiredApprovals: 2,
    });
    session.getState().selectTenant({ organization: 'acme', environment: 'test' });
    await waitFor(() => store.getState().phase === 'ready');
  });

  it('a tenant switch drops every row, filter, selection and detail, and loads the new tenant', async () => {
    await store.getState().setFilters({ q: 'zebrafish' });
    await store.getState().openDetail(testIds[3] as string);
    expect(store.getState().detail).not.toBeNull();
    session.getState().selectTenant({ organization: 'acme', environment: 'live' });
    // At once: nothing of the old tenant is left to show or act on.
    expect(store.getState()).toMatchObject({
      rows: [],
      detail: null,
      selectedId: null,
      decision: { phase: 'idle' },
      filters: { q: '', status: 'pending', lane: null, kind: null, mine: false },
    });
    await waitFor(() => store.getState().phase === 'ready');
    const ids = store.getState().rows.map((r) => r.id);
    expect(ids).toContain(liveId);
    expect(ids.some((id) => testIds.includes(id))).toBe(false);
    expect(store.getState().rows.every((r) => r.environment === 'live')).toBe(true);
  });

  it('offline: a platform that stops answering keeps what is loaded, says so, and only Retry asks again', async () => {
    const other = await startPlatform({ defaultPolicy: true });
    const member = other.user('globex', 'member');
    for (let i = 0; i < PAGE + 2; i++)
      await raise(other, member, 'test', { kind: 'custom.report', title: `Report ${i}`, payload: {} });
    const otherSession = await signedIn(other.user('globex', 'compliance_officer'), other);
    const offline = createApprovalsStore(client(), otherSession, { pageSize: PAGE });
    await offline.getState().load();
    expect(offline.getState().rows).toHaveLength(PAGE);
    await other.stop();
    await offline.getState().loadMore();
    expect(offline.getState()).toMatchObject({
      offline: true,
      phase: 'ready',
      error: { code: 'unavailable' },
    });
    expect(offline.getState().rows).toHaveLength(PAGE);
    // Scrolling on does not hammer a platform that is down: only Retry asks again.
    await offline.getState().loadMore();
    await offline.getState().retry();
    expect(offline.getState().offline).toBe(true);
    expect(offline.getState().rows).toHaveLength(PAGE);
    offline.getState().dispose();
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import type { DemoUser } from '../../../platform/seed/demo';
import { type ApprovalsStore, createApprovalsStore } from '../../../renderer/stores/approvals-store';
import { createNewRequestStore } from '../../../renderer/stores/new-request-store';
import { planReversal } from '../../../renderer/stores/reversal';
import type { SessionStore } from '../../../renderer/stores/session-store';
import { tenantScopeOf } from '../../../renderer/stores/tenant-scoped';
import { decide, registerDevice } from '../../helpers/approvals';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, signedInSession, waitFor } from '../../helpers/renderer-stores';

// Withdraw, comment, reverse and collect a result through the approvals store, against the real
// main-process services, a real platform and the real keychain. Two windows of one console share its
// event bus, as two Electron windows (or two tabs on the headless host) do.
const vault = new Vault(keytar, `cc-test-approval-workflow-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
const client = () => bridgeClient(services);

let member: DemoUser;
let memberSession: SessionStore;
let officerSession: SessionStore;
let memberWindow: ApprovalsStore;
let officerWindow: ApprovalsStore;

async function raise(user: DemoUser, env: string, body: Record<string, unknown>) {
  const { accessToken } = await platform.signIn(user);
  const created = await platform.call('POST', `/v1/orgs/${user.organization}/envs/${env}/approvals`, {
    token: accessToken,
    body: { summary: 'test setup', ...body },
  });
  expect(created.status).toBe(201);
  return created.json as { id: string; payloadHash: string };
}

/** Approves a request as `user` through the platform's API, with their own device (and a code in red). */
async function approve(user: DemoUser, env: string, request: { id: string; payloadHash: string }) {
  const { accessToken } = await platform.signIn(user);
  const device = await registerDevice(platform, accessToken);
  const path = `/v1/orgs/${user.organization}/envs/${env}/approvals`;
  const reply = await decide(platform, accessToken, device, path, request, 'approve', { totpOf: user });
  expect(reply.status).toBe(200);
  return reply.json;
}

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    defaultPlatformUrl: platform.url,
    now: () => platform.clock.now(),
  });
  member = platform.user('acme', 'member');
  memberSession = await signedInSession(client(), member, platform);
  officerSession = await signedInSession(client(), platform.user('acme', 'compliance_officer'), platform);
  memberWindow = createApprovalsStore(client(), memberSession);
  officerWindow = createApprovalsStore(client(), officerSession);
  await Promise.all([memberWindow.getState().load(), officerWindow.getState().load()]);
});
afterAll(async () => {
  memberWindow?.getState().dispose();
  officerWindow?.getState().dispose();
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await services.close();
  await platform.stop();
});

describe('the approval workflow in the store', () => {
  it('a comment is on the timeline at once, in this window and in another on the tenant', async () => {
    const { id } = await raise(member, 'test', {
      kind: 'custom.deploy',
      title: 'Deploy billing 2.4',
      payload: {},
    });
    await officerWindow.getState().openDetail(id);
    await memberWindow.getState().openDetail(id);
    expect(await memberWindow.getState().comment(id, 'The release notes are in the ticket.')).toBe(true);
    expect(memberWindow.getState().write).toEqual({ phase: 'done', requestId: id, action: 'comment' });
    const comments = (store: ApprovalsStore) =>
      store
        .getState()
        .detail?.data?.timeline.events.filter((e) => e.action === 'approval.comment')
        .map((e) => [e.actor.id, (e.change as { after: { body: string } }).after.body]);
    expect(comments(memberWindow)).toEqual([[member.userId, 'The release notes are in the ticket.']]);
    // The officer's window heard `approvals.changed` and read the request again, without being asked.
    await waitFor(() => comments(officerWindow)?.length === 1);
    expect(comments(officerWindow)).toEqual([[member.userId, 'The release notes are in the ticket.']]);
  });

  it('an empty comment is refused and nothing is written', async () => {
    const { id } = await raise(member, 'test', {
      kind: 'custom.deploy',
      title: 'Deploy search 1.1',
      payload: {},
    });
    await memberWindow.getState().openDetail(id);
    expect(await memberWindow.getState().comment(id, '   ')).toBe(false);
    expect(memberWindow.getState().write).toMatchObject({
      phase: 'failed',
      action: 'comment',
      error: { code: 'bad-request' },
    });
    expect(memberWindow.getState().detail?.data?.timeline.events.map((e) => e.action)).toEqual([
      'approval.request',
    ]);
  });

  it('the requester withdraws; the row, the detail and the other window follow; no one else can', async () => {
    const { id } = await raise(member, 'test', {
      kind: 'custom.deploy',
      title: 'Deploy ledger 3.0',
      payload: {},
    });
    await officerWindow.getState().load();
    expect(officerWindow.getState().rows.find((r) => r.id === id)?.status).toBe('pending');
    await officerWindow.getState().openDetail(id);
    expect(await officerWindow.getState().withdraw(id)).toBe(false);
    expect(officerWindow.getState().write).toMatchObject({ phase: 'failed', error: { code: 'forbidden' } });

    await memberWindow.getState().openDetail(id);
    expect(await memberWindow.getState().withdraw(id)).toBe(true);
    expect(memberWindow.getState().detail?.data?.request.status).toBe('withdrawn');
    expect(memberWindow.getState().detail?.data?.timeline.events.at(-1)?.action).toBe('approval.withdraw');
    await waitFor(() => officerWindow.getState().detail?.data?.request.status === 'withdrawn');
    // The row stays where it was, now withdrawn: it does not jump out from under the officer.
    expect(officerWindow.getState().rows.find((r) => r.id === id)?.status).toBe('withdrawn');
    // A second withdrawal is refused: it is not pending any more.
    expect(await memberWindow.getState().withdraw(id)).toBe(false);
    expect(memberWindow.getState().write).toMatchObject({ phase: 'failed', error: { code: 'conflict' } });
  });

  it('a request raised in one window appears in the queue of another at once', async () => {
    const raiser = createNewRequestStore(client(), memberSession);
    await raiser.getState().init();
    raiser.getState().edit({
      kind: 'custom',
      customName: 'deploy',
      title: 'Deploy payroll 5.2',
      summary: 'Tax tables for the new year.',
      payloadText: '{"version": "5.2.0"}',
    });
    const request = await raiser.getState().submit();
    expect(request?.status).toBe('pending');
    await waitFor(() => officerWindow.getState().rows.some((r) => r.id === request?.id));
    raiser.getState().dispose();
  });

  it('a reversal of an executed custom change swaps its before and after, and both link to each other', async () => {
    const original = await raise(member, 'test', {
      kind: 'custom.firewall',
      title: 'Open port 8443 to the partner range',
      payload: { before: { port: 8443, open: false }, after: { port: 8443, open: true } },
    });
    await approve(platform.user('acme', 'compliance_officer'), 'test', original);
    await memberWindow.getState().openDetail(original.id);
    const detail = memberWindow.getState().detail?.data;
    expect(detail?.request.status).toBe('executed');
    const where = tenantScopeOf(memberSession);
    if (!detail || !where) throw new Error('unreachable');
    const plan = await planReversal(client(), where, detail);
    expect(plan.note).toBeNull();
    expect(plan.draft).toMatchObject({
      kind: 'custom',
      customName: 'firewall',
      title: 'Reverse: Open port 8443 to the partner range',
      reverses: original.id,
    });
    expect(JSON.parse(plan.draft.payloadText)).toEqual({
      before: { port: 8443, open: true },
      after: { port: 8443, open: false },
    });

    const raiser = createNewRequestStore(client(), memberSession);
    await raiser.getState().startReversal(detail);
    raiser.getState().edit({ summary: 'The partner moved to the VPN.' });
    const reversal = await raiser.getState().submit();
    expect(reversal?.reverses).toBe(original.id);
    raiser.getState().dispose();
    // The original's detail, open here, learns of its reversal and names it.
    await waitFor(() => memberWindow.getState().detail?.data?.request.reversedBy === reversal?.id);
    await waitFor(() => memberWindow.getState().linked[reversal?.id ?? ''] !== undefined);
    expect(memberWindow.getState().linked[reversal?.id ?? '']).toEqual({
      id: reversal?.id,
      title: 'Reverse: Open port 8443 to the partner range',
      status: 'pending',
    });
    await memberWindow.getState().openDetail(reversal?.id ?? '');
    expect(memberWindow.getState().linked[original.id]).toMatchObject({
      title: 'Open port 8443 to the partner range',
    });
  });

  it('a reversal of a role change goes back to the role before it, read from the audit log', async () => {
    const admin = platform.user('acme', 'admin');
    const viewer = platform.user('acme', 'viewer');
    const roleChange = await raise(admin, 'test', {
      kind: 'member.role_change',
      title: 'Make the viewer an auditor',
      payload: { userId: viewer.userId, role: 'auditor' },
    });
    // A role change is organization-wide: it takes live's lane (red), so two approvers with codes.
    await approve(platform.user('acme', 'compliance_officer'), 'test', roleChange);
    await approve(platform.user('acme', 'owner'), 'test', roleChange);
    const adminSession = await signedInSession(client(), admin, platform);
    const adminWindow = createApprovalsStore(client(), adminSession);
    await adminWindow.getState().openDetail(roleChange.id);
    const detail = adminWindow.getState().detail?.data;
    const where = tenantScopeOf(adminSession);
    if (!detail || !where) throw new Error('unreachable');
    expect(detail.request.status).toBe('executed');
    const plan = await planReversal(client(), where, detail);
    expect(plan).toEqual({
      draft: expect.objectContaining({ kind: 'member.role_change', userId: viewer.userId, role: 'viewer' }),
      note: null,
    });
    // The member may not read the audit log: the person is told to choose the role instead.
    const memberWhere = tenantScopeOf(memberSession);
    if (!memberWhere) throw new Error('unreachable');
    const guessed = await planReversal(client(), memberWhere, detail);
    expect(guessed.draft).toMatchObject({ kind: 'member.role_change', userId: viewer.userId, role: '' });
    expect(guessed.note).toContain('choose the role to go back to');
    adminWindow.getState().dispose();
  });

  it('a created key’s secret is collected once from the detail and kept nowhere; its reversal revokes the key', async () => {
    const admin = platform.user('acme', 'admin');
    const adminSession = await signedInSession(client(), admin, platform);
    adminSession.getState().selectTenant({ organization: 'acme', environment: 'live' });
    const adminWindow = createApprovalsStore(client(), adminSession);
    const keyRequest = await raise(admin, 'live', {
      kind: 'api_key.create',
      title: 'Key for the ERP connector',
      payload: { name: 'ERP connector', scopes: ['approvals:read'] },
    });
    await approve(platform.user('acme', 'compliance_officer'), 'live', keyRequest);
    const collected = await adminWindow.getState().collectResult(keyRequest.id);
    if (!collected.ok) throw new Error(collected.error.message);
    const secret = collected.value.secret;
    expect(secret).toMatch(/^cck_live_[a-z2-7]{26}\./);
    expect(adminWindow.getState().resultsCollected).toEqual([keyRequest.id]);
    expect(JSON.stringify(adminWindow.getState())).not.toContain(secret?.split('.')[1]);
    // Once: the platform hands it out a single time.
    const again = await adminWindow.getState().collectResult(keyRequest.id);
    expect(again).toEqual({ ok: true, value: { secret: null } });
    // Only the requester may collect it.
    const officerTry = await officerWindow.getState().collectResult(keyRequest.id);
    expect(officerTry.ok).toBe(false);

    await adminWindow.getState().openDetail(keyRequest.id);
    const detail = adminWindow.getState().detail?.data;
    const where = tenantScopeOf(adminSession);
    if (!detail || !where) throw new Error('unreachable');
    const plan = await planReversal(client(), where, detail);
    expect(plan.draft).toMatchObject({
      kind: 'api_key.revoke',
      keyId: secret?.split('.')[0],
      reverses: keyRequest.id,
    });
    adminWindow.getState().dispose();
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import { JUSTIFICATION_REQUIRED } from '../../../renderer/stores/policy-draft';
import { createPolicyStore, type PolicyStore } from '../../../renderer/stores/policy-store';
import type { SessionStore } from '../../../renderer/stores/session-store';
import { decide, registerDevice } from '../../helpers/approvals';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, signedInSession, waitFor } from '../../helpers/renderer-stores';

// The policy store against the real main-process services (the bridge is the dispatcher itself), a real
// platform with its default policy and the real keychain: the policy in force, the changes waiting in
// either environment, a draft refused before it is sent (in the platform's own words) or by the platform,
// and one sent, approved by two other people, and then in force.
const vault = new Vault(keytar, `cc-test-policy-store-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
let session: SessionStore;
const stores: PolicyStore[] = [];
const client = () => bridgeClient(services);

function policyStore(on: SessionStore = session): PolicyStore {
  const store = createPolicyStore(client(), on);
  stores.push(store);
  return store;
}

/** The draft the editor holds, changed as a person would change it. */
async function drafted(store: PolicyStore) {
  await store.getState().load();
  store.getState().startDraft();
  store.getState().editDraft({ summary: 'Audit finding 7: red-lane changes need a third pair of eyes.' });
  return store;
}

/** What the platform answers when the same payload is raised straight through its API. */
async function platformRefusal(payload: Record<string, unknown>): Promise<string> {
  const { accessToken } = await platform.signIn(platform.user('acme', 'admin'));
  const reply = await platform.call('POST', '/v1/orgs/acme/envs/test/approvals', {
    token: accessToken,
    body: { kind: 'policy.update', title: 'Weaken', summary: 'Trying', payload },
  });
  expect(reply.status).toBe(400);
  return reply.json.error.message;
}

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    now: () => platform.clock.now(),
  });
  session = await signedInSession(client(), platform.user('acme', 'admin'), platform);
});
afterAll(async () => {
  for (const store of stores) store.getState().dispose();
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await services.close();
  await platform.stop();
});

describe('policy store', () => {
  it('reads the policy in force, and the policy changes pending in either environment', async () => {
    const store = policyStore();
    await store.getState().load();
    expect(store.getState()).toMatchObject({ phase: 'ready', pendingPhase: 'ready', pending: [] });
    expect(store.getState().policy).toMatchObject({ redApprovals: 2, expiryDays: 7 });
    expect(store.getState().policy?.lanes['policy.update']).toEqual({ test: 'red', live: 'red' });

    // Raised by the owner in live, while this console is in test: the policy is the organization's.
    const { accessToken } = await platform.signIn(platform.user('acme', 'owner'));
    const raised = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
      token: accessToken,
      body: {
        kind: 'policy.update',
        title: 'Longer expiry',
        summary: 'Approvers are on holiday',
        payload: { expiryDays: 14 },
      },
    });
    expect(raised.status).toBe(201);
    await store.getState().load();
    expect(store.getState().pending).toHaveLength(1);
    expect(store.getState().pending[0]).toMatchObject({
      request: { id: raised.json.id, environment: 'live', requiredApprovals: 2 },
      change: { expiryDays: 14 },
    });
    const { accessToken: again } = await platform.signIn(platform.user('acme', 'owner'));
    await platform.call('POST', `/v1/orgs/acme/envs/live/approvals/${raised.json.id}/withdraw`, {
      token: again,
    });
  });

  it('refuses N below 2 before sending, in the words the platform refuses it with, and keeps the draft', async () => {
    const store = await drafted(policyStore());
    store.getState().editDraft({ redApprovals: '1', title: 'One approval is enough' });
    const outcome = await store.getState().submitDraft();
    const message = 'The red lane needs at least 2 approvals, so no one acts alone.';
    expect(outcome).toEqual({ phase: 'refused', problems: [{ field: 'redApprovals', message, rule: true }] });
    expect(store.getState().draft).toMatchObject({ redApprovals: '1', title: 'One approval is enough' });
    expect(await platformRefusal({ redApprovals: 1 })).toContain(message);
    await store.getState().load();
    expect(store.getState().pending).toEqual([]);
  });

  it('refuses a live lane below its test lane before sending, in the platform’s words', async () => {
    const store = await drafted(policyStore());
    const lanes = store.getState().draft?.lanes ?? {};
    store.getState().editDraft({ lanes: { ...lanes, 'evidence.delete': { test: 'red', live: 'green' } } });
    const outcome = await store.getState().submitDraft();
    const message = 'The live lane of evidence.delete may not rank below its test lane.';
    expect(outcome).toEqual({
      phase: 'refused',
      problems: [{ field: 'lanes', kind: 'evidence.delete', message, rule: true }],
    });
    expect(store.getState().draft?.lanes['evidence.delete']).toEqual({ test: 'red', live: 'green' });
    expect(await platformRefusal({ lanes: { 'evidence.delete': { test: 'red', live: 'green' } } })).toContain(
      message,
    );
  });

  it('asks for a justification and for a change, and sends nothing until both are there', async () => {
    const store = policyStore();
    await store.getState().load();
    store.getState().startDraft();
    const outcome = await store.getState().submitDraft();
    expect(outcome.phase === 'refused' && outcome.problems.map((p) => p.message)).toEqual([
      JUSTIFICATION_REQUIRED,
      'A policy change must change something. Change a lane, N, the expiry or a webhook.',
    ]);
  });

  it('shows a refusal only the platform can make (a private webhook target) and keeps the draft', async () => {
    const store = await drafted(policyStore());
    const webhook = { action: 'set', environment: 'live', url: 'https://10.0.0.8/hooks' } as const;
    store.getState().editDraft({ webhook });
    const outcome = await store.getState().submitDraft();
    expect(outcome.phase).toBe('failed');
    expect(outcome.phase === 'failed' && outcome.error).toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('A webhook must be an https address on the public internet'),
    });
    expect(store.getState().draft?.webhook).toEqual(webhook);
    expect(store.getState().draft?.summary).toContain('Audit finding 7');
  });

  it('raises N=3 as a policy.update; once two other people approve it, the policy in force says 3', async () => {
    const store = await drafted(policyStore());
    store.getState().editDraft({ redApprovals: '3', title: 'Three approvals in the red lane' });
    const outcome = await store.getState().submitDraft();
    if (outcome.phase !== 'sent') throw new Error(`not sent: ${JSON.stringify(outcome)}`);
    expect(outcome.request).toMatchObject({
      kind: 'policy.update',
      title: 'Three approvals in the red lane',
      payload: { redApprovals: 3 },
      lane: 'red',
      requiredApprovals: 2,
      status: 'pending',
    });
    expect(store.getState().draft).toBeNull();
    await waitFor(() => store.getState().pending.some((p) => p.request.id === outcome.request.id));

    const path = '/v1/orgs/acme/envs/test/approvals';
    const request = (
      await platform.call('GET', `${path}/${outcome.request.id}`, {
        token: (await platform.signIn(platform.user('acme', 'owner'))).accessToken,
      })
    ).json;
    for (const role of ['owner', 'compliance_officer'] as const) {
      const approver = platform.user('acme', role);
      const token = (await platform.signIn(approver)).accessToken;
      const device = await registerDevice(platform, token);
      const reply = await decide(platform, token, device, path, request, 'approve', { totpOf: approver });
      expect(reply.status).toBe(200);
    }
    await store.getState().load();
    expect(store.getState().policy?.redApprovals).toBe(3);
    expect(store.getState().pending).toEqual([]);
  });

  it('drops the draft and what it showed when the tenant changes', async () => {
    const store = await drafted(policyStore());
    store.getState().editDraft({ expiryDays: '10' });
    session.getState().selectTenant({ organization: 'acme', environment: 'live' });
    expect(store.getState()).toMatchObject({ draft: null, policy: null });
    await waitFor(() => store.getState().phase === 'ready');
    expect(store.getState().policy?.redApprovals).toBe(3);
    session.getState().selectTenant({ organization: 'acme', environment: 'test' });
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServices, createConsoleServices } from '../../../../electron/services/console-services';
import { Vault } from '../../../../electron/services/vault/vault';
import { lanePreview } from '../../../../shared/approvals/lanes';
import type { ProfileRef } from '../../../../shared/contract/spec';
import { type Device, decide, registerDevice } from '../../../helpers/approvals';
import { eventsDuring, signInToConsole } from '../../../helpers/console-sign-in';
import { valueIn } from '../../../helpers/contract';
import { startPlatform, type TestPlatform } from '../../../helpers/platform';

const vault = new Vault(keytar, `cc-test-approval-calls-${process.pid}`);
let platform: TestPlatform;
let services: ConsoleServices;
let admin: ProfileRef;
let officerToken: string;
let officerDevice: Device;
const tenant = { organization: 'acme', environment: 'live' } as const;
const path = '/v1/orgs/acme/envs/live/approvals';

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  services = createConsoleServices({ dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')), vault });
  admin = await signInToConsole(services, platform, platform.user('acme', 'admin'));
  officerToken = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
  officerDevice = await registerDevice(platform, officerToken);
});
afterAll(async () => {
  for (const p of await vault.profiles()) await vault.deleteProfile(p);
  await services.close();
  await platform.stop();
});

const call = (name: string, input: Record<string, unknown>) =>
  services.dispatcher.dispatch(name, { profile: admin, tenant, ...input });

async function raise(input: Record<string, unknown> = {}) {
  return valueIn(
    await call('approvals.create', {
      kind: 'custom.vendor_payment',
      title: 'Pay Initech',
      summary: 'Invoice 2024-118, approved budget line 7.',
      payload: { vendor: 'Initech', amount: '950.00' },
      ...input,
    }),
  ).request;
}

/** The compliance officer approves on their own device, straight against the platform. */
async function officerApproves(request: { id: string; payloadHash: string }) {
  const reply = await decide(platform, officerToken, officerDevice, path, request, 'approve');
  expect(reply.status, reply.text).toBe(200);
  return reply.json;
}

describe('raising and following requests through the contract', () => {
  it('tells from the policy which lane a request will take, and the platform raises it there', async () => {
    const policy = valueIn(await call('policy.get', {}));
    expect(lanePreview(policy, 'custom.vendor_payment', 'live')).toEqual({
      lane: 'yellow',
      requiredApprovals: 1,
    });
    expect(lanePreview(policy, 'api_key.create', 'test')).toEqual({ lane: 'green', requiredApprovals: 0 });
    expect(lanePreview(policy, 'policy.update', 'test')).toEqual({ lane: 'red', requiredApprovals: 2 });
    const raised = await raise();
    expect({ lane: raised.lane, requiredApprovals: raised.requiredApprovals }).toEqual(
      lanePreview(policy, raised.kind, 'live'),
    );
  });

  it('asks a person for a justification, and tells every window when the request is raised', async () => {
    const { result: refused, events: none } = await eventsDuring(services, () =>
      call('approvals.create', { kind: 'custom.x', title: 'No reason', summary: '  ', payload: {} }),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(none).toEqual([]);
    const { result: request, events } = await eventsDuring(services, () => raise());
    expect(request.summary).toBe('Invoice 2024-118, approved budget line 7.');
    expect(events).toEqual([
      { name: 'approvals.changed', payload: { profile: admin, tenant, requestId: request.id } },
    ]);
  });

  it('lets an integration’s key raise a request without one', async () => {
    const owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
    // API-key creation is green in test under the default policy, so the owner makes one directly.
    const created = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: owner,
      body: { name: 'integration', scopes: ['approvals:request', 'approvals:read'] },
    });
    expect(created.status, created.text).toBe(201);
    const key = valueIn(
      await services.dispatcher.dispatch('session.signInWithApiKey', {
        platformUrl: platform.url,
        apiKey: created.json.secret,
      }),
    );
    const raised = valueIn(
      await services.dispatcher.dispatch('approvals.create', {
        profile: key.profile,
        tenant: { organization: 'acme', environment: 'test' },
        kind: 'custom.sync',
        title: 'Nightly sync',
        payload: { batch: 7 },
      }),
    );
    expect(raised.request).toMatchObject({ summary: '', requester: { type: 'api-key' } });
  });

  it('comments and withdrawals reach the timeline, and each tells every window', async () => {
    const request = await raise();
    const { result: commented, events } = await eventsDuring(services, () =>
      call('approvals.comment', { requestId: request.id, body: 'Finance confirmed the invoice.' }),
    );
    expect(commented.ok).toBe(true);
    expect(events.map((e) => e.name)).toEqual(['approvals.changed']);
    const withdrawn = valueIn(await call('approvals.withdraw', { requestId: request.id }));
    expect(withdrawn.request.status).toBe('withdrawn');
    const { timeline } = valueIn(await call('approvals.get', { requestId: request.id }));
    expect(timeline.events.map((e: { action: string }) => e.action)).toEqual([
      'approval.request',
      'approval.comment',
      'approval.withdraw',
    ]);
    const again = await call('approvals.withdraw', { requestId: request.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('hands the requester the secret an executed request produced, once', async () => {
    const write = valueIn(
      await call('apiKeys.create', { request: { name: 'ledger', scopes: ['approvals:read'] } }),
    );
    expect(write.outcome).toBe('approval-requested');
    const executed = await officerApproves(write.request);
    expect(executed.status).toBe('executed');
    const first = valueIn(await call('approvals.result', { requestId: write.request.id }));
    expect(first.secret).toMatch(/^cck_live_/);
    const second = valueIn(await call('approvals.result', { requestId: write.request.id }));
    expect(second).toEqual({ secret: null });
  });

  it('links a reversal both ways', async () => {
    const original = await raise();
    await officerApproves(original);
    const reversal = await raise({ title: 'Refund Initech', reverses: original.id });
    expect(reversal.reverses).toBe(original.id);
    const { request } = valueIn(await call('approvals.get', { requestId: original.id }));
    expect(request.reversedBy).toBe(reversal.id);
  });

  it('a decision made in this console tells every window too', async () => {
    const officer = await signInToConsole(services, platform, platform.user('acme', 'compliance_officer'));
    const request = await raise();
    const { result, events } = await eventsDuring(services, () =>
      services.dispatcher.dispatch('approvals.decide', {
        profile: officer,
        tenant,
        requestId: request.id,
        decision: 'approve',
        comment: 'Checked against the invoice.',
      }),
    );
    expect(valueIn(result).request.status).toBe('executed');
    expect(events).toContainEqual({
      name: 'approvals.changed',
      payload: { profile: officer, tenant, requestId: request.id },
    });
  });

  it('reads the tenant directory', async () => {
    const directory = valueIn(await call('directory.get', {}));
    const adminUser = platform.user('acme', 'admin');
    expect(directory.people).toContainEqual(
      expect.objectContaining({ id: adminUser.userId, role: 'admin', removed: false }),
    );
    expect(directory.apiKeys.length).toBeGreaterThan(0);
  });
});

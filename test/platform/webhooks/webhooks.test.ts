import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../../platform/webhooks/signature';
import { approvePolicyChange, decide, registerDevice } from '../../helpers/approvals';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

interface Received {
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  validSignature: boolean;
}

let platform: TestPlatform;
let receiver: Server;
let receiverUrl: string;
let secret = '';
const received: Received[] = [];

beforeAll(async () => {
  platform = await startPlatform({
    webhookRetryBaseMs: 50,
    webhookPollMs: 25,
    allowPrivateWebhookTargets: true,
  });
  // The integration's side, written from the signature rule alone: HMAC-SHA256 of "<timestamp>.<body>".
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const timestamp = req.headers['x-cc-timestamp'] as string | undefined;
      const signature = req.headers['x-cc-signature'] as string | undefined;
      const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
      received.push({ timestamp, signature, body, validSignature: signature === expected });
      res.writeHead(received.length === 1 ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/compliance`;
});
afterAll(async () => {
  receiver.close();
  await platform.stop();
});

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('webhooks for custom requests', () => {
  it('refuses a webhook URL with another scheme or credentials, even for development', async () => {
    const owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
    for (const url of ['ftp://127.0.0.1/x', 'https://user:pw@example.com/']) {
      const reply = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
        token: owner,
        body: { kind: 'policy.update', title: 'Hook', payload: { webhook: { environment: 'live', url } } },
      });
      expect(reply.status, url).toBe(400);
    }
  });

  it('an approved custom request is delivered signed, retried after a failure, every attempt recorded', async () => {
    const owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
    const configured = await approvePolicyChange(platform, 'acme', 'live', {
      webhook: { environment: 'live', url: receiverUrl },
    });
    expect(configured.request.status).toBe('executed');
    secret = configured.secret ?? '';
    expect(secret).toMatch(/^whsec_/);
    const key = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
      token: owner,
      body: { name: 'erp', scopes: ['approvals:request', 'approvals:read'] },
    });
    const created = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
      token: key.json.secret,
      body: { kind: 'custom.journal_entry', title: 'Post journal entry 4711', payload: { entry: 4711 } },
    });
    const officer = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
    const device = await registerDevice(platform, officer);
    const approved = await decide(
      platform,
      officer,
      device,
      '/v1/orgs/acme/envs/live/approvals',
      created.json,
      'approve',
    );
    expect(approved.json.status).toBe('executed');

    await until(() => received.length >= 2);
    expect(received.every((r) => r.validSignature)).toBe(true);
    const body = JSON.parse(received[1]?.body ?? '{}');
    expect(body).toEqual(
      expect.objectContaining({ event: 'approval.executed', organization: 'acme', environment: 'live' }),
    );
    expect(body.request).toEqual(expect.objectContaining({ id: created.json.id, payload: { entry: 4711 } }));

    await until(async () => (await platform.ctx.stores.webhooks.due(Number.MAX_SAFE_INTEGER)).length === 0);
    const deliveries = await platform.call(
      'GET',
      `/v1/orgs/acme/envs/live/approvals/${created.json.id}/deliveries`,
      {
        token: officer,
      },
    );
    expect(deliveries.json.deliveries).toHaveLength(1);
    expect(deliveries.json.deliveries[0].status).toBe('delivered');
    expect(deliveries.json.deliveries[0].attempts.map((a: { outcome: string }) => a.outcome)).toEqual([
      'failed',
      'delivered',
    ]);
    // Readers see delivered / failed only: no status code or remote error (timestamps aside, whose
    // milliseconds may read 500 or 204).
    const withoutTimes = deliveries.text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '');
    expect(withoutTimes).not.toMatch(/500|204|statusCode|error/);
  });

  it('a receiver refuses a tampered or stale delivery', () => {
    const body = '{"event":"approval.executed"}';
    const now = Date.now();
    const timestamp = Math.floor(now / 1000);
    const signature = signWebhook('whsec_test', timestamp, body);
    expect(verifyWebhook('whsec_test', String(timestamp), body, signature, now)).toBe(true);
    expect(
      verifyWebhook('whsec_test', String(timestamp), body.replace('executed', 'rejected'), signature, now),
    ).toBe(false);
    expect(verifyWebhook('whsec_test', String(timestamp), body, signature, now + 10 * 60 * 1000)).toBe(false);
    expect(verifyWebhook('whsec_other', String(timestamp), body, signature, now)).toBe(false);
    expect(verifyWebhook('whsec_test', undefined, body, signature, now)).toBe(false);
  });
});

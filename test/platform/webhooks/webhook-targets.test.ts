import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgScope, tenantScope } from '../../../platform/db/scope';
import { checkTarget, publicOnlyLookup } from '../../../platform/webhooks/webhook-target';
import { decide, registerDevice } from '../../helpers/approvals';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

/**
 * Webhook targets as an attacker with policy:manage would use them: to make the platform call into its own
 * network, and to read back what answered. Without the development option nothing private is reachable,
 * when proposed or when sent, and readers learn only delivered or failed.
 */
let platform: TestPlatform;
let owner: string;
let receiver: Server;
let hits = 0;

const fixtures = join(import.meta.dirname, '../../fixtures/tls');

beforeAll(async () => {
  platform = await startPlatform({ webhookRetryBaseMs: 20, webhookPollMs: 20 });
  owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
  receiver = createHttpsServer(
    {
      key: readFileSync(join(fixtures, 'self-signed-key.pem')),
      cert: readFileSync(join(fixtures, 'self-signed-cert.pem')),
    },
    (_req, res) => res.writeHead(204).end(),
  );
  // Counted at the TCP level: any connection at all, before TLS could fail, is a reach into this machine.
  receiver.on('connection', () => {
    hits++;
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  receiver.close();
  await platform.stop();
});

const internal = [
  'http://127.0.0.1:4610/v1/health',
  'https://127.0.0.1/hook',
  'https://localhost:8443/hook',
  'https://10.0.0.5/hook',
  'https://192.168.1.1/hook',
  'https://172.16.0.1/hook',
  'https://169.254.169.254/latest/meta-data/',
  'https://100.64.0.1/hook',
  'https://0.0.0.0/hook',
  'https://[::1]/hook',
  'https://[fd00:ec2::254]/hook',
  'https://[fe80::1]/hook',
  'https://[::ffff:127.0.0.1]/hook',
  'https://[64:ff9b::a00:1]/hook',
  'http://93.184.215.14/hook',
];

describe('webhook targets', () => {
  it('refuses every loopback, private, link-local, unique-local and metadata target when proposed', async () => {
    for (const url of internal) {
      const reply = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
        token: owner,
        body: { kind: 'policy.update', title: 'Hook', payload: { webhook: { environment: 'live', url } } },
      });
      expect(reply.status, url).toBe(400);
      expect(reply.json.error.message, url).toMatch(/public internet/);
    }
  });

  it('resolves a proposed name and refuses it when any address is not public', async () => {
    const rules = { allowPrivate: false };
    const refused = await checkTarget('https://localhost./hook', rules);
    expect(refused.ok).toBe(false);
    const unresolvable = await checkTarget('https://no-such-host.invalid/hook', rules);
    expect(unresolvable).toEqual({ ok: false, error: expect.objectContaining({ code: 'bad-request' }) });
    expect((await checkTarget('https://93.184.215.14/hook', rules)).ok).toBe(true);
  });

  it('checks the address a send connects to, so a name that now resolves to this machine is not reached', async () => {
    const lookup = publicOnlyLookup({ allowPrivate: false });
    if (!lookup) throw new Error('a lookup is expected without the development option');
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup('localhost', {}, (e) => resolve(e)),
    );
    expect(error?.code).toBe('ETARGETREFUSED');
  });

  it('a target that turned private after approval gets no delivery, and readers see only "failed"', async () => {
    // The state an attacker aims for: an approved target whose name now points inside (DNS rebinding).
    // Written as the executed policy change would have left it; the send-time check must still refuse.
    const org = await platform.ctx.stores.organizations.findBySlug('acme');
    if (!org) throw new Error('acme missing');
    const tenant = tenantScope(orgScope(org.id, org.slug), 'live');
    const port = (receiver.address() as AddressInfo).port;
    await platform.ctx.stores.webhooks.put(
      tenant,
      `https://localhost:${port}/hook`,
      platform.ctx.sealedBox.seal(Buffer.from('whsec_x'), `webhook-secret:${org.id}:live`),
      platform.clock.now(),
    );
    const key = await platform.call('POST', '/v1/orgs/acme/envs/test/api-keys', {
      token: owner,
      body: { name: 'erp', scopes: ['approvals:request'] },
    });
    expect(key.status).toBe(201);
    const officer = platform.user('acme', 'compliance_officer');
    const officerToken = (await platform.signIn(officer)).accessToken;
    const device = await registerDevice(platform, officerToken);
    const created = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
      token: owner,
      body: { kind: 'custom.port_scan', title: 'Probe', payload: { port } },
    });
    expect(created.status, created.text).toBe(201);
    const approved = await decide(
      platform,
      officerToken,
      device,
      '/v1/orgs/acme/envs/live/approvals',
      created.json,
      'approve',
    );
    expect(approved.json.status).toBe('executed');
    const deadline = Date.now() + 5000;
    let attempts: { outcome: string }[] = [];
    while (attempts.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      const reply = await platform.call(
        'GET',
        `/v1/orgs/acme/envs/live/approvals/${created.json.id}/deliveries`,
        {
          token: officerToken,
        },
      );
      attempts = reply.json.deliveries[0]?.attempts ?? [];
      expect(
        Object.keys(reply.json.deliveries[0]?.attempts[0] ?? { attempt: 1, at: '', outcome: '' }).sort(),
      ).toEqual(['at', 'attempt', 'outcome']);
    }
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.every((a) => a.outcome === 'failed')).toBe(true);
    expect(hits).toBe(0);
  });
});

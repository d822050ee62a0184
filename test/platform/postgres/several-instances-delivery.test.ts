import { createHash, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { decisionStatementBytes } from '../../../shared/approvals/decision-statement';
import { approvePolicyChange, type Device, registerDevice } from '../../helpers/approvals';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { handOver, type PlatformProcess } from '../../helpers/platform-processes';
import { withAdmin } from '../../helpers/postgres';

/**
 * What must happen once even when three `serve` processes share one PostgreSQL database: a webhook attempt
 * (claimed FOR UPDATE SKIP LOCKED), a decision retried with its idempotency key (the request row locked),
 * and what a load balancer reads from `/v1/health` when the database goes away and comes back.
 */
const tenantPath = '/v1/orgs/acme/envs/test';
let platform: TestPlatform | undefined;
let instances: PlatformProcess[] = [];
let receiver: Server | undefined;

afterEach(async () => {
  await Promise.all(instances.map((instance) => instance.stop('SIGKILL')));
  instances = [];
  receiver?.close();
  receiver = undefined;
  await platform?.discard();
  platform = undefined;
});

function running(): TestPlatform {
  if (!platform) throw new Error('no platform');
  return platform;
}

async function send(
  instance: PlatformProcess | undefined,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
) {
  if (!instance) throw new Error('no instance');
  const reply = await fetch(`${instance.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON replies
  return { status: reply.status, json: (await reply.json().catch(() => ({}))) as any };
}

async function until(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A decision as the console makes one, on the real clock the processes run on. */
function decisionBody(device: Device, request: { id: string; payloadHash: string }, idempotencyKey: string) {
  const comment = '';
  const decidedAt = new Date().toISOString();
  const statement = {
    requestId: request.id,
    decision: 'approve' as const,
    payloadHash: request.payloadHash,
    evidenceHashes: [],
    commentHash: createHash('sha256').update(comment).digest('hex'),
    decidedAt,
  };
  const signature = sign(null, decisionStatementBytes(statement), device.privateKey).toString('base64');
  return { decision: 'approve', comment, deviceKeyId: device.id, decidedAt, signature, idempotencyKey };
}

describe('several platform processes on one PostgreSQL database', () => {
  it('deliver each webhook once: requests executed through three instances reach the receiver exactly once each, whichever instance claims them', async () => {
    const bodies: string[] = [];
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

    platform = await startPlatform({ allowPrivateWebhookTargets: true });
    const owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
    await platform.setLanes('acme', { 'custom.hook': { test: 'green', live: 'green' } });
    await approvePolicyChange(platform, 'acme', 'test', { webhook: { environment: 'test', url } });
    instances = await handOver(platform, 3, ['--allow-private-webhooks']);

    // Green: each request executes as it is raised, and its approval.executed event is queued with it.
    const raised: string[] = [];
    await Promise.all(
      [0, 1, 2].map(async (lane) => {
        for (let n = lane; n < 60; n += 3) {
          const reply = await send(instances[lane], 'POST', `${tenantPath}/approvals`, owner, {
            kind: 'custom.hook',
            title: `Hook ${n}`,
            payload: { n },
          });
          expect(reply.status).toBe(201);
          expect(reply.json.status).toBe('executed');
          raised.push(reply.json.id);
        }
      }),
    );

    const db = running().database?.inspector;
    if (!db) throw new Error('this test runs on PostgreSQL');
    const pending = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM webhook_deliveries WHERE status <> 'delivered'`.execute(db)
        ).rows[0]?.n,
      );
    await until(async () => (await pending()) === 0 && bodies.length >= raised.length, 'every delivery');
    // Every instance polls at least once more after the queue emptied: a second sender would show by now.
    await new Promise((resolve) => setTimeout(resolve, 2500));

    const delivered = bodies.map((body) => (JSON.parse(body) as { request: { id: string } }).request.id);
    expect([...delivered].sort()).toEqual([...raised].sort());
    const attempts = await sql<{ delivery_id: string; n: string }>`
      SELECT delivery_id, count(*) AS n FROM webhook_attempts GROUP BY delivery_id`.execute(db);
    expect(attempts.rows).toHaveLength(raised.length);
    expect(attempts.rows.every((row) => Number(row.n) === 1)).toBe(true);
  }, 240_000);

  it('decide once: one decision sent to all three instances at once with one idempotency key is recorded once and answered alike; another key of the same person is refused', async () => {
    platform = await startPlatform();
    const owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
    const officer = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
    const device = await registerDevice(platform, officer);
    await platform.setLanes('acme', { 'custom.pay': { test: 'yellow', live: 'yellow' } });
    instances = await handOver(platform, 3);

    const raised = await send(instances[0], 'POST', `${tenantPath}/approvals`, owner, {
      kind: 'custom.pay',
      title: 'Pay vendor 17',
      payload: { vendor: 17 },
    });
    expect(raised.status).toBe(201);
    expect(raised.json.status).toBe('pending');
    const decisionsPath = `${tenantPath}/approvals/${raised.json.id}/decisions`;

    const body = decisionBody(device, raised.json, 'idem-same-click');
    const replies = await Promise.all(instances.map((i) => send(i, 'POST', decisionsPath, officer, body)));
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
    expect(replies.map((reply) => reply.json.status)).toEqual(['executed', 'executed', 'executed']);

    // The same person again under a fresh key, through each instance: never a second decision.
    const again = await Promise.all(
      instances.map((i, n) =>
        send(i, 'POST', decisionsPath, officer, decisionBody(device, raised.json, `idem-other-${n}`)),
      ),
    );
    expect(
      again.map((reply) => reply.status),
      JSON.stringify(again[0]?.json),
    ).toEqual([409, 409, 409]);

    const decisions = await send(instances[2], 'GET', `${tenantPath}/approvals/${raised.json.id}`, officer);
    expect(decisions.status).toBe(200);
    expect(decisions.json.decisions).toHaveLength(1);
    const db = running().database?.inspector;
    if (!db) throw new Error('this test runs on PostgreSQL');
    const logged = await sql<{ action: string; n: string }>`
      SELECT action, count(*) AS n FROM audit_entries WHERE resource_id = ${raised.json.id} GROUP BY action`.execute(
      db,
    );
    const counts = Object.fromEntries(logged.rows.map((row) => [row.action, Number(row.n)]));
    expect(counts['approval.decide']).toBe(1);
  }, 240_000);

  it('answer a load balancer truthfully: /v1/health is 503 while the database refuses connections and 200 again once it is back, the process alive throughout', async () => {
    platform = await startPlatform();
    const database = platform.database;
    if (!database) throw new Error('this test runs on PostgreSQL');
    instances = await handOver(platform, 1);
    const [instance] = instances;
    expect((await send(instance, 'GET', '/v1/health')).status).toBe(200);

    // As an outage looks from the platform: its connections cut, new ones refused (asked of the cluster's
    // own database, since this one lets no one in meanwhile).
    const name = database.name;
    await withAdmin(async (client) => {
      await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    });
    await until(async () => (await send(instance, 'GET', '/v1/health')).status === 503, 'a 503', 15_000);
    const down = await send(instance, 'GET', '/v1/health');
    expect(down.status).toBe(503);
    expect(JSON.stringify(down.json)).not.toMatch(/postgres|password|ECONN|terminat/i);

    await withAdmin((client) => client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`));
    await until(async () => (await send(instance, 'GET', '/v1/health')).status === 200, 'a 200', 15_000);
    expect(instance?.child.exitCode, instance?.stderr()).toBeNull();
  }, 120_000);
});

import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { totpCode } from '../../../platform/auth/totp';
import { fromBase64 } from '../../../shared/audit/hash';
import { MerkleHasher, verifyConsistency } from '../../../shared/audit/merkle';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import { parseCheckpointBody, parseNote } from '../../../shared/audit/note';
import { appendEntries, tenantOf } from '../../helpers/audit';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { handOver, type PlatformProcess } from '../../helpers/platform-processes';

const run = promisify(execFile);
const hasher = new MerkleHasher(nodeAuditCrypto);
const tenantPath = '/v1/orgs/acme/envs/test';

/**
 * Three `npm run platform -- serve --database postgres://…` processes on one PostgreSQL database (the test
 * platform's, migrated by the owner role; the processes connect as the application role and share its data
 * directory's key files), each answering part of one tenant's concurrent writes.
 */
let platform: TestPlatform;
let instances: PlatformProcess[] = [];
let token: string;
let refreshToken: string;

/**
 * Seeds a platform, makes acme/test's log `sizeBeforeLoad` entries long (straight through its audit log, for
 * volume), signs the owner in, and hands the database over to three processes.
 */
async function startInstances(sizeBeforeLoad = 0): Promise<void> {
  platform = await startPlatform();
  const tenant = await tenantOf(platform, 'acme', 'test');
  const size = await platform.ctx.auditLog.size(tenant);
  if (sizeBeforeLoad > size) await appendEntries(platform, tenant, sizeBeforeLoad - size);
  ({ accessToken: token, refreshToken } = await platform.signIn(platform.user('acme', 'owner')));
  instances = await handOver(platform, 3);
}

afterEach(async () => {
  await Promise.all(instances.map((instance) => instance.stop('SIGKILL')));
  instances = [];
  await platform.discard();
});

interface Write {
  readonly instance: number;
  readonly status: number | 'no reply';
  readonly id?: string;
}

/** `count` requests raised in `acme`/test, `inFlight` at a time, the n-th through instance n mod 3. */
async function driveWrites(
  count: number,
  inFlight: number,
  onWrite?: (done: number) => void,
): Promise<Write[]> {
  const writes: Write[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const instance = n % instances.length;
      const target = instances[instance];
      if (!target) throw new Error('no instance');
      const reply = await fetch(`${target.url}${tenantPath}/approvals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'custom.matrix', title: `Write ${n}`, payload: { n } }),
      }).then(
        async (response) => ({
          status: response.status,
          body: (await response.json().catch(() => ({}))) as { id?: string },
        }),
        () => ({ status: 'no reply' as const, body: {} as { id?: string } }),
      );
      writes.push({ instance, status: reply.status, ...(reply.body.id ? { id: reply.body.id } : {}) });
      onWrite?.(writes.length);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return writes;
}

async function call(instance: PlatformProcess, path: string): Promise<Response> {
  return fetch(`${instance.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

/** The tenant's whole log, exported through `instance`, written to a file, and checked by compliance-verify. */
async function exportAndVerify(instance: PlatformProcess) {
  const response = await call(instance, `${tenantPath}/audit/export`);
  expect(response.status).toBe(200);
  const text = await response.text();
  const file = join(platform.dataDir, 'acme-test.jsonl');
  writeFileSync(file, text);
  const keys = await run(process.execPath, [
    '--import',
    'tsx',
    'platform/cli/main.ts',
    'audit-key',
    ...platform.cliOptions,
  ]);
  const verified = await run(process.execPath, [
    'shared/audit/cli/compliance-verify.mjs',
    file,
    '--key',
    keys.stdout.trim().split('\n').pop() as string,
  ]);
  expect(verified.stdout).toMatch(/^VERIFIED/);
  const lines = text.trimEnd().split('\n').slice(1);
  const entries = lines
    .filter((line) => !line.startsWith('{"checkpoint":'))
    .map(
      (line) => JSON.parse(line) as { seq: number; action: string; resource: { type: string; id: string } },
    );
  const checkpoints = lines
    .filter((line) => line.startsWith('{"checkpoint":'))
    .map((line) => {
      const note = parseNote((JSON.parse(line) as { checkpoint: string }).checkpoint);
      const body = note && parseCheckpointBody(note.text);
      if (!body) throw new Error('a checkpoint does not parse');
      return body;
    });
  return { entries, checkpoints };
}

/** How often each request id was recorded as raised. */
function raisedCounts(entries: readonly { action: string; resource: { id: string } }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    if (entry.action !== 'approval.request') continue;
    counts.set(entry.resource.id, (counts.get(entry.resource.id) ?? 0) + 1);
  }
  return counts;
}

describe('several platform processes on one PostgreSQL database', () => {
  it('keep one audit log: concurrent writes through three instances export to a log compliance-verify accepts, with checkpoints once per size and consistent with each other', async () => {
    // The concurrent writes cross 1,024 entries, where a checkpoint is due.
    await startInstances(1024 - 150);
    // Tree heads asked for mid-load, through every instance, sign checkpoints at whatever size the log has then.
    const heads: Promise<number>[] = [];
    const writes = await driveWrites(450, 12, (done) => {
      if (done % 100 === 0) {
        for (const instance of instances) {
          heads.push(call(instance, `${tenantPath}/audit/checkpoint`).then((reply) => reply.status));
        }
      }
    });
    expect(await Promise.all(heads)).toEqual(heads.map(() => 200));
    expect(writes.filter((w) => w.status !== 201)).toEqual([]);

    const { entries, checkpoints } = await exportAndVerify(instances[1] as PlatformProcess);
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, i) => i));
    const raised = raisedCounts(entries);
    for (const write of writes) expect(raised.get(write.id as string)).toBe(1);

    const sizes = checkpoints.map((checkpoint) => checkpoint.size);
    expect(new Set(sizes).size).toBe(sizes.length);
    expect(sizes).toContain(1024);
    expect(sizes.length).toBeGreaterThan(3);

    // A consistency proof from every checkpoint to every later one, each asked of another instance.
    let asked = 0;
    for (const [i, older] of checkpoints.entries()) {
      for (const newer of checkpoints.slice(i + 1)) {
        const instance = instances[asked++ % instances.length] as PlatformProcess;
        const reply = await call(
          instance,
          `${tenantPath}/audit/proofs/consistency?from=${older.size}&to=${newer.size}`,
        );
        expect(reply.status).toBe(200);
        const proof = ((await reply.json()) as { proof: string[] }).proof.map(
          (p) => fromBase64(p) as Uint8Array,
        );
        expect(verifyConsistency(hasher, older.size, newer.size, older.root, newer.root, proof)).toBe(true);
      }
    }
  }, 240_000);

  it('lose nothing when one is killed mid-load: every write that got a 2xx reply is in the log once', async () => {
    await startInstances();
    const victim = instances[2] as PlatformProcess;
    let killed: Promise<void> | undefined;
    const writes = await driveWrites(450, 12, (done) => {
      if (done === 150) killed = victim.stop('SIGKILL');
    });
    await killed;
    const accepted = writes.filter((w) => w.status === 201);
    // The victim answered some before it died, and the others went on answering after.
    expect(accepted.filter((w) => w.instance === 2).length).toBeGreaterThan(0);
    expect(writes.filter((w) => w.instance === 2 && w.status !== 201).length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(300);
    // Nothing but the victim's unanswered requests failed.
    expect(writes.filter((w) => w.status !== 201 && w.instance !== 2)).toEqual([]);

    const { entries } = await exportAndVerify(instances[0] as PlatformProcess);
    const raised = raisedCounts(entries);
    for (const write of accepted) expect(raised.get(write.id as string)).toBe(1);
    expect([...raised.values()].every((count) => count === 1)).toBe(true);
  }, 240_000);

  it('hold refresh rotation, TOTP steps and sign-in rate limits across instances, in the database', async () => {
    await startInstances();
    const post = (instance: PlatformProcess, path: string, body: unknown) =>
      fetch(`${instance.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((reply) => reply.status);

    // One refresh token, presented to all three at once: it rotates once.
    const refreshed = await Promise.all(instances.map((i) => post(i, '/v1/auth/refresh', { refreshToken })));
    expect(refreshed.filter((status) => status === 200)).toHaveLength(1);

    // One TOTP code, presented to all three at once with the right password: one sign-in.
    const admin = platform.user('acme', 'admin');
    const code = totpCode(admin.totpSeed, Date.now());
    const signIn = { email: admin.email, password: admin.password, totp: code };
    const signedIn = await Promise.all(instances.map((i) => post(i, '/v1/auth/sign-in', signIn)));
    expect(signedIn.filter((status) => status === 200)).toHaveLength(1);

    // Ten sign-ins a minute from one address, counted across the instances: no instance sees more than five
    // here (four wrong ones and the one above), yet with those above at least fifteen were made in the
    // window, so the last five or more are refused, and once refused they stay refused.
    const wrong = { email: 'nobody@acme.example', password: 'wrong password', totp: '000000' };
    const statuses: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (const instance of instances) statuses.push(await post(instance, '/v1/auth/sign-in', wrong));
    }
    const firstRefused = statuses.indexOf(429);
    expect(firstRefused).toBeGreaterThan(0);
    expect(firstRefused).toBeLessThanOrEqual(7);
    expect(statuses.slice(0, firstRefused).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(firstRefused).every((status) => status === 429)).toBe(true);
  }, 240_000);
});

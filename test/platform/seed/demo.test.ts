import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../../platform/auth/totp';
import { createContext, type PlatformContext } from '../../../platform/context';
import { createLogger } from '../../../platform/http/logging';
import { buildServer } from '../../../platform/http/server';
import { type DemoUser, seedLivedInDemo } from '../../../platform/seed/demo';
import type { DemoSummary } from '../../../platform/seed/summary';
import { decisionStatementBytes } from '../../../shared/approvals/decision-statement';
import { builtInKinds } from '../../../shared/approvals/kinds';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import { parseVerifierKey, type VerifierKey } from '../../../shared/audit/note';
import type { RoleName } from '../../../shared/domain/permissions';
import { sniffMediaType } from '../../../shared/evidence/content-type';
import { verifyBytes } from '../../helpers/audit';
import { AdjustableClock } from '../../helpers/platform';

// The lived-in demo that `npm start` and `seed --demo` create, seeded into a temporary data directory and
// then served by a real platform on the system clock, as `npm start` does, and read back through the API.

const DAY_MS = 24 * 3600_000;
const tenants = [
  ['acme', 'test'],
  ['acme', 'live'],
  ['globex', 'test'],
  ['globex', 'live'],
] as const;

let dataDir: string;
let ctx: PlatformContext;
let app: FastifyInstance;
let url: string;
let users: DemoUser[];
let summary: DemoSummary;
const clock = new AdjustableClock();
const tokens = new Map<string, string>();

// biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary JSON replies
async function call(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

function person(org: string, role: RoleName): DemoUser {
  const found = users.find((u) => u.organization === org && u.role === role);
  if (!found) throw new Error(`no ${role} in ${org}`);
  return found;
}

async function signIn(org: string, role: RoleName): Promise<string> {
  const user = person(org, role);
  // Each TOTP step counts once per person: a fresh step for every sign-in.
  clock.advance(30_000);
  const reply = await fetch(`${url}/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: user.email,
      password: user.password,
      totp: totpCode(user.totpSeed, clock.now()),
    }),
  });
  if (reply.status !== 200) throw new Error(`sign-in of ${user.email}: ${await reply.text()}`);
  return (await reply.json()).accessToken;
}

function token(org: string, role: RoleName): string {
  const found = tokens.get(`${org}/${role}`);
  if (!found) throw new Error(`not signed in: ${role}@${org}`);
  return found;
}

// biome-ignore lint/suspicious/noExplicitAny: API replies
async function allRequests(org: string, env: string): Promise<any[]> {
  const reply = await call(
    'GET',
    `/v1/orgs/${org}/envs/${env}/approvals?status=all&limit=200`,
    token(org, 'compliance_officer'),
  );
  expect(reply.nextCursor).toBeNull();
  return reply.requests;
}

async function exportOf(org: string, env: string): Promise<Buffer> {
  const response = await fetch(`${url}/v1/orgs/${org}/envs/${env}/audit/export`, {
    headers: { authorization: `Bearer ${token(org, 'owner')}` },
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

function verifierKeys(): VerifierKey[] {
  return ctx.auditKeys.verifierKeys.map((k) => {
    const key = parseVerifierKey(nodeAuditCrypto, k);
    if (!key) throw new Error('verifier key does not parse');
    return key;
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cc-demo-seed-'));
  ({ users, summary } = await seedLivedInDemo(dataDir));
  ctx = await createContext(dataDir, { clock });
  app = await buildServer(ctx, {
    logger: createLogger({ level: 'silent' }),
    rateLimits: { signIn: { max: 1000, timeWindowMs: 60_000 }, keys: { max: 1000, timeWindowMs: 60_000 } },
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  for (const org of ['acme', 'globex']) {
    for (const role of ['owner', 'compliance_officer'] as const)
      tokens.set(`${org}/${role}`, await signIn(org, role));
  }
}, 180_000);

afterAll(async () => {
  await app?.close();
  await ctx?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the lived-in demo', () => {
  it('keeps the e-mail addresses and gives the people human names', async () => {
    expect(users.map((u) => u.email)).toContain('compliance-officer@acme.example');
    const me = await call('GET', '/v1/me', token('acme', 'compliance_officer'));
    expect(me.displayName).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(summary.tenants).toHaveLength(4);
  });

  describe.each(tenants)('%s/%s', (org, env) => {
    it('has at least 40 requests over two months, across every kind, lane and state', async () => {
      const requests = await allRequests(org, env);
      expect(requests.length).toBeGreaterThanOrEqual(40);
      const kinds = new Set(requests.map((r) => r.kind));
      for (const kind of [
        ...builtInKinds,
        'custom.vendor_payment',
        'custom.production_access',
        'custom.firewall_change',
      ]) {
        expect(kinds, kind).toContain(kind);
      }
      expect(new Set(requests.map((r) => r.lane))).toEqual(new Set(['green', 'yellow', 'red']));
      const statuses = new Set(requests.map((r) => r.status));
      for (const status of ['pending', 'executed', 'rejected', 'withdrawn', 'expired'])
        expect(statuses).toContain(status);
      const pending = requests.filter((r) => r.status === 'pending');
      // A green request executes when it is raised, so work can wait only in the yellow and red lanes.
      expect(new Set(pending.map((r) => r.lane))).toEqual(new Set(['yellow', 'red']));
      for (const r of pending) expect(Date.parse(r.expiresAt)).toBeGreaterThan(Date.now() + 2 * DAY_MS);
      // Approved, and executed at once in the green lane.
      expect(
        requests.some(
          (r) => r.status === 'executed' && r.approvals >= r.requiredApprovals && r.approvals > 0,
        ),
      ).toBe(true);
      expect(requests.some((r) => r.status === 'executed' && r.lane === 'green')).toBe(true);
      for (const r of requests.filter((q) => q.status === 'rejected'))
        expect(r.outcome).toMatch(/\w{3,}.*\./);
      for (const r of requests.filter((q) => q.status === 'expired')) {
        expect(Date.parse(r.closedAt)).toBeGreaterThanOrEqual(Date.parse(r.expiresAt));
      }
      const reversal = requests.find((r) => r.reverses !== null);
      expect(reversal?.status).toBe('executed');
      expect(requests.find((r) => r.id === reversal?.reverses)?.status).toBe('executed');
      const created = requests.map((r) => Date.parse(r.createdAt));
      expect(Math.min(...created)).toBeLessThan(Date.now() - 55 * DAY_MS);
      expect(Math.max(...created)).toBeGreaterThan(Date.now() - DAY_MS);
      expect(requests.some((r) => r.requester.type === 'api-key')).toBe(true);
    });

    it('attaches evidence of every type, made at seed time, readable through signed links', async () => {
      const requests = await allRequests(org, env);
      const officer = token(org, 'compliance_officer');
      // biome-ignore lint/suspicious/noExplicitAny: API replies
      const evidence: any[] = [];
      for (const r of requests) {
        evidence.push(
          ...(await call('GET', `/v1/orgs/${org}/envs/${env}/evidence?requestId=${r.id}`, officer)).evidence,
        );
      }
      const byType = (predicate: (e: { name: string; mediaType: string }) => boolean) => {
        const found = evidence.find(predicate);
        expect(found).toBeDefined();
        return found;
      };
      const files = {
        pdf: byType((e) => e.mediaType === 'application/pdf'),
        png: byType((e) => e.mediaType === 'image/png'),
        json: byType((e) => e.mediaType === 'application/json'),
        csv: byType((e) => e.mediaType === 'text/plain' && e.name.endsWith('.csv')),
        text: byType((e) => e.mediaType === 'text/plain' && e.name.endsWith('.txt')),
      };
      const read = async (file: { id: string; sha256: string; mediaType: string }) => {
        const link = await call('POST', `/v1/orgs/${org}/envs/${env}/evidence/${file.id}/url`, officer);
        const response = await fetch(`${url}${link.url}`, {
          headers: { authorization: `Bearer ${officer}` },
        });
        expect(response.status).toBe(200);
        const bytes = Buffer.from(await response.arrayBuffer());
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
        expect(sniffMediaType(bytes)).toBe(file.mediaType);
        return bytes;
      };

      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const task = pdfjs.getDocument({
        data: new Uint8Array(await read(files.pdf)),
        useWasm: false,
        verbosity: 0,
      });
      const text = await (await (await task.promise).getPage(1)).getTextContent();
      expect(text.items.map((i) => ('str' in i ? i.str : '')).join(' ')).toMatch(/[A-Za-z]{4,}/);
      await task.destroy();

      const png = await read(files.png);
      const width = png.readUInt32BE(16);
      const height = png.readUInt32BE(20);
      const idat = png.indexOf('IDAT');
      const pixels = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
      expect(pixels.length).toBe((width * 3 + 1) * height);

      const csv = (await read(files.csv)).toString('utf8').trim().split('\r\n');
      expect(csv.length).toBeGreaterThan(3);
      const [header, ...rows] = csv;
      expect(header?.split(',')).toContain('decision');
      for (const row of rows) expect(row.split(',')[0]).toBe(csv[1]?.split(',')[0]);
      expect(JSON.parse((await read(files.json)).toString('utf8'))).toBeTypeOf('object');
      expect((await read(files.text)).toString('utf8').length).toBeGreaterThan(50);
    });

    it('gives its evidence periods, and some files expiring, expired and superseded, covering most months', async () => {
      const officer = token(org, 'compliance_officer');
      const base = `/v1/orgs/${org}/envs/${env}/evidence`;
      for (const status of ['current', 'expiring', 'expired', 'superseded']) {
        const page = await call('GET', `${base}/catalog?status=${status}&limit=5`, officer);
        expect(page.evidence.length, `${org}/${env}: ${status}`).toBeGreaterThan(0);
        for (const e of page.evidence) expect(e.status).toBe(status);
      }
      const superseded = (await call('GET', `${base}/catalog?status=superseded&limit=1`, officer))
        .evidence[0];
      const newer = await call('GET', `${base}/${superseded.supersededBy}`, officer);
      expect(newer.supersedes).toBe(superseded.id);
      const coverage = await call('GET', `${base}/coverage`, officer);
      expect(coverage.months.filter((m: { files: number }) => m.files > 0).length).toBeGreaterThanOrEqual(2);
      expect(coverage.expiringNext.length).toBeGreaterThan(0);
    });

    it('has an API key inside its rotation grace', async () => {
      const { keys } = await call(
        'GET',
        `/v1/orgs/${org}/envs/${env}/api-keys`,
        token(org, 'compliance_officer'),
      );
      const inGrace = keys.find((k: { status: string }) => k.status === 'grace');
      expect(Date.parse(inGrace.graceUntil)).toBeGreaterThan(Date.now() + DAY_MS);
      expect(keys.find((k: { id: string }) => k.id === inGrace.replacedBy)?.status).toBe('active');
    });

    it('exports several hundred audit entries that verify offline, decisions signed by registered device keys', async () => {
      const bytes = await exportOf(org, env);
      const report = await verifyBytes(bytes, verifierKeys());
      expect(report.findings).toEqual([]);
      expect(report.verdict).toBe('verified');
      expect(report.entriesRead).toBeGreaterThanOrEqual(250);
      // Checkpoints signed during the history (the SIEM's daily exports) and the one covering this export.
      expect(report.checkpointsRead).toBeGreaterThanOrEqual(2);

      const lines = bytes.toString('utf8').trim().split('\n').slice(1);
      const entries = lines.filter((l) => l.startsWith('{"action"')).map((l) => JSON.parse(l));
      expect(entries).toHaveLength(report.entriesRead);
      const first = Date.parse(entries[0].ts);
      expect(Date.now() - first).toBeGreaterThan(55 * DAY_MS);
      const registered = new Map<string, string>();
      for (const e of entries.filter((x) => x.action === 'device_key.register')) {
        registered.set(e.change.after.publicKey, e.change.after.owner);
      }
      const decisions = entries.filter((e) => e.action === 'approval.decide');
      expect(decisions.length).toBeGreaterThanOrEqual(20);
      for (const entry of decisions) {
        const { statement, publicKey } = entry.change.after;
        expect(registered.get(publicKey), 'a key registered for the approver').toBe(entry.actor.id);
        expect(statement.requestId).toBe(entry.resource.id);
        const key = createPublicKey({
          key: Buffer.concat([
            Buffer.from('302a300506032b6570032100', 'hex'),
            Buffer.from(publicKey, 'base64'),
          ]),
          format: 'der',
          type: 'spki',
        });
        expect(
          verify(null, decisionStatementBytes(statement), key, Buffer.from(entry.signature.value, 'base64')),
        ).toBe(true);
      }
      expect(decisions.some((e) => e.change.after.statement.decision === 'reject')).toBe(true);
      const actions = new Set(entries.map((e) => e.action));
      for (const action of [
        'approval.comment',
        'approval.withdraw',
        'approval.expire',
        'evidence.upload',
        'audit.export',
      ]) {
        expect(actions, action).toContain(action);
      }
    });
  });

  it('leaves the compliance officer of acme work waiting in the yellow and red lanes of both environments', async () => {
    const officer = token('acme', 'compliance_officer');
    for (const env of ['test', 'live']) {
      for (const lane of ['yellow', 'red']) {
        const { requests } = await call(
          'GET',
          `/v1/orgs/acme/envs/${env}/approvals?mine=to-decide&lane=${lane}`,
          officer,
        );
        expect(requests.length, `${env} ${lane}`).toBeGreaterThan(0);
        for (const r of requests) expect(r.status).toBe('pending');
      }
    }
    // Some red requests already carry one approval and wait for the officer's second.
    const { requests } = await call(
      'GET',
      '/v1/orgs/acme/envs/live/approvals?mine=to-decide&lane=red',
      officer,
    );
    expect(requests.some((r: { approvals: number }) => r.approvals === 1)).toBe(true);
  });
});

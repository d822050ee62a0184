import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import { formatCheckpointBody, parseVerifierKey } from '../../../shared/audit/note';
import type { Finding, FindingClass, VerificationReport } from '../../../shared/audit/report';
import {
  appendEntries,
  type ExportParts,
  exportLog,
  joinExport,
  platformKeys,
  splitExport,
  tenantOf,
  verifyBytes,
} from '../../helpers/audit';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
let owner: string;
let valid: Buffer;
let parts: ExportParts;
let end: number;

beforeAll(async () => {
  platform = await startPlatform();
  owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
  // Real operations first, then volume, so the export spans several signed checkpoints.
  const created = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
    token: owner,
    body: { name: 'ledger sync', scopes: ['approvals:read'] },
  });
  await platform.call('POST', `/v1/orgs/acme/envs/live/api-keys/${created.json.key.id}/rotate`, {
    token: owner,
    body: { gracePeriodSeconds: 0 },
  });
  await platform.call('GET', '/v1/orgs/acme', { token: created.json.secret });
  await platform.call('PUT', `/v1/orgs/acme/members/${platform.user('acme', 'viewer').userId}/role`, {
    token: owner,
    body: { role: 'member' },
  });
  await appendEntries(platform, tenantOf(platform, 'acme', 'live'), 2500);
  valid = await exportLog(platform, owner, 'acme', 'live');
  parts = splitExport(valid);
  end = JSON.parse(parts.header).end;
});
afterAll(() => platform.stop());

const clone = (): ExportParts => ({
  header: parts.header,
  entries: [...parts.entries],
  checkpoints: [...parts.checkpoints],
});
const verify = (bytes: Uint8Array, options = {}) => verifyBytes(bytes, platformKeys(platform), options);
const of = (report: VerificationReport, kind: FindingClass): Finding[] =>
  report.findings.filter((f) => f.class === kind);
const seqOf = (line: string): number => JSON.parse(line).seq;

describe('a valid export', () => {
  it('is verified from start to end under the pinned key', async () => {
    expect(end).toBeGreaterThan(2500);
    expect(parts.checkpoints.length).toBeGreaterThanOrEqual(3);
    const report = await verify(valid);
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('verified');
    expect(report.requested).toEqual({ start: 0, end });
    expect(report.verified).toEqual({ start: 0, end });
    expect(report.latestVerified?.size).toBe(end);
    expect(report.keysUsed).toEqual([
      platform.ctx.auditKeys.verifierKeys[0]?.split('+').slice(0, 2).join('+'),
    ]);
  });

  it('records the operations that produced it, redacted of secrets', () => {
    const actions = parts.entries.map((l) => JSON.parse(l).action);
    for (const action of [
      'auth.sign_in',
      'api_key.create',
      'api_key.rotate',
      'api_key.use_refused',
      'member.role_change',
      'audit.export',
    ]) {
      expect(actions).toContain(action);
    }
    expect(valid.toString()).not.toMatch(/cck_live_[a-z2-7]{26}\.[A-Za-z0-9_-]{20,}/);
  });

  it('a later export proves it extends a checkpoint seen before', async () => {
    const earlier = (await verify(valid)).latestVerified;
    await appendEntries(platform, tenantOf(platform, 'acme', 'live'), 10);
    const later = await exportLog(platform, owner, 'acme', 'live');
    const report = await verify(later, { trusted: [earlier?.note] });
    expect(report.verdict).toBe('verified');
    expect(report.trusted).toEqual([{ size: earlier?.size, status: 'consistent' }]);
  });

  it('an export of a later range verifies from its prefix', async () => {
    const partial = await exportLog(platform, owner, 'acme', 'live', '?start=1500&end=2048');
    const report = await verify(partial);
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('verified');
    expect(report.verified).toEqual({ start: 1500, end: 2048 });
  });
});

describe('the tamper corpus: each finding class with its seq', () => {
  it('entry-modified, canonical edit: pinned to the window between two checkpoints', async () => {
    const t = clone();
    t.entries[1500] = (t.entries[1500] as string).replace('"lane":"yellow"', '"lane":"green"');
    const report = await verify(joinExport(t));
    expect(report.verdict).toBe('tampered');
    const [finding] = of(report, 'entry-modified');
    expect(finding?.window).toEqual({ start: 1024, end: 2048 });
    expect(report.verified).toEqual({ start: 0, end: 1024 });
  });

  it('entry-modified, hand edit: pinned to the exact seq', async () => {
    const t = clone();
    t.entries[1500] = (t.entries[1500] as string).replace('"lane":"yellow"', '"lane": "yellow"');
    const report = await verify(joinExport(t));
    expect(of(report, 'entry-modified')).toEqual([expect.objectContaining({ seq: 1500, line: 1502 })]);
  });

  it('entry-deleted: one finding per missing entry, two losses are two findings', async () => {
    const one = clone();
    one.entries.splice(700, 1);
    const r1 = await verify(joinExport(one));
    expect(of(r1, 'entry-deleted').map((f) => f.seq)).toEqual([700]);
    expect(of(r1, 'entry-modified')).toEqual([]);
    const two = clone();
    two.entries.splice(700, 2);
    const r2 = await verify(joinExport(two));
    expect(of(r2, 'entry-deleted').map((f) => f.seq)).toEqual([700, 701]);
    expect(r2.verdict).toBe('tampered');
  });

  it('entry-inserted: a duplicated entry is named by its seq', async () => {
    const t = clone();
    t.entries.splice(901, 0, t.entries[900] as string);
    const report = await verify(joinExport(t));
    expect(of(report, 'entry-inserted').map((f) => f.seq)).toEqual([900]);
    expect(of(report, 'entry-deleted')).toEqual([]);
  });

  it('reordered: two swapped entries are one reordering, not a loss and a gain', async () => {
    const t = clone();
    [t.entries[1200], t.entries[1201]] = [t.entries[1201] as string, t.entries[1200] as string];
    const report = await verify(joinExport(t));
    const reordered = of(report, 'reordered');
    expect(reordered).toHaveLength(1);
    expect([1200, 1201]).toContain(reordered[0]?.seq);
    expect(of(report, 'entry-deleted')).toEqual([]);
    expect(of(report, 'entry-inserted')).toEqual([]);
  });

  it('truncated: entries cut from the end are reported as the missing tail', async () => {
    const t = clone();
    t.entries.splice(-5, 5);
    const report = await verify(joinExport(t));
    expect(of(report, 'truncated')).toEqual([expect.objectContaining({ window: { start: end - 5, end } })]);
    expect(report.verdict).toBe('tampered');
  });

  it('bad-signature: a checkpoint whose signature does not verify', async () => {
    const t = clone();
    const last = t.checkpoints.length - 1;
    const note: string = JSON.parse(t.checkpoints[last] as string).checkpoint;
    const sigStart = note.lastIndexOf(' ') + 10;
    const forged = note.slice(0, sigStart) + (note[sigStart] === 'A' ? 'B' : 'A') + note.slice(sigStart + 1);
    t.checkpoints[last] = JSON.stringify({ checkpoint: forged });
    const report = await verify(joinExport(t));
    expect(of(report, 'bad-signature')).toHaveLength(1);
    expect(report.verdict).toBe('tampered');
  });

  it('unknown-key: checkpoints signed by a key the auditor did not pin leave the file unverifiable', async () => {
    const stranger = generateKeyPairSync('ed25519')
      .publicKey.export({ format: 'der', type: 'spki' })
      .subarray(-32);
    const { formatVerifierKey } = await import('../../../shared/audit/note');
    const key = parseVerifierKey(
      nodeAuditCrypto,
      formatVerifierKey(nodeAuditCrypto, 'someone-else', stranger),
    );
    const report = await verifyBytes(valid, key ? [key] : []);
    expect(of(report, 'unknown-key').length).toBe(parts.checkpoints.length);
    expect(report.verdict).toBe('unverifiable');
    expect(report.verified).toBeNull();
  });

  it('wrong-origin: another tenant’s log, and another tenant’s checkpoint spliced in', async () => {
    const report = await verify(valid, { expectedOrigin: 'compliance.localhost/audit/globex/live' });
    expect(of(report, 'wrong-origin')).toEqual([expect.objectContaining({ line: 1 })]);
    expect(report.verdict).toBe('tampered');

    await appendEntries(platform, tenantOf(platform, 'acme', 'test'), 3);
    const testEnv = splitExport(await exportLog(platform, owner, 'acme', 'test'));
    const t = clone();
    t.checkpoints.splice(0, 0, testEnv.checkpoints[0] as string);
    const spliced = await verify(joinExport(t));
    expect(of(spliced, 'wrong-origin')).toHaveLength(1);
    expect(spliced.verdict).toBe('tampered');
  });

  it('fork: a signed checkpoint seen before that this history does not extend, with both notes', async () => {
    const origin = JSON.parse(parts.header).origin;
    const otherHistory = platform.ctx.auditKeys.sign(
      formatCheckpointBody({ origin, size: 1024, root: new Uint8Array(32).fill(7) }),
    );
    const report = await verify(valid, { trusted: [otherHistory] });
    const forks = of(report, 'fork');
    expect(forks).toHaveLength(1);
    expect(forks[0]?.evidence).toHaveLength(2);
    expect(forks[0]?.evidence).toContain(otherHistory);
    expect(report.trusted).toEqual([{ size: 1024, status: 'fork' }]);

    const t = clone();
    t.checkpoints.splice(1, 0, JSON.stringify({ checkpoint: otherHistory }));
    const inFile = await verify(joinExport(t));
    expect(of(inFile, 'fork')).toEqual([
      expect.objectContaining({ evidence: expect.arrayContaining([otherHistory]) }),
    ]);
  });

  it('time-regression: an entry dated before the one it follows', async () => {
    const t = clone();
    const seq = seqOf(t.entries[1600] as string);
    t.entries[1600] = (t.entries[1600] as string).replace(/"ts":"[^"]+"/, '"ts":"2000-01-01T00:00:00.000Z"');
    const report = await verify(joinExport(t));
    expect(of(report, 'time-regression')).toEqual([expect.objectContaining({ seq })]);
  });

  it('malformed: a line that is not the format is named by its line number, without a crash', async () => {
    const t = clone();
    t.entries[300] = 'this is not json';
    const report = await verify(joinExport(t));
    expect(of(report, 'malformed')).toEqual([expect.objectContaining({ line: 302 })]);
    expect(report.verdict).toBe('tampered');
  });

  it('an unreadable header makes the input unusable', async () => {
    const report = await verify(Buffer.from('not an export\n'));
    expect(report.usable).toBe(false);
    expect(report.verdict).toBe('unverifiable');
  });
});

describe('random mutations', () => {
  it('thousands of random byte mutations of a valid export: none verified or throwing, each refused with a finding', async () => {
    const small = await startPlatform();
    try {
      const token = (await small.signIn(small.user('globex', 'owner'))).accessToken;
      await appendEntries(small, tenantOf(small, 'globex', 'test'), 40);
      const bytes = await exportLog(small, token, 'globex', 'test');
      const keys = platformKeys(small);
      expect((await verifyBytes(bytes, keys)).verdict).toBe('verified');
      let seed = 20261125;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      // What the verifier said of each mutation, counted from its reports: a refusal must give a reason.
      const kinds = ['replace', 'insert', 'delete'] as const;
      const said = Object.fromEntries(
        kinds.map((k) => [k, { tampered: 0, unverifiable: 0, withoutReason: 0 }]),
      ) as Record<(typeof kinds)[number], { tampered: number; unverifiable: number; withoutReason: number }>;
      for (let i = 0; i < 3000; i++) {
        const at = random(bytes.length);
        const kind = kinds[i % 3] as (typeof kinds)[number];
        let mutated: Buffer;
        if (kind === 'replace') {
          mutated = Buffer.from(bytes);
          mutated[at] = (bytes[at] as number) ^ (1 + random(255));
        } else if (kind === 'insert') {
          mutated = Buffer.concat([bytes.subarray(0, at), Buffer.of(random(256)), bytes.subarray(at)]);
        } else {
          mutated = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
        }
        if (mutated.equals(bytes)) throw new Error(`mutation ${i} (${kind} at ${at}) changed nothing`);
        const report = await verifyBytes(mutated, keys);
        if (report.verdict === 'verified') throw new Error(`mutation ${i} (${kind} at ${at}) was accepted`);
        said[kind][report.verdict]++;
        if (report.usable && report.findings.length === 0) said[kind].withoutReason++;
      }
      for (const kind of kinds) {
        const { tampered, unverifiable, withoutReason } = said[kind];
        expect([kind, tampered + unverifiable, withoutReason]).toEqual([kind, 1000, 0]);
        // Most single-byte changes land in entries, which the verifier must call tampered, not just unreadable.
        expect(tampered, kind).toBeGreaterThan(900);
      }
    } finally {
      await small.stop();
    }
  });
});

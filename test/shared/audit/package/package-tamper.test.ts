import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidencePath, MANIFEST_PATH, REFERENCES_PATH } from '../../../../shared/audit/package/format';
import type { PackageReport } from '../../../../shared/audit/package/package-report';
import { buildTestPackage, editLines, readPackage, writePackage } from '../../../helpers/package';
import { startPlatform, type TestPlatform } from '../../../helpers/platform';
import { buildScenario, type Scenario, verify } from './fixture';

let platform: TestPlatform;
let s: Scenario;

beforeAll(async () => {
  platform = await startPlatform();
  s = await buildScenario(platform);
});
afterAll(() => platform.stop());

let counter = 0;
/** The clean package with one change, written and verified. */
async function tampered(change: (files: Map<string, Buffer>) => void): Promise<PackageReport> {
  const files = await readPackage(s.clean);
  change(files);
  const file = join(s.dir, `tampered-${counter++}.zip`);
  await writePackage(files, file);
  return verify(s, file);
}

const decisionSeq = (files: Map<string, Buffer>, requestId: string): number => {
  const line = (files.get('log/export.jsonl') as Buffer)
    .toString()
    .split('\n')
    .find((l) => l.startsWith('{"action":"approval.decide"') && l.includes(requestId));
  return JSON.parse(line ?? '{}').seq;
};

describe('an audit package built from a real platform', () => {
  it('verifies when nothing was changed, with every decision, file and reference checked', async () => {
    const report = await verify(s, s.clean);
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('verified');
    expect(report.counts).toMatchObject({ decisions: 2, evidenceFiles: 2 });
    expect(report.counts.references).toBeGreaterThanOrEqual(4);
    expect(report.packageSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.period?.start).toBeGreaterThan(0);
  });

  it('finds an evidence file with one byte changed, pinned to its request and entry', async () => {
    const report = await tampered((files) => {
      const path = evidencePath(s.evidence.e1);
      const bytes = Buffer.from(files.get(path) as Buffer);
      bytes[3] = (bytes[3] as number) ^ 1;
      files.set(path, bytes);
    });
    expect(report.verdict).toBe('tampered');
    const found = report.findings.filter((f) => f.class === 'evidence-modified');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ request: s.requests.r1, path: evidencePath(s.evidence.e1) });
    expect(found[0]?.seq).toEqual(expect.any(Number));
  });

  it('finds evidence swapped between two requests on both', async () => {
    const report = await tampered((files) => {
      const a = evidencePath(s.evidence.e1);
      const b = evidencePath(s.evidence.e2);
      const first = files.get(a) as Buffer;
      files.set(a, files.get(b) as Buffer);
      files.set(b, first);
    });
    const found = report.findings.filter((f) => f.class === 'evidence-modified');
    expect(found.map((f) => f.request).sort()).toEqual([s.requests.r1, s.requests.r2].sort());
    expect(report.verdict).toBe('tampered');
  });

  it('finds a decision whose signature was altered', async () => {
    let seq = -1;
    const report = await tampered((files) => {
      seq = decisionSeq(files, s.requests.r1);
      files.set(
        'log/export.jsonl',
        editLines(files.get('log/export.jsonl') as Buffer, (line) =>
          line.includes(`"seq":${seq},`)
            ? line.replace(/"value":"(.)/, (_m, c) => `"value":"${c === 'A' ? 'B' : 'A'}`)
            : line,
        ),
      );
    });
    expect(report.findings).toContainEqual(
      expect.objectContaining({ class: 'decision-signature-bad', request: s.requests.r1, seq }),
    );
    expect(report.verdict).toBe('tampered');
  });

  it('finds a decision whose signed statement was altered', async () => {
    let seq = -1;
    const report = await tampered((files) => {
      seq = decisionSeq(files, s.requests.r2);
      files.set(
        'log/export.jsonl',
        editLines(files.get('log/export.jsonl') as Buffer, (line) =>
          line.includes(`"seq":${seq},`) ? line.replace('"decision":"approve"', '"decision":"reject"') : line,
        ),
      );
    });
    expect(report.findings).toContainEqual(
      expect.objectContaining({ class: 'decision-signature-bad', request: s.requests.r2, seq }),
    );
  });

  it("finds a decision whose device key's registration was taken out of the references", async () => {
    const report = await tampered((files) => {
      const references = JSON.parse((files.get(REFERENCES_PATH) as Buffer).toString());
      references.entries = references.entries.filter(
        (e: { entry: string }) =>
          !(e.entry.includes('device_key.register') && e.entry.includes(s.devices.officer)),
      );
      files.set(REFERENCES_PATH, Buffer.from(JSON.stringify(references)));
    });
    expect(report.findings).toContainEqual(
      expect.objectContaining({ class: 'device-key-unknown', request: s.requests.r1 }),
    );
    expect(report.verdict).not.toBe('verified');
  });

  it('finds a manifest line edited', async () => {
    const report = await tampered((files) => {
      files.set(
        MANIFEST_PATH,
        editLines(files.get(MANIFEST_PATH) as Buffer, (line) =>
          line.includes('"path":"log/export.jsonl"')
            ? line.replace(/"size":(\d+)/, (_m, n) => `"size":${Number(n) + 1}`)
            : line,
        ),
      );
    });
    expect(report.findings).toEqual([
      expect.objectContaining({ class: 'manifest-mismatch', path: 'log/export.jsonl' }),
    ]);
    expect(report.verdict).toBe('tampered');
  });

  it('finds a file the manifest does not list, and one it lists that is gone', async () => {
    const report = await tampered((files) => {
      files.set(evidencePath('0'.repeat(64)), Buffer.from('extra'));
      files.delete(evidencePath(s.evidence.e2));
    });
    const mismatches = report.findings.filter((f) => f.class === 'manifest-mismatch').map((f) => f.path);
    expect(mismatches).toEqual(
      expect.arrayContaining([evidencePath('0'.repeat(64)), evidencePath(s.evidence.e2)]),
    );
    expect(report.findings).toContainEqual(
      expect.objectContaining({ class: 'evidence-missing', request: s.requests.r2 }),
    );
  });

  it('finds a decision by a device key revoked before it, and one by a person whose role may not decide', async () => {
    const report = await verify(s, s.crafted);
    expect(report.findings).toHaveLength(2);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        class: 'device-key-revoked',
        request: s.requests.revoked,
        seq: expect.any(Number),
      }),
    );
    expect(report.findings).toContainEqual(
      expect.objectContaining({ class: 'decider-not-authorized', request: s.requests.unauthorized }),
    );
    expect(report.verdict).toBe('tampered');
    // The third decision, a break-glass co-signature under the pinned audit key, checks out.
    expect(report.counts.decisions).toBe(3);
    // The log itself is intact: the platform signed these entries; only the rules were broken.
    expect(report.log?.verdict).toBe('verified');
  });

  it('finds a break-glass co-signature whose reason was altered', async () => {
    const files = await readPackage(s.crafted);
    files.set(
      'log/export.jsonl',
      editLines(files.get('log/export.jsonl') as Buffer, (line) =>
        line.startsWith('{"action":"approval.break_glass"') ? line.replace('by phone', 'by mail!') : line,
      ),
    );
    const file = join(s.dir, 'break-glass.zip');
    await writePackage(files, file);
    const report = await verify(s, file);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        class: 'decision-signature-bad',
        message: expect.stringContaining('comment'),
      }),
    );
  });
});

describe("a closed access-review campaign's evidence pack in the package of its period", () => {
  const DAY = 24 * 3600_000;
  let campaignId: string;
  let pack: { sha256: string }[];
  const packages = { test: '', live: '' };

  beforeAll(async () => {
    const token = async (role: 'owner' | 'admin' | 'auditor') =>
      (await platform.signIn(platform.user('acme', role))).accessToken;
    platform.clock.advance(1000);
    const from = new Date(platform.clock.now()).toISOString();
    platform.clock.advance(1000);
    const started = await platform.call('POST', '/v1/orgs/acme/reviews', {
      token: await token('admin'),
      body: {
        title: 'Q4 members',
        covers: ['members'],
        reviewers: [
          platform.user('acme', 'compliance_officer').userId,
          platform.user('acme', 'admin').userId,
        ],
        deadline: new Date(platform.clock.now() + 3 * DAY).toISOString(),
      },
    });
    if (started.status !== 201) throw new Error(`campaign refused: ${started.text}`);
    campaignId = started.json.id;
    const closed = await platform.call('POST', `/v1/orgs/acme/reviews/${campaignId}/close`, {
      token: await token('owner'),
    });
    if (closed.status !== 200) throw new Error(`close refused: ${closed.text}`);
    const served = await platform.call('GET', `/v1/orgs/acme/reviews/${campaignId}/pack`, {
      token: await token('auditor'),
    });
    pack = served.json.pack.files;
    platform.clock.advance(1000);
    const to = new Date(platform.clock.now()).toISOString();
    platform.clock.advance(1000);
    // The pack is stored in live; the entry is in both logs, so both environments' packages carry it.
    for (const environment of ['test', 'live'] as const) {
      packages[environment] = join(s.dir, `campaign-${environment}.zip`);
      await buildTestPackage(
        platform,
        await token('auditor'),
        { organization: 'acme', environment },
        { from, to },
        packages[environment],
      );
    }
  });

  const closeSeq = (files: Map<string, Buffer>): number => {
    const line = (files.get('log/export.jsonl') as Buffer)
      .toString()
      .split('\n')
      .find((l) => l.startsWith('{"action":"review.close"') && l.includes(campaignId));
    return JSON.parse(line ?? '{}').seq;
  };

  it('holds both pack files (CSV and JSON) and verifies, in the test and in the live package', async () => {
    expect(pack).toHaveLength(2);
    for (const file of [packages.test, packages.live]) {
      const files = await readPackage(file);
      for (const { sha256 } of pack) expect(files.has(evidencePath(sha256))).toBe(true);
      expect(closeSeq(files)).toEqual(expect.any(Number));
      const report = await verify(s, file);
      expect(report.findings).toEqual([]);
      expect(report.verdict).toBe('verified');
      expect(report.counts.evidenceFiles).toBe(2);
    }
  });

  it('finds a pack file with one byte changed, pinned to the campaign and its review.close entry', async () => {
    const files = await readPackage(packages.test);
    const seq = closeSeq(files);
    const path = evidencePath((pack[0] as { sha256: string }).sha256);
    const bytes = Buffer.from(files.get(path) as Buffer);
    bytes[0] = (bytes[0] as number) ^ 1;
    files.set(path, bytes);
    const file = join(s.dir, 'campaign-tampered.zip');
    await writePackage(files, file);
    const report = await verify(s, file);
    expect(report.findings).toEqual([
      expect.objectContaining({ class: 'evidence-modified', request: campaignId, seq, path }),
    ]);
    expect(report.verdict).toBe('tampered');
  });

  it('finds a pack file taken out of the package as missing, pinned to the campaign', async () => {
    const files = await readPackage(packages.live);
    const seq = closeSeq(files);
    const path = evidencePath((pack[1] as { sha256: string }).sha256);
    files.delete(path);
    const file = join(s.dir, 'campaign-missing.zip');
    await writePackage(files, file);
    const report = await verify(s, file);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ class: 'evidence-missing', request: campaignId, seq, path }),
    );
    expect(report.verdict).not.toBe('verified');
  });
});

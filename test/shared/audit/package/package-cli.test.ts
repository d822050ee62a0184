import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidencePath } from '../../../../shared/audit/package/format';
import { readPackage, writePackage } from '../../../helpers/package';
import { startPlatform, type TestPlatform } from '../../../helpers/platform';
import { buildScenario, type Scenario } from './fixture';

const BIN = 'shared/audit/cli/compliance-verify.mjs';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', [BIN, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr });
    });
  });
}

let platform: TestPlatform;
let s: Scenario;
let key: string;
let modified: string;

beforeAll(async () => {
  platform = await startPlatform();
  s = await buildScenario(platform);
  key = platform.ctx.auditKeys.current.verifierKey;
  const files = await readPackage(s.clean);
  const path = evidencePath(s.evidence.e2);
  files.set(path, Buffer.concat([files.get(path) as Buffer, Buffer.from(' ')]));
  modified = join(s.dir, 'modified.zip');
  await writePackage(files, modified);
});
afterAll(() => platform.stop());

describe('npx compliance-verify on an audit package', () => {
  it('tells a package by its ZIP signature and exits 0 when it verifies', async () => {
    const result = await cli([s.clean, '--key', key, '--sample', '2']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^VERIFIED: .*\(audit package\)/);
    expect(result.stdout).toMatch(/sample\s+2 of 2 requests/);
    expect(result.stdout).toContain(s.requests.r1);
  });

  it('exits 1 and names the finding with its request for a tampered package', async () => {
    const result = await cli([modified, '--key', key]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^TAMPERED: /);
    expect(result.stdout).toMatch(new RegExp(`evidence-modified\\s+${s.requests.r2} seq \\d+`));
  });

  it('prints one JSON object with --json, and writes the CSV and HTML reports', async () => {
    const csv = join(s.dir, 'findings.csv');
    const html = join(s.dir, 'report.html');
    const result = await cli([
      modified,
      '--key',
      key,
      '--json',
      '--sample',
      '1',
      '--csv',
      csv,
      '--html',
      html,
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ kind: 'package', verdict: 'tampered', usable: true });
    expect(report.sample.requests).toHaveLength(1);
    const rows = readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(rows[0]).toMatch(/^"class","request","seq"/);
    expect(rows[1]).toContain('"evidence-modified"');
    expect(rows[1]).toContain(report.packageSha256);
    expect(rows[1]).toContain(report.sample.seed);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain(report.packageSha256);
    expect(page).not.toMatch(/<script|https?:\/\//);
  });

  it('exits 2 for a file that is a ZIP but no package, and for options a package does not take', async () => {
    const broken = join(s.dir, 'broken.zip');
    writeFileSync(broken, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]));
    const result = await cli([broken, '--key', key, '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).usable).toBe(false);
    expect((await cli([s.clean, '--key', key, '--sample', '0'])).code).toBe(2);
  });
});

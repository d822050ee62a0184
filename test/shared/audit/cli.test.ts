import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEntries, exportLog, joinExport, splitExport, tenantOf } from '../../helpers/audit';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

const BIN = 'shared/audit/cli/compliance-verify.mjs';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', [BIN, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr });
    });
  });
}

let platform: TestPlatform;
let key: string;
let validFile: string;
let tamperedFile: string;
let trustedFile: string;

beforeAll(async () => {
  platform = await startPlatform();
  const token = (await platform.signIn(platform.user('acme', 'auditor'))).accessToken;
  await appendEntries(platform, tenantOf(platform, 'acme', 'live'), 50);
  const bytes = await exportLog(platform, token, 'acme', 'live');
  key = platform.ctx.auditKeys.current.verifierKey;
  validFile = join(platform.dataDir, 'valid.jsonl');
  writeFileSync(validFile, bytes);
  const parts = splitExport(bytes);
  trustedFile = join(platform.dataDir, 'trusted.jsonl');
  writeFileSync(trustedFile, `${parts.checkpoints[parts.checkpoints.length - 1]}\n`);
  parts.entries.splice(10, 1);
  tamperedFile = join(platform.dataDir, 'tampered.jsonl');
  writeFileSync(tamperedFile, joinExport(parts));
});
afterAll(() => platform.stop());

describe('npx compliance-verify', () => {
  it('exits 0 with a short report for a valid export', async () => {
    const result = await cli([validFile, '--key', key]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^VERIFIED: /);
    expect(result.stdout.split('\n').length).toBeLessThan(12);
  });

  it('exits 1 and names the finding for a tampered export', async () => {
    const result = await cli([tamperedFile, '--key', key]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^TAMPERED: /);
    expect(result.stdout).toMatch(/entry-deleted\s+seq 10/);
  });

  it('prints the report as one JSON object with --json', async () => {
    const result = await cli([tamperedFile, '--key', key, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.verdict).toBe('tampered');
    expect(report.findings[0]).toEqual(expect.objectContaining({ class: 'entry-deleted', seq: 10 }));
  });

  it('reads keys from a file and checks a trusted checkpoint', async () => {
    const keyFile = join(platform.dataDir, 'keys.txt');
    writeFileSync(keyFile, `${key}\n`);
    const result = await cli([validFile, '--key-file', keyFile, '--trusted', trustedFile, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).trusted[0].status).toBe('consistent');
  });

  it('exits 2 for unusable input: no key, a bad key, a missing file, a file that is not an export', async () => {
    const notExport = join(platform.dataDir, 'not-an-export.txt');
    writeFileSync(notExport, 'hello\n');
    for (const args of [
      [validFile],
      [validFile, '--key', 'nonsense'],
      ['/nonexistent/file', '--key', key],
      [notExport, '--key', key],
      [],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr + result.stdout).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServices, createConsoleServices } from '../../../../electron/services/console-services';
import { type HeadlessHost, startHeadlessHost } from '../../../../electron/services/host/headless-host';
import { Vault } from '../../../../electron/services/vault/vault';
import { verificationReportHtml } from '../../../../shared/audit/report-html';
import type { ContractReply } from '../../../../shared/contract/contract';
import {
  appendEntries,
  appendLargeEntries,
  exportLog,
  joinExport,
  splitExport,
  tenantOf,
} from '../../../helpers/audit';
import { valueIn } from '../../../helpers/contract';
import { startPlatform, type TestPlatform } from '../../../helpers/platform';

const vault = new Vault(keytar, `cc-test-export-verification-${process.pid}`);
let platform: TestPlatform;
let services: ConsoleServices;
let host: HeadlessHost;
let exportBytes: Buffer;
let auditorToken: string;
let keys: string[];
const progress: { task: string; done: number; total: number }[] = [];

beforeAll(async () => {
  platform = await startPlatform();
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-console-'));
  services = createConsoleServices({ dataDir, vault, now: () => platform.clock.now() });
  services.events.subscribe((name, payload) => {
    if (name === 'progress') progress.push(payload as (typeof progress)[number]);
  });
  host = await startHeadlessHost({ rendererDir: dataDir, services });
  await appendEntries(platform, tenantOf(platform, 'acme', 'test'), 3000);
  auditorToken = (await platform.signIn(platform.user('acme', 'auditor'))).accessToken;
  exportBytes = await exportLog(platform, auditorToken, 'acme', 'test');
  keys = platform.ctx.auditKeys.verifierKeys;
});
afterAll(async () => {
  await host.close();
  await services.close();
  await platform.stop();
});

const secret = () => new URL(host.url).hash.slice(3);

async function upload(name: string, bytes: Buffer): Promise<ContractReply> {
  const response = await fetch(`${host.origin}/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { origin: host.origin, 'content-type': 'application/octet-stream', 'x-cc-launch': secret() },
    body: new Uint8Array(bytes),
  });
  return response.json();
}

describe('offline verification of an export in the console', () => {
  it('verifies an uploaded export in a worker with progress, and reports the file hash, key and time', async () => {
    const file = valueIn(await upload('acme-test.jsonl', exportBytes));
    expect(file).toMatchObject({ name: 'acme-test.jsonl', size: exportBytes.length });
    expect(file).not.toHaveProperty('path');
    const result = valueIn(
      await services.dispatcher.dispatch('audit.verifyExport', {
        taskId: 'verify-good-1',
        fileId: file.fileId,
        keys,
      }),
    );
    expect(result.report.verdict).toBe('verified');
    expect(result.report.findings).toEqual([]);
    expect(result.fileSha256).toBe(createHash('sha256').update(exportBytes).digest('hex'));
    expect(result.report.keysUsed.length).toBeGreaterThan(0);
    expect(progress.filter((p) => p.task === 'verify-good-1').at(-1)).toMatchObject({
      total: exportBytes.length,
    });

    const html = verificationReportHtml(result);
    expect(html).toContain('Verified: the file is an untampered part of the log');
    expect(html).toContain(result.fileSha256);
    expect(html).toContain(result.verifiedAt);
    expect(html).not.toContain('<script');
  });

  it('pins a changed entry of a tampered copy to its seq', async () => {
    const parts = splitExport(exportBytes);
    const target = 1234;
    const line = parts.entries[target] ?? '';
    parts.entries[target] = line.replace('quarterly controls', 'quarterly c0ntrols');
    expect(parts.entries[target]).not.toBe(line);
    const file = valueIn(await upload('tampered.jsonl', joinExport(parts)));
    const result = valueIn(
      await services.dispatcher.dispatch('audit.verifyExport', {
        taskId: 'verify-bad-1',
        fileId: file.fileId,
        keys,
      }),
    );
    expect(result.report.verdict).toBe('tampered');
    const finding = result.report.findings.find((f: { class: string }) => f.class === 'entry-modified');
    expect(finding).toBeDefined();
    expect(finding.seq ?? finding.window.start).toBeLessThanOrEqual(target);
    expect(finding.seq ?? finding.window.end - 1).toBeGreaterThanOrEqual(target);
    expect(verificationReportHtml(result)).toContain('Tampered');
  });

  it('answers a file that is not an export as unverifiable, and an unknown file id as not-found', async () => {
    const file = valueIn(await upload('notes.txt', Buffer.from('hello\n')));
    const result = valueIn(
      await services.dispatcher.dispatch('audit.verifyExport', {
        taskId: 'verify-junk-1',
        fileId: file.fileId,
        keys,
      }),
    );
    expect(result.report).toMatchObject({ verdict: 'unverifiable', usable: false });
    const missing = await services.dispatcher.dispatch('audit.verifyExport', {
      taskId: 'verify-none-1',
      fileId: 'A'.repeat(22),
      keys,
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('cancels a verification part-way: the report says cancelled, with fewer entries read than the file holds, and no hash', async () => {
    // About 20 MB: read in 1 MiB chunks, the first progress event comes long before the end of the file.
    await appendLargeEntries(platform, tenantOf(platform, 'acme', 'live'), 2500, 8000);
    const big = await exportLog(platform, auditorToken, 'acme', 'live');
    const entries = splitExport(big).entries.length;
    expect(big.length).toBeGreaterThan(16 * 1024 * 1024);
    const file = valueIn(await upload('cancel.jsonl', big));
    const taskId = 'verify-cancel-1';
    let cancelling: Promise<ContractReply> | undefined;
    // Cancelled once the worker has said it is reading, not raced against its start.
    const stop = services.events.subscribe((name, payload) => {
      const { task, done } = payload as (typeof progress)[number];
      if (name === 'progress' && task === taskId && done > 0)
        cancelling ??= services.dispatcher.dispatch('audit.cancel', { taskId });
    });
    const result = valueIn(
      await services.dispatcher.dispatch('audit.verifyExport', { taskId, fileId: file.fileId, keys }),
    );
    stop();
    if (!cancelling) throw new Error('the verification reported no progress');
    expect(valueIn(await cancelling)).toEqual({ cancelled: true });
    expect(result.report).toMatchObject({ cancelled: true, verdict: 'unverifiable' });
    expect(result.report.entriesRead).toBeLessThan(entries);
    expect(result.fileSha256).toBeNull();
    expect(progress.filter((p) => p.task === taskId).at(-1)?.done).toBeLessThan(big.length);
  });

  it('refuses uploads without the launch secret', async () => {
    const response = await fetch(`${host.origin}/files?name=x`, {
      method: 'POST',
      headers: { origin: host.origin, 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(response.status).toBe(401);
  });
});

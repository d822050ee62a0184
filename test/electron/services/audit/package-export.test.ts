import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartialFiles } from '../../../../electron/services/audit/partial-files';
import { type ConsoleServices, createConsoleServices } from '../../../../electron/services/console-services';
import { Vault } from '../../../../electron/services/vault/vault';
import { rotateAuditSigningKey } from '../../../../platform/audit/key-rotation';
import { nodeAuditCrypto } from '../../../../shared/audit/node-crypto';
import { parseVerifierKey, type VerifierKey } from '../../../../shared/audit/note';
import { verifyPackage } from '../../../../shared/audit/package/verify-package';
import { decide, registerDevice } from '../../../helpers/approvals';
import { appendLargeEntries, tenantOf } from '../../../helpers/audit';
import { valueIn } from '../../../helpers/contract';
import { startPlatform, type TestPlatform } from '../../../helpers/platform';

const vault = new Vault(keytar, `cc-test-package-export-${process.pid}`);
let platform: TestPlatform;
let services: ConsoleServices;
let dataDir: string;
let profile: { platformOrigin: string; principalId: string };
let pinned: VerifierKey;
let pinnedText: string;
const tenant = { organization: 'acme', environment: 'live' } as const;
const progress: { task: string; done: number; total: number }[] = [];
let period: { from: string; to: string };
let requestId: string;

const iso = () => new Date(platform.clock.now()).toISOString();

/** Where the headless host saves: a name in the console's own folder, as its save picker asks. */
async function target(name: string, purpose: 'audit-package' | 'audit-log' = 'audit-package') {
  return valueIn(await services.dispatcher.dispatch('files.saveInFolder', { purpose, name })).target.saveId;
}

beforeAll(async () => {
  platform = await startPlatform();
  dataDir = mkdtempSync(join(tmpdir(), 'cc-console-'));
  services = createConsoleServices({ dataDir, vault, now: () => platform.clock.now() });
  services.events.subscribe((name, payload) => {
    if (name === 'progress') progress.push(payload as (typeof progress)[number]);
  });
  // The auditor pins the first key; the package must carry the announcement of the one that signs it.
  pinnedText = platform.ctx.auditKeys.current.verifierKey;
  pinned = parseVerifierKey(nodeAuditCrypto, pinnedText) as VerifierKey;
  await rotateAuditSigningKey(platform.ctx);
  const officer = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
  const member = (await platform.signIn(platform.user('acme', 'member'))).accessToken;
  const device = await registerDevice(platform, officer);
  platform.clock.advance(1000);
  const from = iso();
  platform.clock.advance(1000);
  const upload = await platform.call('POST', '/v1/orgs/acme/envs/live/evidence?name=review.txt', {
    token: member,
    rawBody: 'Access review Q4: 14 accounts, 2 removed\n',
    headers: { 'content-type': 'application/octet-stream' },
  });
  const raised = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
    token: member,
    body: {
      kind: 'custom.access_review',
      title: 'Q4 review',
      payload: { q: 4 },
      evidenceIds: [upload.json.id],
    },
  });
  requestId = raised.json.id;
  const decided = await decide(
    platform,
    officer,
    device,
    '/v1/orgs/acme/envs/live/approvals',
    raised.json,
    'approve',
  );
  if (decided.status !== 200) throw new Error(decided.text);
  platform.clock.advance(1000);
  period = { from, to: iso() };
  platform.clock.advance(1000);
  // An auditor's API key of the live environment: what the package needs, and nothing more.
  const admin = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
  const key = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
    token: admin,
    body: { name: 'auditor', scopes: ['audit:read', 'audit:export', 'evidence:read'] },
  });
  profile = valueIn(
    await services.dispatcher.dispatch('session.signInWithApiKey', {
      platformUrl: platform.url,
      apiKey: key.json.secret,
    }),
  ).profile;
});
afterAll(async () => {
  for (const p of await vault.profiles()) await vault.deleteProfile(p);
  await services.close();
  // The cancelled export's socket stays open on the platform's side for a while (a plain fetch aborted
  // mid-body does the same): closed here so that the server's close does not wait for it.
  platform.app.server.closeAllConnections();
  await platform.stop();
});

describe('audit.exportPackage', () => {
  it('saves a package that verifies offline with the key pinned before a rotation, with progress', async () => {
    const taskId = 'package-task-1';
    const saved = valueIn(
      await services.dispatcher.dispatch('audit.exportPackage', {
        profile,
        tenant,
        taskId,
        ...period,
        target: await target('q4.zip'),
      }),
    );
    expect(saved.outcome).toBe('saved');
    expect(saved.manifest).toMatchObject({
      format: 'cc-audit-package/1',
      organization: 'acme',
      environment: 'live',
    });
    expect(saved.missingEvidence).toEqual([]);
    expect(progress.some((p) => p.task === taskId && p.done > 0)).toBe(true);
    const path = services.files.get(saved.file.fileId)?.path as string;
    const report = await verifyPackage(path, { crypto: nodeAuditCrypto, keys: [pinned], sample: 3 });
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('verified');
    expect(report.packageSha256).toBe(saved.sha256);
    expect(report.counts).toMatchObject({ decisions: 1, evidenceFiles: 1, announcedKeys: 1 });
    expect(report.sample?.requests.map((r) => r.requestId)).toEqual([requestId]);
  });

  it('leaves nothing behind when cancelled', async () => {
    await appendLargeEntries(platform, tenantOf(platform, 'acme', 'live'), 400, 60_000);
    const to = iso();
    platform.clock.advance(1000);
    const taskId = 'package-task-2';
    let cancelling: Promise<unknown> | undefined;
    const unsubscribe = services.events.subscribe((name, payload) => {
      if (name === 'progress' && (payload as { task: string }).task === taskId)
        cancelling ??= services.dispatcher.dispatch('audit.cancel', { taskId });
    });
    const result = valueIn(
      await services.dispatcher.dispatch('audit.exportPackage', {
        profile,
        tenant,
        taskId,
        from: period.from,
        to,
        target: await target('cancelled.zip'),
      }),
    );
    unsubscribe();
    expect(result).toEqual({ outcome: 'cancelled' });
    expect(valueIn((await cancelling) as never)).toEqual({ cancelled: true });
    // Only the first test's package: no temporary file, no second package.
    expect(readdirSync(join(dataDir, 'saved'))).toEqual(['q4.zip']);
  });

  it('refuses a period that has not started, and removes what a crash left half-written', async () => {
    const future = new Date(platform.clock.now() + 3_600_000).toISOString();
    const later = new Date(platform.clock.now() + 7_200_000).toISOString();
    const refused = await services.dispatcher.dispatch('audit.exportPackage', {
      profile,
      tenant,
      taskId: 'package-task-3',
      from: future,
      to: later,
      target: await target('future.zip'),
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const partials = new PartialFiles(dataDir);
    const left = partials.begin(join(dataDir, 'saved', 'crashed.zip'));
    writeFileSync(left, 'half a package');
    new PartialFiles(dataDir).sweep();
    expect(existsSync(left)).toBe(false);
  });
});

describe("the console's save picker without a dialog (headless host)", () => {
  it("takes a plain name with the purpose's extension, says when it is taken, and replaces only when told", async () => {
    for (const name of ['../escape.zip', '.hidden.zip', 'sub/dir.zip', 'report.html'])
      expect(
        await services.dispatcher.dispatch('files.saveInFolder', { purpose: 'audit-package', name }),
      ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(
      await services.dispatcher.dispatch('files.saveInFolder', { purpose: 'audit-package', name: 'q4.zip' }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const replaced = await services.dispatcher.dispatch('files.saveInFolder', {
      purpose: 'audit-package',
      name: 'q4.zip',
      replace: true,
    });
    expect(replaced).toMatchObject({ ok: true, value: { target: { name: 'q4.zip' } } });
    const listed = valueIn(await services.dispatcher.dispatch('files.savedFolder', {}));
    expect(listed.files.map((f: { name: string }) => f.name)).toContain('q4.zip');
    expect(
      await services.dispatcher.dispatch('files.chooseSave', {
        purpose: 'audit-package',
        suggestedName: 'x.zip',
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('ends a period that reaches past now at now: the package says so and verifies', async () => {
    const saved = valueIn(
      await services.dispatcher.dispatch('audit.exportPackage', {
        profile,
        tenant,
        taskId: 'package-task-now',
        from: period.from,
        to: new Date(platform.clock.now() + 86_400_000).toISOString(),
        target: await target('through-today.zip'),
      }),
    );
    if (saved.outcome !== 'saved') throw new Error('not saved');
    expect(Date.parse(saved.manifest.period.to)).toBeLessThanOrEqual(platform.clock.now());
    const path = services.files.get(saved.file.fileId)?.path as string;
    const report = await verifyPackage(path, { crypto: nodeAuditCrypto, keys: [pinned] });
    expect(report.verdict).toBe('verified');
  });

  it('uses a chosen place once: a second export with the same save id is refused', async () => {
    const saveId = await target('once.jsonl', 'audit-log');
    const first = valueIn(
      await services.dispatcher.dispatch('audit.exportLog', {
        profile,
        tenant,
        taskId: 'log-task-once',
        ...period,
        target: saveId,
      }),
    );
    expect(first.outcome).toBe('saved');
    expect(
      await services.dispatcher.dispatch('audit.exportLog', {
        profile,
        tenant,
        taskId: 'log-task-twice',
        ...period,
        target: saveId,
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('verifying what the console saved, with the reports beside it', () => {
  it('exports the log for the period, verifies it, and writes the HTML and CSV reports beside it', async () => {
    const saved = valueIn(
      await services.dispatcher.dispatch('audit.exportLog', {
        profile,
        tenant,
        taskId: 'log-task-1',
        ...period,
        target: await target('q4-log.jsonl', 'audit-log'),
      }),
    );
    if (saved.outcome !== 'saved') throw new Error('not saved');
    expect(saved.range.end).toBeGreaterThan(saved.range.start);
    const verified = valueIn(
      await services.dispatcher.dispatch('audit.verifyExport', {
        taskId: 'log-verify-1',
        fileId: saved.file.fileId,
        keys: [pinnedText, platform.ctx.auditKeys.current.verifierKey],
      }),
    );
    expect(verified.report.verdict).toBe('verified');
    expect(verified.fileSha256).toBe(saved.sha256);
    expect(verified.reports?.html.name).toBe('q4-log.report.html');
    expect(verified.reports?.csv.name).toBe('q4-log.findings.csv');
    const csv = readFileSync(join(dataDir, 'saved', 'q4-log.findings.csv'), 'utf8');
    expect(csv.split('\r\n')[1]).toMatch(/^"none","","","","no findings","q4-log.jsonl","[0-9a-f]{64}"/);
  });

  it('verifies a saved package with a sample, saves its reports beside it, and opens the HTML report as a page of its own', async () => {
    const saved = valueIn(
      await services.dispatcher.dispatch('audit.exportPackage', {
        profile,
        tenant,
        taskId: 'package-task-4',
        ...period,
        target: await target('q4-sampled.zip'),
      }),
    );
    if (saved.outcome !== 'saved') throw new Error('not saved');
    const verified = valueIn(
      await services.dispatcher.dispatch('audit.verifyPackage', {
        taskId: 'package-verify-1',
        fileId: saved.file.fileId,
        keys: [pinnedText],
        sample: 5,
      }),
    );
    expect(verified.report.verdict).toBe('verified');
    expect(verified.report.packageSha256).toBe(saved.sha256);
    expect(verified.report.sample?.requests.map((r: { requestId: string }) => r.requestId)).toEqual([
      requestId,
    ]);
    const html = verified.reports?.html;
    if (!html) throw new Error('no report');
    expect(readFileSync(join(dataDir, 'saved', 'q4-sampled.report.html'), 'utf8')).toContain(saved.sha256);
    expect(readFileSync(join(dataDir, 'saved', 'q4-sampled.findings.csv'), 'utf8')).toContain(saved.sha256);
    expect(valueIn(await services.dispatcher.dispatch('audit.openReport', { fileId: html.fileId }))).toEqual({
      opened: 'page',
      url: `/reports/${html.fileId}`,
    });
    // The package itself is no report: the report page shows nothing but what a verification wrote.
    expect(
      await services.dispatcher.dispatch('audit.openReport', { fileId: saved.file.fileId }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

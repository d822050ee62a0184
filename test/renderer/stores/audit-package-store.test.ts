import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServices, createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import { createAuditExportStore } from '../../../renderer/stores/audit-export-store';
import {
  type AuditPackageStore,
  createAuditPackageStore,
  periodOf,
  suggestedName,
} from '../../../renderer/stores/audit-package-store';
import { createSessionStore } from '../../../renderer/stores/session-store';
import { decide, registerDevice } from '../../helpers/approvals';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, waitFor } from '../../helpers/renderer-stores';

const vault = new Vault(keytar, `cc-test-package-store-${process.pid}`);
let platform: TestPlatform;
let services: ConsoleServices;
let dataDir: string;
let store: AuditPackageStore;
let client: ReturnType<typeof bridgeClient>;
let session: ReturnType<typeof createSessionStore>;
let requestId: string;

beforeAll(async () => {
  platform = await startPlatform();
  const officer = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
  const member = (await platform.signIn(platform.user('acme', 'member'))).accessToken;
  const device = await registerDevice(platform, officer);
  const raised = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
    token: member,
    body: { kind: 'custom.access_review', title: 'Q4 review', payload: { q: 4 } },
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
  const admin = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
  const key = await platform.call('POST', '/v1/orgs/acme/envs/live/api-keys', {
    token: admin,
    body: { name: 'auditor', scopes: ['audit:read', 'audit:export', 'evidence:read'] },
  });
  dataDir = mkdtempSync(join(tmpdir(), 'cc-console-'));
  services = createConsoleServices({ dataDir, vault, now: () => platform.clock.now() });
  client = bridgeClient(services);
  session = createSessionStore(client);
  await session.getState().signInWithApiKey(platform.url, key.json.secret);
  store = createAuditPackageStore(client, session);
  await store.getState().init();
});
afterAll(async () => {
  store.getState().dispose();
  for (const p of await vault.profiles()) await vault.deleteProfile(p);
  await services.close();
  await platform.stop();
});

describe('the period an auditor picks', () => {
  it('runs from the first day’s start to the end of the last (UTC), and refuses a last day before the first', () => {
    const form = {
      kind: 'package',
      organization: 'acme',
      environment: 'live',
      from: '2026-10-01',
      through: '2026-12-31',
    } as const;
    expect(periodOf(form)).toEqual({
      ok: true,
      value: { from: '2026-10-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' },
    });
    expect(periodOf({ ...form, through: '2026-09-30' })).toMatchObject({ ok: false });
    expect(suggestedName(form)).toBe('audit-package-acme-live-2026-10-01-2026-12-31.zip');
    expect(suggestedName({ ...form, kind: 'log' })).toBe('audit-log-acme-live-2026-10-01-2026-12-31.jsonl');
  });
});

describe('the export store without a save dialog (headless host)', () => {
  it('starts on the session’s tenant, asks for a name, and backs out of the picker without saving', async () => {
    expect(store.getState().form).toMatchObject({
      organization: 'acme',
      environment: 'live',
      kind: 'package',
    });
    expect(store.getState().savesWithDialog).toBe(false);
    await store.getState().start();
    expect(store.getState().step).toMatchObject({
      phase: 'naming',
      name: suggestedName(store.getState().form),
    });
    await store.getState().cancel();
    expect(store.getState().step).toEqual({ phase: 'idle' });
  });

  it('exports the package under the typed name and verifies it at once, with its reports beside it', async () => {
    await store.getState().start();
    store.getState().setName('q4.zip');
    await store.getState().confirmName();
    const step = store.getState().step;
    if (step.phase !== 'done' || step.verification.kind !== 'package') throw new Error(JSON.stringify(step));
    expect(step.verification.result.report.verdict).toBe('verified');
    expect(step.verification.result.report.packageSha256).toBe(step.saved.sha256);
    // No sample until one is asked for.
    expect(step.verification.result.report.sample).toBeNull();
    expect(readdirSync(join(dataDir, 'saved')).sort()).toEqual([
      'q4.findings.csv',
      'q4.report.html',
      'q4.zip',
    ]);
  });

  it('verifies a saved package opened under Open export… as a package, with the published keys', async () => {
    const step = store.getState().step;
    if (step.phase !== 'done') throw new Error(JSON.stringify(step));
    const opened = createAuditExportStore(client, session);
    await opened.getState().init();
    opened.getState().useFile(step.saved.file);
    await opened.getState().verify();
    const run = opened.getState().run;
    if (run.phase !== 'package-done') throw new Error(JSON.stringify(run));
    expect(run.result.report.verdict).toBe('verified');
    expect(run.result.report.packageSha256).toBe(step.saved.sha256);
    opened.getState().dispose();
  });

  it('draws a sample of N only for a whole number, and shows the sampled request checked', async () => {
    store.getState().setSampleText('three');
    await store.getState().drawSample();
    expect(store.getState().sampleError).toMatch(/whole number/);
    store.getState().setSampleText('3');
    await store.getState().drawSample();
    const step = store.getState().step;
    if (step.phase !== 'done' || step.verification.kind !== 'package') throw new Error(JSON.stringify(step));
    const sample = step.verification.result.report.sample;
    expect(sample?.n).toBe(3);
    expect(sample?.requests.map((r) => r.requestId)).toEqual([requestId]);
    expect(sample?.requests[0]?.findings).toEqual([]);
    const opened = await store.getState().openReport();
    expect(opened).toMatchObject({ ok: true, value: { url: expect.stringMatching(/^\/reports\//) } });
  });

  it('replaces a file of the same name only on the second confirm, and exports the log alone', async () => {
    store.getState().setForm({ kind: 'log' });
    await store.getState().start();
    const naming = store.getState().step;
    // The picker lists only files of the same kind: nothing yet for a log.
    expect(naming).toMatchObject({ phase: 'naming', files: [] });
    store.getState().setName('q4-log.jsonl');
    await store.getState().confirmName();
    await waitFor(() => store.getState().step.phase === 'done');
    await store.getState().start();
    expect(store.getState().step).toMatchObject({
      phase: 'naming',
      files: [expect.objectContaining({ name: 'q4-log.jsonl' })],
    });
    store.getState().setName('q4-log.jsonl');
    await store.getState().confirmName();
    expect(store.getState().step).toMatchObject({
      phase: 'naming',
      replacing: true,
      error: { code: 'conflict' },
    });
    await store.getState().confirmName();
    const step = store.getState().step;
    if (step.phase !== 'done' || step.verification.kind !== 'log') throw new Error(JSON.stringify(step));
    expect(step.verification.result.report.verdict).toBe('verified');
    expect(step.verification.result.fileSha256).toBe(step.saved.sha256);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import { totpCode } from '../../../platform/auth/totp';
import { contractClient } from '../../../renderer/contract/client';
import type { GrantedFile } from '../../../renderer/contract/uploads';
import { createAuditExportStore, parseKeyLines } from '../../../renderer/stores/audit-export-store';
import { createAuditIntegrityStore } from '../../../renderer/stores/audit-integrity-store';
import { type AuditLogStore, createAuditLogStore, noFilters } from '../../../renderer/stores/audit-store';
import { createSessionStore, type SessionStore } from '../../../renderer/stores/session-store';
import { formatCheckpointBody } from '../../../shared/audit/note';
import {
  appendEntries,
  appendLargeEntries,
  exportLog,
  joinExport,
  splitExport,
  tenantOf,
} from '../../helpers/audit';
import { signInThroughBrowser } from '../../helpers/oauth';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

// The audit stores against the real main-process services (the bridge is the dispatcher itself), a real
// platform, the real keychain and the real verifier worker: only the renderer's transport is skipped.
const vault = new Vault(keytar, `cc-test-audit-store-${process.pid}`);
const PAGE = 20;
let platform: TestPlatform;
let platformStopped = false;
let services: ReturnType<typeof createConsoleServices>;
let session: SessionStore;
let log: AuditLogStore;
let boundary: string;
let exportFile: string;
let tamperedFile: string;
let exportBytes: Buffer;
const client = () =>
  contractClient({
    call: (name, input) => services.dispatcher.dispatch(name, input),
    onEvent: (listener) => services.events.subscribe(listener),
  });
const tmp = mkdtempSync(join(tmpdir(), 'cc-audit-store-'));

async function waitFor(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

async function granted(path: string): Promise<GrantedFile> {
  const file = await services.files.grantPath(path);
  if (!file.ok) throw new Error(file.error.message);
  return file.value;
}

/** An export store as the screen starts it, with a file the main process was handed directly. */
async function exportStore(path?: string) {
  const store = createAuditExportStore(client(), session);
  await store.getState().init();
  if (path) store.getState().useFile(await granted(path));
  return store;
}

beforeAll(async () => {
  platform = await startPlatform();
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    now: () => platform.clock.now(),
  });
  // Two batches an hour apart, for the time filter; 3000 entries in all, for a verification with progress.
  const acmeTest = await tenantOf(platform, 'acme', 'test');
  await appendEntries(platform, acmeTest, 1000);
  platform.clock.advance(3_600_000);
  boundary = new Date(platform.clock.now() - 60_000).toISOString();
  await appendEntries(platform, acmeTest, 2000);
  await appendEntries(platform, tenantOf(platform, 'acme', 'live'), 5);

  const auditor = platform.user('acme', 'auditor');
  session = createSessionStore(client());
  const signingIn = session.getState().signInWithBrowser(platform.url);
  await waitFor(() => session.getState().signIn.status === 'waiting');
  const waiting = session.getState().signIn;
  if (waiting.status !== 'waiting') throw new Error('unreachable');
  platform.clock.advance(30_000);
  await signInThroughBrowser(
    waiting.authorizationUrl,
    auditor,
    totpCode(auditor.totpSeed, platform.clock.now()),
  );
  await signingIn;
  expect(session.getState().tenant).toEqual({ organization: 'acme', environment: 'test' });
  log = createAuditLogStore(client(), session, { pageSize: PAGE });

  const { accessToken } = await platform.signIn(auditor);
  exportBytes = await exportLog(platform, accessToken, 'acme', 'test');
  exportFile = join(tmp, 'acme-test.jsonl');
  writeFileSync(exportFile, exportBytes);
  const parts = splitExport(exportBytes);
  parts.entries[1234] = (parts.entries[1234] ?? '').replace('quarterly controls', 'quarterly c0ntrols');
  tamperedFile = join(tmp, 'acme-test-tampered.jsonl');
  writeFileSync(tamperedFile, joinExport(parts));
});
afterAll(async () => {
  log?.getState().dispose();
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await services?.close();
  if (!platformStopped) await platform?.stop();
});

describe('live log', () => {
  it('loads the newest page first and pages back with nextBefore', async () => {
    await log.getState().load();
    const first = log.getState();
    expect(first.phase).toBe('ready');
    expect(first.entries).toHaveLength(PAGE);
    const size = first.size ?? 0;
    expect(size).toBeGreaterThanOrEqual(3000);
    expect(first.entries.map((e) => e.seq)).toEqual(Array.from({ length: PAGE }, (_, i) => size - 1 - i));
    expect(first.nextBefore).toBe(size - PAGE);
    await log.getState().loadMore();
    await log.getState().loadMore();
    const seqs = log.getState().entries.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 3 * PAGE }, (_, i) => size - 1 - i));
  });

  it('filters by action, resource, actor and time range, each a fresh first page', async () => {
    await log.getState().setFilters({ ...noFilters, action: 'evidence.download_url' });
    expect(log.getState().entries.every((e) => e.action === 'evidence.download_url')).toBe(true);
    expect(log.getState().nextBefore).not.toBeNull();

    const resourceId = `apr_${String(42).padStart(20, '0')}`;
    await log.getState().setFilters({ ...noFilters, resourceType: 'approval_request', resourceId });
    // The id was used in both batches: entry 42 of each.
    expect(log.getState().entries.map((e) => e.resource.id)).toEqual([resourceId, resourceId]);
    expect(log.getState().nextBefore).toBeNull();

    await log.getState().setFilters({ ...noFilters, actorId: 'usr_nobody' });
    expect(log.getState()).toMatchObject({ phase: 'ready', entries: [], nextBefore: null });

    await log.getState().setFilters({ ...noFilters, resourceId, to: boundary });
    expect(log.getState().entries.map((e) => e.ts < boundary)).toEqual([true]);
    await log.getState().setFilters({ ...noFilters, resourceId, from: boundary });
    expect(log.getState().entries.map((e) => e.ts >= boundary)).toEqual([true]);
  });

  it('moves the selection within the loaded entries and opens one in detail, change included', async () => {
    await log.getState().setFilters(noFilters);
    log.getState().moveSelection(1);
    const newest = log.getState().entries[0];
    expect(log.getState().selectedSeq).toBe(newest?.seq);
    log.getState().moveSelection(5);
    const sixth = log.getState().entries[5];
    log.getState().openDetail(sixth?.seq ?? -1);
    expect(log.getState().detail).toEqual(sixth);
    expect(log.getState().detail?.change?.after).toMatchObject({ lane: 'yellow' });
    log.getState().closeDetail();
    expect(log.getState().detail).toBeNull();
  });

  it('a tenant switch drops entries, filters, selection and detail at once, then loads the new tenant', async () => {
    await log.getState().setFilters({ ...noFilters, action: 'approval.comment' });
    log.getState().openDetail(log.getState().entries[0]?.seq ?? -1);
    session.getState().selectTenant({ organization: 'acme', environment: 'live' });
    expect(log.getState()).toMatchObject({
      entries: [],
      detail: null,
      selectedSeq: null,
      filters: noFilters,
      size: null,
    });
    await waitFor(() => log.getState().phase === 'ready');
    expect(log.getState().entries.length).toBeGreaterThanOrEqual(5);
    expect(log.getState().entries.every((e) => e.environment === 'live')).toBe(true);
    session.getState().selectTenant({ organization: 'acme', environment: 'test' });
    await waitFor(() => log.getState().phase === 'ready');
  });
});

describe('verify integrity', () => {
  it('is first-seen, then consistent against the checkpoints stored before', async () => {
    const integrity = createAuditIntegrityStore(client(), session);
    await integrity.getState().check();
    expect(integrity.getState()).toMatchObject({
      phase: 'done',
      result: { status: 'first-seen', checkedAgainst: 0 },
    });
    await appendEntries(platform, tenantOf(platform, 'acme', 'test'), 30);
    await integrity.getState().check();
    const { result, checkedAt, fork } = integrity.getState();
    expect(result).toMatchObject({ status: 'consistent', checkedAgainst: 1, evidence: [] });
    expect(result?.keyUsed).toMatch(/\+[0-9a-f]{8}$/);
    expect(checkedAt).not.toBeNull();
    expect(fork).toBeNull();
    integrity.getState().dispose();
  });

  it('raises the fork alarm from the answer, and from the audit.fork event in another store', async () => {
    const checking = createAuditIntegrityStore(client(), session);
    const watching = createAuditIntegrityStore(client(), session);
    await checking.getState().check();
    const current = checking.getState().result;
    if (!current) throw new Error('no result');
    const size = current.size - 5;
    const forged = platform.ctx.auditKeys.sign(
      formatCheckpointBody({ origin: current.origin, size, root: randomBytes(32) }),
    );
    const profile = session.getState().active?.profile;
    if (!profile) throw new Error('signed out');
    const root = forged.split('\n')[2] ?? '';
    expect(services.cache.saveCheckpoint(profile, current.origin, { size, root, note: forged }).ok).toBe(
      true,
    );
    await checking.getState().check();
    expect(checking.getState().result?.status).toBe('fork');
    expect(checking.getState().fork?.evidence).toEqual([forged, expect.stringContaining(current.origin)]);
    expect(watching.getState().phase).toBe('idle');
    expect(watching.getState().fork).toEqual(checking.getState().fork);
    // Another tenant knows nothing of it.
    session.getState().selectTenant({ organization: 'acme', environment: 'live' });
    expect(watching.getState()).toMatchObject({ fork: null, result: null, phase: 'idle' });
    checking.getState().dispose();
    watching.getState().dispose();
  });

  it('reports a checkpoint under a key that is not pinned as a conflict', async () => {
    const integrity = createAuditIntegrityStore(client(), session);
    await integrity.getState().check();
    const origin = integrity.getState().result?.origin ?? '';
    expect(origin).toMatch(/\/audit\/acme\/live$/);
    const profile = session.getState().active?.profile;
    if (!profile) throw new Error('signed out');
    const other = 'someone+12345678+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(services.cache.pinKeys(profile, origin, [other]).ok).toBe(true);
    await integrity.getState().check();
    expect(integrity.getState()).toMatchObject({ phase: 'error', error: { code: 'conflict' } });
    // The earlier answer stays on show beside the error.
    expect(integrity.getState().result?.status).toBe('first-seen');
    integrity.getState().dispose();
    session.getState().selectTenant({ organization: 'acme', environment: 'test' });
  });
});

describe('export verification', () => {
  it('prefills the platform keys, verifies with progress to the end, and names the file by its hash', async () => {
    const store = await exportStore();
    expect(store.getState()).toMatchObject({ choosesFiles: false, keysStatus: 'loaded', keysEdited: false });
    expect(store.getState().keysText.split('\n')).toEqual(
      expect.arrayContaining(platform.ctx.auditKeys.verifierKeys),
    );
    store.getState().useFile(await granted(exportFile));
    const seen: { done: number; total: number }[] = [];
    const stop = store.subscribe((s) => {
      if (s.run.phase === 'verifying') seen.push({ done: s.run.done, total: s.run.total });
    });
    await store.getState().verify();
    stop();
    const run = store.getState().run;
    if (run.phase !== 'done') throw new Error(JSON.stringify(run));
    expect(run.result.report.verdict).toBe('verified');
    expect(run.result.fileSha256).toBe(createHash('sha256').update(exportBytes).digest('hex'));
    expect(run.result.report.keysUsed.length).toBeGreaterThan(0);
    // Progress came from the worker's events for this task: bytes of this file, only ever forwards.
    const moved = seen.filter((p) => p.done > 0);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((p) => p.total === exportBytes.length && p.done <= p.total)).toBe(true);
    expect(moved.map((p) => p.done)).toEqual([...moved.map((p) => p.done)].sort((a, b) => a - b));
    store.getState().dispose();
  });

  it('finds the changed entry of a tampered copy at its seq', async () => {
    const store = await exportStore(tamperedFile);
    await store.getState().verify();
    const run = store.getState().run;
    if (run.phase !== 'done') throw new Error(JSON.stringify(run));
    expect(run.result.report.verdict).toBe('tampered');
    const finding = run.result.report.findings.find((f) => f.class === 'entry-modified');
    const start = finding?.seq ?? finding?.window?.start ?? -1;
    const end = finding?.seq ?? (finding?.window?.end ?? 0) - 1;
    expect(start).toBeLessThanOrEqual(1234);
    expect(end).toBeGreaterThanOrEqual(1234);
    store.getState().dispose();
  });

  it('cancels a verification part-way; the partial report says so, read fewer entries than the file holds, and names no hash', async () => {
    // About 20 MB: read in 1 MiB chunks, the first progress comes long before the end of the file.
    await appendLargeEntries(platform, tenantOf(platform, 'globex', 'test'), 2500, 8000);
    const { accessToken } = await platform.signIn(platform.user('globex', 'auditor'));
    const big = await exportLog(platform, accessToken, 'globex', 'test');
    const entries = splitExport(big).entries.length;
    const bigFile = join(tmp, 'globex-test-large.jsonl');
    writeFileSync(bigFile, big);
    const store = await exportStore(bigFile);
    // Cancelled once the store shows the worker reading, not raced against its start.
    let asked = false;
    let cancelling: Promise<void> | undefined;
    const stop = store.subscribe((state) => {
      if (asked || state.run.phase !== 'verifying' || state.run.done === 0) return;
      asked = true;
      cancelling = state.cancel();
    });
    await store.getState().verify();
    stop();
    if (!cancelling) throw new Error('the verification showed no progress');
    await cancelling;
    const run = store.getState().run;
    if (run.phase !== 'done') throw new Error(JSON.stringify(run));
    expect(run.result.report).toMatchObject({ cancelled: true, verdict: 'unverifiable' });
    expect(run.result.report.entriesRead).toBeLessThan(entries);
    expect(run.result.fileSha256).toBeNull();
    store.getState().dispose();
  });

  it('refuses text that is not a key before calling, and the file dialog where there is none', async () => {
    expect(parseKeyLines('\n# pinned in March\nnot a key\n')).toMatchObject({
      ok: false,
      error: { message: 'Line 3 is not a verifier key (name+keyid+base64).' },
    });
    const store = await exportStore(exportFile);
    store.getState().setKeysText('   \n');
    await store.getState().verify();
    expect(store.getState().run).toMatchObject({ phase: 'failed', error: { code: 'bad-request' } });
    await store.getState().choose();
    expect(store.getState().openError?.message).toMatch(/file picker/);
    store.getState().dispose();
  });

  it('with the platform gone: the keys cannot be fetched, a pasted key verifies, and the live log keeps its rows', async () => {
    await log.getState().setFilters(noFilters);
    const loaded = log.getState().entries.length;
    const pinned = [...platform.ctx.auditKeys.verifierKeys];
    await platform.stop();
    platformStopped = true;

    await log.getState().loadMore();
    expect(log.getState()).toMatchObject({ offline: true, phase: 'ready', error: { code: 'unavailable' } });
    expect(log.getState().entries).toHaveLength(loaded);

    const store = await exportStore();
    expect(store.getState()).toMatchObject({ keysStatus: 'unavailable', keysText: '' });
    store.getState().setKeysText(`# pinned\n${pinned.join('\n')}\n`);
    store.getState().useFile(await granted(exportFile));
    await store.getState().verify();
    const run = store.getState().run;
    expect(run.phase === 'done' && run.result.report.verdict).toBe('verified');
    store.getState().dispose();
  });
});

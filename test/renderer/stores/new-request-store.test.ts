import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import type { Uploader } from '../../../renderer/contract/uploads';
import { previewOf } from '../../../renderer/stores/new-request-draft';
import { createNewRequestStore, type NewRequestStore } from '../../../renderer/stores/new-request-store';
import type { SessionStore } from '../../../renderer/stores/session-store';
import { fail } from '../../../shared/result';
import { onePagePdf, solidPng } from '../../fixtures/evidence/files';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, signedInSession, waitFor } from '../../helpers/renderer-stores';

// The New request store against the real main-process services, a real platform and the real keychain.
// The page's files reach the console as the headless host takes them (FileGrants.grantUpload), so the
// upload, the checks and the progress are the console's own.
const vault = new Vault(keytar, `cc-test-new-request-store-${process.pid}`);
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
const client = () => bridgeClient(services);

/** What the headless host does with a file the page sends it. */
const handToConsole: Uploader = async (file, options = {}) => {
  const bytes = Buffer.from(await file.arrayBuffer());
  options.onProgress?.(bytes.length, bytes.length);
  return services.files.grantUpload(file.name, Readable.from([bytes]), 64 * 1024 * 1024);
};

const pdf = () => new File([new Uint8Array(onePagePdf('Invoice 2291: EUR 12,400.00'))], 'invoice-2291.pdf');
const png = () => new File([new Uint8Array(solidPng(40, 20, [30, 120, 200]))], 'usage-chart.png');

let session: SessionStore;
let store: NewRequestStore;

/** The member's files on the platform that no request holds: what an abandoned form would leave. */
async function unattachedEvidence(): Promise<{ id: string; name: string }[]> {
  const member = platform.user('acme', 'member');
  const { accessToken } = await platform.signIn(member);
  const listed = await platform.call('GET', '/v1/orgs/acme/envs/test/evidence', { token: accessToken });
  return listed.json.evidence;
}

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  await platform.setLanes('acme', { 'custom.vendor_payment': { test: 'red', live: 'red' } });
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    defaultPlatformUrl: platform.url,
    now: () => platform.clock.now(),
  });
  session = await signedInSession(client(), platform.user('acme', 'member'), platform);
  store = createNewRequestStore(client(), session, { uploader: handToConsole });
  await store.getState().init();
});
afterAll(async () => {
  store?.getState().dispose();
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await services.close();
  await platform.stop();
});

describe('new request store', () => {
  it('knows the tenant’s policy and that the page hands over files here (no system dialog)', () => {
    expect(store.getState().choosesFiles).toBe(false);
    expect(store.getState().policy?.redApprovals).toBe(2);
    store.getState().edit({ kind: 'custom', customName: 'vendor_payment' });
    const { draft, policy } = store.getState();
    expect(previewOf(draft, policy, 'test')).toEqual({ lane: 'red', requiredApprovals: 2 });
    store.getState().edit({ customName: 'deploy' });
    expect(previewOf(store.getState().draft, policy, 'test')).toEqual({
      lane: 'yellow',
      requiredApprovals: 1,
    });
    store.getState().discard();
  });

  it('a submit with problems says what is wrong per field, sends nothing, and keeps what was typed', async () => {
    store
      .getState()
      .edit({ kind: 'custom', customName: 'Vendor Payment', payloadText: '{\n  "vendor": "Initech",\n}' });
    expect(await store.getState().submit()).toBeNull();
    const { problems, draft } = store.getState();
    expect(problems).toEqual({
      customName: expect.stringContaining('lowercase letter first'),
      payloadText: 'Line 3, column 1: Remove the comma before "}".',
      title: 'Give the request a title.',
      summary: 'Say why this change is needed.',
    });
    expect(draft.payloadText).toBe('{\n  "vendor": "Initech",\n}');
    // Editing a field takes its problem away, and only its own.
    store.getState().edit({ title: 'Pay Initech' });
    expect(Object.keys(store.getState().problems).sort()).toEqual(['customName', 'payloadText', 'summary']);
    expect(await unattachedEvidence()).toEqual([]);
    store.getState().discard();
  });

  it('checks files at once by their bytes and size, says why one is refused, and sends nothing yet', async () => {
    const svg = new File(['<svg xmlns="http://www.w3.org/2000/svg"></svg>'], 'logo.svg');
    const huge = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'disk-image.bin');
    const empty = new File([], 'empty.txt');
    await store.getState().addFiles([pdf(), png(), svg, huge, empty, pdf()]);
    const { attachments, refusals, checking } = store.getState();
    expect(checking).toBe(0);
    expect(attachments.map((a) => [a.name, a.mediaType, a.fileId, a.evidenceId])).toEqual([
      ['invoice-2291.pdf', 'application/pdf', null, null],
      ['usage-chart.png', 'image/png', null, null],
    ]);
    expect(refusals).toEqual([
      {
        name: 'logo.svg',
        reason: expect.stringContaining('“logo.svg” is not a kind of file evidence may be'),
      },
      {
        name: 'disk-image.bin',
        reason: '“disk-image.bin” is larger than 10 MiB, the most an evidence file may be.',
      },
      { name: 'empty.txt', reason: '“empty.txt” is empty.' },
      { name: 'invoice-2291.pdf', reason: '“invoice-2291.pdf” is attached already.' },
    ]);
    // Chosen, not uploaded: an abandoned form leaves nothing on the platform.
    expect(await unattachedEvidence()).toEqual([]);
    const second = store.getState().attachments[1]?.id as string;
    store.getState().removeAttachment(second);
    expect(store.getState().attachments.map((a) => a.name)).toEqual(['invoice-2291.pdf']);
    store.getState().discard();
    expect(store.getState().attachments).toEqual([]);
  });

  it('cancelling while a file is on its way raises nothing and keeps the draft and its files', async () => {
    let handOverStarted = false;
    const stalled = createNewRequestStore(client(), session, {
      // A hand-over that only ends when it is cancelled: the cancel, not a race, decides the outcome.
      uploader: (_file, options = {}) =>
        new Promise((resolve) => {
          handOverStarted = true;
          options.signal?.addEventListener('abort', () =>
            resolve(fail('bad-request', 'The upload was cancelled.')),
          );
        }),
    });
    stalled.getState().edit({
      kind: 'custom',
      customName: 'vendor_payment',
      title: 'Pay Initech',
      summary: 'Licence renewal',
      payloadText: '{"vendor": "Initech"}',
    });
    await stalled.getState().addFiles([pdf()]);
    const submitting = stalled.getState().submit();
    await waitFor(() => handOverStarted && stalled.getState().submission.phase === 'uploading');
    expect(stalled.getState().submission).toMatchObject({
      index: 1,
      count: 1,
      name: 'invoice-2291.pdf',
      step: 'preparing',
    });
    await stalled.getState().cancelSubmit();
    expect(await submitting).toBeNull();
    expect(stalled.getState().submission).toEqual({ phase: 'cancelled' });
    expect(stalled.getState().draft.title).toBe('Pay Initech');
    expect(stalled.getState().attachments.map((a) => a.name)).toEqual(['invoice-2291.pdf']);
    expect(await unattachedEvidence()).toEqual([]);
    stalled.getState().dispose();
  });

  it('raises a red request with a PDF and a PNG: uploads at submit with progress, then attaches both', async () => {
    const seen: string[] = [];
    const stop = store.subscribe((s) => {
      const sub = s.submission;
      if (sub.phase === 'uploading')
        seen.push(`${sub.index}/${sub.count} ${sub.step} ${sub.done}/${sub.total}`);
      else if (seen.at(-1) !== sub.phase) seen.push(sub.phase);
    });
    store.getState().edit({
      kind: 'custom',
      customName: 'vendor_payment',
      title: 'Pay Initech invoice 2291',
      summary: 'Quarterly licence renewal, budget line 4.2.',
      payloadText: '{\n  "vendor": "Initech",\n  "amount": "12,400.00",\n  "currency": "EUR"\n}',
    });
    await store.getState().addFiles([pdf(), png()]);
    const request = await store.getState().submit();
    stop();
    expect(request).toMatchObject({
      kind: 'custom.vendor_payment',
      lane: 'red',
      requiredApprovals: 2,
      status: 'pending',
      summary: 'Quarterly licence renewal, budget line 4.2.',
      payload: { vendor: 'Initech', amount: '12,400.00', currency: 'EUR' },
    });
    expect(request?.evidence.map((e) => [e.name, e.mediaType])).toEqual([
      ['invoice-2291.pdf', 'application/pdf'],
      ['usage-chart.png', 'image/png'],
    ]);
    // Each file was handed over, then sent with the main process's progress events, then the request.
    const pdfSize = onePagePdf('Invoice 2291: EUR 12,400.00').length;
    expect(seen).toContain(`1/2 sending ${pdfSize}/${pdfSize}`);
    expect(seen.filter((s) => s.startsWith('2/2 sending')).length).toBeGreaterThan(0);
    expect(seen.slice(-2)).toEqual(['creating', 'idle']);
    // Raised: the form is empty again, and both files are the request's, none left loose.
    expect(store.getState()).toMatchObject({ attachments: [], problems: {}, draft: { title: '', kind: '' } });
    expect(await unattachedEvidence()).toEqual([]);
  });

  it('a refused request keeps the draft and its uploaded files, and a retry does not upload them twice', async () => {
    store.getState().edit({
      kind: 'audit.retention',
      retentionDays: '400',
      title: 'Keep audit entries longer',
      summary: 'The regulator asks for 13 months.',
    });
    await store
      .getState()
      .addFiles([
        new File(['Letter from the regulator, 3 March: retain 13 months.'], 'regulator-letter.txt'),
      ]);
    // A member may not change the retention: the platform refuses, after the file went up.
    expect(await store.getState().submit()).toBeNull();
    expect(store.getState().submission).toMatchObject({ phase: 'failed', error: { code: 'forbidden' } });
    expect(store.getState().draft).toMatchObject({
      title: 'Keep audit entries longer',
      retentionDays: '400',
    });
    const uploaded = store.getState().attachments[0]?.evidenceId;
    expect(uploaded).toMatch(/^evd_/);
    expect((await unattachedEvidence()).map((e) => e.id)).toEqual([uploaded]);
    // The same file, as a custom request the member may raise: attached, not sent again.
    store.getState().edit({ kind: 'custom', customName: 'retention_review', payloadText: '{"months": 13}' });
    const request = await store.getState().submit();
    expect(request?.evidence.map((e) => e.id)).toEqual([uploaded]);
    expect(await unattachedEvidence()).toEqual([]);
  });

  it('a tenant switch forgets the draft and its files', async () => {
    store.getState().edit({ kind: 'custom', title: 'Half written' });
    await store.getState().addFiles([png()]);
    session.getState().selectTenant({ organization: 'acme', environment: 'live' });
    expect(store.getState()).toMatchObject({ draft: { title: '' }, attachments: [], policy: null });
    await store.getState().init();
    expect(store.getState().policy).not.toBeNull();
    session.getState().selectTenant({ organization: 'acme', environment: 'test' });
  });
});

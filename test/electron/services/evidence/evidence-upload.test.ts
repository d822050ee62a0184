import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServices, createConsoleServices } from '../../../../electron/services/console-services';
import type { FilePurpose } from '../../../../electron/services/files/file-dialogs';
import { type HeadlessHost, startHeadlessHost } from '../../../../electron/services/host/headless-host';
import { Vault } from '../../../../electron/services/vault/vault';
import { LAUNCH_HEADER } from '../../../../shared/contract/bridge';
import type { ProfileRef } from '../../../../shared/contract/spec';
import { eventsDuring, signInToConsole } from '../../../helpers/console-sign-in';
import { valueIn } from '../../../helpers/contract';
import { startPlatform, type TestPlatform } from '../../../helpers/platform';

const vault = new Vault(keytar, `cc-test-evidence-upload-${process.pid}`);
let platform: TestPlatform;
let services: ConsoleServices;
let host: HeadlessHost;
let profile: ProfileRef;
let files: string;
const tenant = { organization: 'acme', environment: 'test' } as const;
/** What the system open dialog would answer next, and what it was asked for. */
let nextChoice: string | undefined;
const dialogPurposes: FilePurpose[] = [];

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(700 * 1024, 0x41),
]);

function file(name: string, bytes: Buffer | string): string {
  const path = join(files, name);
  writeFileSync(path, bytes);
  return path;
}

/** A file the person picked in the system dialog (the Electron shell's `chooseFile`). */
async function chosen(path: string): Promise<string> {
  nextChoice = path;
  const reply = valueIn(await services.dispatcher.dispatch('files.chooseEvidence', {}));
  return reply.file.fileId;
}

const upload = (fileId: string, taskId: string, extra: Record<string, unknown> = {}) =>
  services.dispatcher.dispatch('evidence.upload', { profile, tenant, taskId, fileId, ...extra });

async function libraryNames(): Promise<string[]> {
  const listed = valueIn(await services.dispatcher.dispatch('evidence.list', { profile, tenant }));
  return listed.evidence.map((e: { name: string }) => e.name);
}

beforeAll(async () => {
  platform = await startPlatform();
  files = mkdtempSync(join(tmpdir(), 'cc-evidence-files-'));
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    chooseFile: async (purpose) => {
      dialogPurposes.push(purpose);
      return nextChoice;
    },
  });
  const renderer = mkdtempSync(join(tmpdir(), 'cc-renderer-'));
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Compliance Console</title>');
  host = await startHeadlessHost({ rendererDir: renderer, services });
  profile = await signInToConsole(services, platform, platform.user('acme', 'member'));
});
afterAll(async () => {
  for (const p of await vault.profiles()) await vault.deleteProfile(p);
  await host.close();
  await services.close();
  await platform.stop();
});

describe('evidence from the person’s computer to a request', () => {
  it('is chosen in the system dialog, uploaded with progress, and attached when the request is raised', async () => {
    const fileId = await chosen(file('change-ticket.png', PNG));
    expect(dialogPurposes).toEqual(['evidence']);
    const { result, events } = await eventsDuring(services, () => upload(fileId, 'upload-task-0001'));
    const { evidence } = valueIn(result);
    expect(evidence).toMatchObject({
      name: 'change-ticket.png',
      mediaType: 'image/png',
      size: PNG.length,
      requestId: null,
      sha256: createHash('sha256').update(PNG).digest('hex'),
    });
    const progress = events
      .filter((e) => e.name === 'progress')
      .map((e) => e.payload as { task: string; done: number; total: number });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p) => p.task === 'upload-task-0001' && p.total === PNG.length)).toBe(true);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress.at(-1)?.done).toBe(PNG.length);
    // Delivered, the file is let go: the id does not upload it twice.
    expect(await upload(fileId, 'upload-task-0002')).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });

    const raised = valueIn(
      await services.dispatcher.dispatch('approvals.create', {
        profile,
        tenant,
        kind: 'custom.change',
        title: 'Deploy with evidence',
        summary: 'The change ticket is attached.',
        payload: { change: 'CHG-1042' },
        evidenceIds: [evidence.id],
      }),
    );
    expect(raised.request.evidence).toEqual([
      expect.objectContaining({ id: evidence.id, requestId: raised.request.id }),
    ]);
  });

  it('refuses, before sending anything, what the platform would refuse, and says why', async () => {
    const cases = [
      {
        name: 'report.html',
        bytes: '<!doctype html><script>alert(1)</script>',
        code: 'unsupported-media-type',
      },
      {
        name: 'logo.svg',
        bytes: '<svg xmlns="http://www.w3.org/2000/svg"/>',
        code: 'unsupported-media-type',
      },
      {
        name: 'tool.pdf',
        bytes: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0xff, 0xfe]),
        code: 'unsupported-media-type',
      },
      { name: 'huge.txt', bytes: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61), code: 'payload-too-large' },
      { name: 'empty.txt', bytes: '', code: 'bad-request' },
    ];
    for (const [i, c] of cases.entries()) {
      const fileId = await chosen(file(c.name, c.bytes));
      const { result, events } = await eventsDuring(services, () => upload(fileId, `refused-task-${i}0000`));
      expect(result).toMatchObject({ ok: false, error: { code: c.code } });
      if (!result.ok) expect(result.error.message).toContain(c.name);
      expect(events).toEqual([]);
    }
    const names = await libraryNames();
    for (const c of cases) expect(names).not.toContain(c.name);
  });

  it('stops an upload cancelled by its task id, and the platform keeps nothing', async () => {
    const fileId = await chosen(file('long-notes.txt', Buffer.alloc(9 * 1024 * 1024, 0x62)));
    const stop = services.events.subscribe((name, payload) => {
      // At the first slice on its way, as a person pressing Cancel while the bar moves.
      if (name === 'progress' && (payload as { task: string }).task === 'cancel-task-0001')
        void services.dispatcher.dispatch('evidence.cancelUpload', { taskId: 'cancel-task-0001' });
    });
    try {
      const reply = valueIn(await upload(fileId, 'cancel-task-0001'));
      expect(reply).toEqual({ outcome: 'cancelled' });
    } finally {
      stop();
    }
    expect(await libraryNames()).not.toContain('long-notes.txt');
    expect(
      valueIn(await services.dispatcher.dispatch('evidence.cancelUpload', { taskId: 'cancel-task-0001' })),
    ).toEqual({
      cancelled: false,
    });
  });

  it('adds a file to a pending request and tells every window', async () => {
    const raised = valueIn(
      await services.dispatcher.dispatch('approvals.create', {
        profile,
        tenant,
        kind: 'custom.change',
        title: 'Evidence added afterwards',
        summary: 'More to follow.',
        payload: {},
      }),
    );
    const fileId = await chosen(file('follow-up.json', '{"checked": true}'));
    const { result, events } = await eventsDuring(services, () =>
      upload(fileId, 'follow-up-0001', { requestId: raised.request.id }),
    );
    expect(valueIn(result).evidence).toMatchObject({
      requestId: raised.request.id,
      mediaType: 'application/json',
    });
    expect(events).toContainEqual({
      name: 'approvals.changed',
      payload: { profile, tenant, requestId: raised.request.id },
    });
  });

  it('in the headless host, takes the file the page uploaded', async () => {
    const secret = new URLSearchParams(new URL(host.url).hash.slice(1)).get('k') ?? '';
    const sent = await fetch(`${host.origin}/files?name=${encodeURIComponent('from the page.txt')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', [LAUNCH_HEADER]: secret, origin: host.origin },
      body: 'uploaded through the page',
    });
    const granted = valueIn(await sent.json());
    const uploaded = valueIn(await upload(granted.fileId, 'page-upload-0001'));
    expect(uploaded.evidence).toMatchObject({ name: 'from the page.txt', mediaType: 'text/plain' });
    const headless = createConsoleServices({ dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')), vault });
    try {
      const refused = await headless.dispatcher.dispatch('files.chooseEvidence', {});
      expect(refused).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    } finally {
      await headless.close();
    }
  });
});

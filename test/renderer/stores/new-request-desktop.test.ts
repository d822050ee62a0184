import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../../electron/services/console-services';
import { Vault } from '../../../electron/services/vault/vault';
import { contractClient } from '../../../renderer/contract/client';
import { createNewRequestStore, type NewRequestStore } from '../../../renderer/stores/new-request-store';
import type { SessionStore } from '../../../renderer/stores/session-store';
import { onePagePdf } from '../../fixtures/evidence/files';
import { startPlatform, type TestPlatform } from '../../helpers/platform';
import { bridgeClient, signedInSession } from '../../helpers/renderer-stores';

// The desktop app's way: the main process shows the system open dialog (here, a chooser that answers
// with the next path the test queued) and the renderer only ever holds a file id. The size is known at
// once; the type is judged from the bytes by the main process when the request is submitted.
const vault = new Vault(keytar, `cc-test-new-request-desktop-${process.pid}`);
const dir = mkdtempSync(join(tmpdir(), 'cc-chosen-'));
const chosen: (string | undefined)[] = [];
let platform: TestPlatform;
let services: ReturnType<typeof createConsoleServices>;
let store: NewRequestStore;
let session: SessionStore;
/** What Electron's webUtils.getPathForFile answers in the preload for a file dragged onto the window. */
const pathsOfDropped = new WeakMap<File, string>();

function dragged(path: string): File {
  const dropped = new File([], basename(path));
  pathsOfDropped.set(dropped, path);
  return dropped;
}

function file(name: string, bytes: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  services = createConsoleServices({
    dataDir: mkdtempSync(join(tmpdir(), 'cc-console-')),
    vault,
    defaultPlatformUrl: platform.url,
    now: () => platform.clock.now(),
    chooseFile: async (purpose) => (purpose === 'evidence' ? chosen.shift() : undefined),
  });
  // The preload's drop: each File's path (none for one made by page script) to the main process.
  const client = contractClient({
    call: (name, input) => services.dispatcher.dispatch(name, input),
    onEvent: (listener) => services.events.subscribe(listener),
    grantDroppedFiles: (files) =>
      services.grantDroppedPaths(files.map((f) => pathsOfDropped.get(f) ?? '').filter((p) => p !== '')),
  });
  session = await signedInSession(client, platform.user('acme', 'member'), platform);
  store = createNewRequestStore(client, session);
  await store.getState().init();
});
afterAll(async () => {
  store?.getState().dispose();
  for (const profile of await vault.profiles()) await vault.deleteProfile(profile);
  await services.close();
  await platform.stop();
});

describe('new request in the desktop app (system open dialog)', () => {
  it('knows the shell chooses files, and takes a chosen file by id, refusing one too large at once', async () => {
    expect(store.getState().choosesFiles).toBe(true);
    chosen.push(file('minutes.pdf', onePagePdf('Board minutes, item 4')));
    await store.getState().chooseFile();
    const big = file('scan.tiff', '');
    truncateSync(big, 10 * 1024 * 1024 + 1);
    chosen.push(big);
    await store.getState().chooseFile();
    // The person closed the dialog without choosing: nothing happens.
    chosen.push(undefined);
    await store.getState().chooseFile();
    const { attachments, refusals } = store.getState();
    expect(attachments.map((a) => [a.name, a.mediaType, a.fileId !== null, a.file])).toEqual([
      ['minutes.pdf', null, true, null],
    ]);
    expect(refusals).toEqual([]);
    // The size refusal came with the second choice and was replaced by the third (empty) one.
    chosen.push(big);
    await store.getState().chooseFile();
    expect(store.getState().refusals).toEqual([
      { name: 'scan.tiff', reason: '“scan.tiff” is larger than 10 MiB, the most an evidence file may be.' },
    ]);
  });

  it('a file dropped on the window is taken by the path the preload read, checked like a chosen one', async () => {
    const notes = dragged(file('notes.txt', 'Change approved at the CAB, 3 December.'));
    const big = file('export.csv', '');
    truncateSync(big, 10 * 1024 * 1024 + 1);
    await store.getState().addFiles([notes, dragged(big), dragged(dir), new File(['no path'], 'text.txt')]);
    expect(store.getState().attachments.map((a) => [a.name, a.fileId !== null, a.file])).toEqual([
      ['minutes.pdf', true, null],
      ['notes.txt', true, null],
    ]);
    expect(store.getState().refusals).toEqual([
      {
        name: basename(dir),
        reason: `“${basename(dir)}” is not a file that can be read (a folder, or a file moved since).`,
      },
      { name: 'export.csv', reason: '“export.csv” is larger than 10 MiB, the most an evidence file may be.' },
    ]);
    // Dropped twice, the file is attached once.
    await store.getState().addFiles([notes]);
    expect(store.getState().refusals).toEqual([
      { name: 'notes.txt', reason: '“notes.txt” is attached already.' },
    ]);
    store.getState().removeAttachment(store.getState().attachments[1]?.id ?? '');
  });

  it('the main process takes dropped paths only as a short list of strings', async () => {
    for (const junk of [undefined, 'notes.txt', [42], ['']]) {
      const reply = await services.grantDroppedPaths(junk);
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    const many = Array.from({ length: 21 }, () => join(dir, 'minutes.pdf'));
    expect(await services.grantDroppedPaths(many)).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'Drop at most 20 files at once.' },
    });
  });

  it('without the preload (an older shell), a dropped file is refused with the way that works; nothing is read', async () => {
    const plain = createNewRequestStore(bridgeClient(services), session);
    await plain.getState().init();
    await plain.getState().addFiles([new File(['notes'], 'notes.txt')]);
    expect(plain.getState().refusals).toEqual([
      { name: 'notes.txt', reason: '“notes.txt” was dropped: attach files with Attach files… instead.' },
    ]);
    expect(plain.getState().attachments).toHaveLength(0);
    plain.getState().dispose();
  });

  it('a chosen file that is not evidence is refused by name when submitted, and nothing is raised', async () => {
    chosen.push(file('diagram.svg', '<svg xmlns="http://www.w3.org/2000/svg"></svg>'));
    await store.getState().chooseFile();
    store.getState().edit({
      kind: 'custom',
      customName: 'board_resolution',
      title: 'File the board resolution',
      summary: 'Item 4 of the minutes.',
      payloadText: '{"item": 4}',
    });
    expect(await store.getState().submit()).toBeNull();
    expect(store.getState().submission).toMatchObject({
      phase: 'failed',
      error: {
        code: 'unsupported-media-type',
        message: expect.stringContaining('"diagram.svg" is not a kind of file'),
      },
    });
    // The PDF before it went up and is kept for the next try; the SVG is removed and the request raised.
    const [pdf, svg] = store.getState().attachments;
    expect(pdf?.evidenceId).toMatch(/^evd_/);
    store.getState().removeAttachment(svg?.id ?? '');
    const request = await store.getState().submit();
    expect(request?.evidence.map((e) => e.name)).toEqual(['minutes.pdf']);
  });
});

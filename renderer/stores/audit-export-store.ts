import type { ExportVerificationResult } from '../../shared/contract/calls/audit';
import type { PackageVerificationResult } from '../../shared/contract/calls/audit-package';
import { events } from '../../shared/contract/contract';
import { type AppError, fail, ok, type Result } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import { type GrantedFile, type Uploader, upload } from '../contract/uploads';
import type { SessionStore } from './session-store';
import { createTenantScopedStore, type TenantScopedOptions } from './tenant-scoped';

export type OpeningState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'choosing' }
  | { readonly phase: 'uploading'; readonly name: string; readonly done: number; readonly total: number };

export type RunState =
  | { readonly phase: 'idle' }
  | {
      readonly phase: 'verifying';
      readonly taskId: string;
      readonly done: number;
      readonly total: number;
      readonly cancelling: boolean;
    }
  | { readonly phase: 'done'; readonly result: ExportVerificationResult }
  /** An audit package (a .zip) was opened: its own verification (log, decisions, evidence, manifest). */
  | { readonly phase: 'package-done'; readonly result: PackageVerificationResult }
  | { readonly phase: 'failed'; readonly error: AppError };

export type KeysStatus = 'idle' | 'loading' | 'loaded' | 'unavailable' | 'error';

export interface ExportState {
  /** Electron shows the system open dialog; the headless host takes an upload from the page. */
  readonly choosesFiles: boolean | null;
  readonly file: GrantedFile | null;
  readonly opening: OpeningState;
  readonly openError: AppError | null;
  /** One verifier key per line, as the person sees and edits them. */
  readonly keysText: string;
  /** The person changed the keys: a later answer from the platform must not overwrite them. */
  readonly keysEdited: boolean;
  readonly keysStatus: KeysStatus;
  readonly keysError: AppError | null;
  /** What the platform published, to go back to after editing. */
  readonly publishedKeys: readonly string[];
  readonly run: RunState;
  init(): Promise<void>;
  loadKeys(): Promise<void>;
  setKeysText(text: string): void;
  usePublishedKeys(): void;
  choose(): Promise<void>;
  uploadFile(file: File): Promise<void>;
  useFile(file: GrantedFile): void;
  verify(): Promise<void>;
  cancel(): Promise<void>;
  dispose(): void;
}

const initial = {
  file: null,
  opening: { phase: 'idle' },
  openError: null,
  keysText: '',
  keysEdited: false,
  keysStatus: 'idle',
  keysError: null,
  publishedKeys: [],
  run: { phase: 'idle' },
} satisfies Partial<ExportState>;

const KEY_SHAPE = /^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}$/;
const MAX_KEYS = 20;

/** The verifier keys in the text box, one per line; blank lines and `#` notes are skipped. */
export function parseKeyLines(text: string): Result<string[]> {
  const keys: string[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.length > 500 || !KEY_SHAPE.test(line))
      return fail('bad-request', `Line ${index + 1} is not a verifier key (name+keyid+base64).`);
    if (!keys.includes(line)) keys.push(line);
  }
  if (keys.length === 0) return fail('bad-request', 'Enter the pinned verifier key, one key per line.');
  if (keys.length > MAX_KEYS) return fail('bad-request', `At most ${MAX_KEYS} keys can be used at once.`);
  return ok(keys);
}

const newTaskId = () => crypto.randomUUID();

/**
 * Offline verification of an export file: choose or upload it, pick the keys (the platform's, or pasted
 * by an auditor with no network), verify it in the main process's worker with progress, cancel it.
 * Scoped to the session's tenant like the other audit stores: a switch cancels and forgets it all.
 */
export function createAuditExportStore(
  client: ContractClient,
  session: SessionStore,
  { uploader = upload }: { uploader?: Uploader } = {},
) {
  let uploadAbort: AbortController | null = null;
  /** A cancel the main process answered "nothing running" to: the task may not have started yet. */
  let unacknowledgedCancel: string | null = null;
  const sendCancel = async (taskId: string) => {
    const answer = await client.call('audit.cancel', { taskId });
    unacknowledgedCancel = answer.ok && answer.value.cancelled ? null : taskId;
  };

  const options: TenantScopedOptions<ExportState> = {
    initial,
    // A verification or an upload for the old tenant is called off; keys once shown follow the person.
    onSwitch: ({ previous, current }) => {
      if (previous.run.phase === 'verifying')
        void client.call('audit.cancel', { taskId: previous.run.taskId });
      uploadAbort?.abort();
      uploadAbort = null;
      if (previous.keysStatus !== 'idle' && session.getState().active) void current.loadKeys();
    },
  };
  const store = createTenantScopedStore(session, options, (set, get, tenant) => ({
    ...initial,
    choosesFiles: null,

    async init() {
      if (get().choosesFiles === null) {
        const info = await client.call('app.info', {});
        if (info.ok) set({ choosesFiles: info.value.choosesFiles });
      }
      if (get().keysStatus === 'idle') await get().loadKeys();
    },

    async loadKeys() {
      const profile = session.getState().active?.profile;
      if (!profile) return;
      const asked = tenant.guardTenant();
      set({ keysStatus: 'loading', keysError: null });
      const got = await asked.settle(client.call('audit.verifierKeys', { profile }));
      if (!got) return;
      if (!got.ok)
        return set({
          keysStatus: got.error.code === 'unavailable' ? 'unavailable' : 'error',
          keysError: got.error,
        });
      const published = got.value.keys.includes(got.value.current)
        ? got.value.keys
        : [got.value.current, ...got.value.keys];
      set((s) => ({
        keysStatus: 'loaded',
        publishedKeys: published,
        keysText: s.keysEdited ? s.keysText : published.join('\n'),
      }));
    },

    setKeysText(text) {
      set({ keysText: text, keysEdited: true });
    },

    usePublishedKeys() {
      set((s) => ({ keysText: s.publishedKeys.join('\n'), keysEdited: false }));
    },

    async choose() {
      if (get().opening.phase !== 'idle' || get().run.phase === 'verifying') return;
      const asked = tenant.guardTenant();
      set({ opening: { phase: 'choosing' }, openError: null });
      const chosen = await asked.settle(client.call('files.chooseExport', {}));
      if (!chosen) return;
      set({ opening: { phase: 'idle' } });
      if (!chosen.ok) return set({ openError: chosen.error });
      if (chosen.value.file) get().useFile(chosen.value.file);
    },

    async uploadFile(file) {
      if (get().opening.phase !== 'idle' || get().run.phase === 'verifying') return;
      const asked = tenant.guardTenant();
      const abort = new AbortController();
      uploadAbort = abort;
      set({ opening: { phase: 'uploading', name: file.name, done: 0, total: file.size }, openError: null });
      const granted = await uploader(file, {
        signal: abort.signal,
        onProgress: (done, total) => {
          if (asked.current && get().opening.phase === 'uploading')
            set({ opening: { phase: 'uploading', name: file.name, done, total } });
        },
      });
      if (uploadAbort === abort) uploadAbort = null;
      if (!asked.current) return;
      set({ opening: { phase: 'idle' } });
      if (!granted.ok) return set({ openError: abort.signal.aborted ? null : granted.error });
      get().useFile(granted.value);
    },

    useFile(file) {
      // A new file: the report on screen spoke of the old one.
      set({ file, openError: null, run: { phase: 'idle' } });
    },

    async verify() {
      const { file, keysText, run } = get();
      if (!file || run.phase === 'verifying') return;
      const keys = parseKeyLines(keysText);
      if (!keys.ok) return set({ run: { phase: 'failed', error: keys.error } });
      const taskId = newTaskId();
      set({ run: { phase: 'verifying', taskId, done: 0, total: file.size, cancelling: false } });
      // A package is told by its name here (the main process tells by the bytes: a non-ZIP is unusable).
      const isPackage = /\.zip$/i.test(file.name);
      const verified: Result<RunState> = isPackage
        ? await client
            .call('audit.verifyPackage', { taskId, fileId: file.fileId, keys: keys.value })
            .then((r) => (r.ok ? ok({ phase: 'package-done' as const, result: r.value }) : r))
        : await client
            .call('audit.verifyExport', { taskId, fileId: file.fileId, keys: keys.value })
            .then((r) => (r.ok ? ok({ phase: 'done' as const, result: r.value }) : r));
      const now = get().run;
      if (now.phase !== 'verifying' || now.taskId !== taskId) return;
      set({ run: verified.ok ? verified.value : { phase: 'failed', error: verified.error } });
    },

    async cancel() {
      if (uploadAbort) {
        uploadAbort.abort();
        return;
      }
      const run = get().run;
      if (run.phase !== 'verifying') return;
      set({ run: { ...run, cancelling: true } });
      await sendCancel(run.taskId);
    },

    dispose() {
      tenant.dispose();
      stopEvents();
    },
  }));

  const stopEvents = client.onEvent((name, payload) => {
    if (name !== 'progress') return;
    const progress = events.progress.safeParse(payload);
    const run = store.getState().run;
    if (!progress.success || run.phase !== 'verifying' || progress.data.task !== run.taskId) return;
    const { done, total } = progress.data;
    store.setState({ run: { ...run, done, total } });
    // A cancel can overtake the start of its task over a slow transport: once it runs, say it again.
    if (unacknowledgedCancel === run.taskId) {
      unacknowledgedCancel = null;
      void sendCancel(run.taskId);
    }
  });

  return store;
}

export type AuditExportStore = ReturnType<typeof createAuditExportStore>;

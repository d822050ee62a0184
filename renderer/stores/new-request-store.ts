import type { ApiKey } from '../../shared/api/api-keys';
import type { ApprovalRequest, Policy } from '../../shared/api/approvals';
import type { EvidenceMeta } from '../../shared/api/evidence';
import type { CallOutput } from '../../shared/contract/contract';
import type { AppError } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import { type Uploader, upload } from '../contract/uploads';
import {
  type Attachment,
  admissionRefusal,
  checkPageFile,
  type Refusal,
  sizeRefusal,
} from './evidence-attachments';
import { runEvidenceUploads, type UploadProgress } from './evidence-upload-run';
import { checkDraft, type Draft, type DraftProblems, emptyDraft, type FormKind } from './new-request-draft';
import { planReversal } from './reversal';
import type { SessionState, SessionStore } from './session-store';
import { createTenantScopedStore, type TenantScopedOptions } from './tenant-scoped';

export type SubmitState =
  | { readonly phase: 'idle' }
  | ({ readonly phase: 'uploading' } & UploadProgress)
  | { readonly phase: 'creating' }
  | { readonly phase: 'failed'; readonly error: AppError }
  | { readonly phase: 'cancelled' };

/** A list the form picks from (keys, evidence), loaded when a kind first needs it. */
export type Choices<T> =
  | { readonly phase: 'idle' | 'loading' }
  | { readonly phase: 'ready'; readonly items: readonly T[] }
  | { readonly phase: 'error'; readonly error: AppError };

export interface NewRequestState {
  readonly draft: Draft;
  /** What was wrong at the last Submit, per field; a field's problem goes as soon as it is edited. */
  readonly problems: DraftProblems;
  /** Why a reversal's inverse is incomplete, said above the form. */
  readonly note: string | null;
  /** A reversal's draft is being worked out (it may read the audit log). */
  readonly planning: boolean;
  readonly attachments: readonly Attachment[];
  /** Files not attached, with the reason; kept until the next files are chosen or dismissed. */
  readonly refusals: readonly Refusal[];
  /** Files whose bytes are being checked. */
  readonly checking: number;
  /** Electron shows the system open dialog; the headless host takes files from the page. */
  readonly choosesFiles: boolean | null;
  readonly policy: Policy | null;
  readonly policyError: AppError | null;
  readonly apiKeys: Choices<ApiKey>;
  readonly evidence: Choices<EvidenceMeta>;
  /** A request's own file chosen for deletion from its detail (the list holds only loose files). */
  readonly pinnedEvidence: EvidenceMeta | null;
  readonly submission: SubmitState;
  /** Loads what the form needs once per tenant: the shell's file handling and the policy for the lane. */
  init(): Promise<void>;
  /** Loads the list the kind picks from, if it has one and it is not loaded. */
  loadChoicesFor(kind: FormKind | ''): Promise<void>;
  edit(change: Partial<Omit<Draft, 'reverses'>>): void;
  /** Forgets the draft, its files and any outcome: the form starts empty. */
  discard(): void;
  /** A fresh draft that undoes `detail`'s request, prefilled as far as the record allows. */
  startReversal(
    detail: CallOutput<'approvals.get'>,
    keyNameOf?: (keyId: string) => string | undefined,
  ): Promise<void>;
  /** A fresh draft asking to delete one evidence file, as chosen beside it in a request. */
  startEvidenceDeletion(evidence: EvidenceMeta): void;
  addFiles(files: readonly File[]): Promise<void>;
  /** Files dropped on the desktop app's window (by path, through the preload). */
  addDroppedFiles(files: readonly File[]): Promise<void>;
  chooseFile(): Promise<void>;
  removeAttachment(id: string): void;
  dismissRefusals(): void;
  /** Uploads the files not yet uploaded, then raises the request; the raised request, or null. */
  submit(): Promise<ApprovalRequest | null>;
  cancelSubmit(): Promise<void>;
  dispose(): void;
}

const initial = {
  draft: emptyDraft,
  problems: {},
  note: null,
  planning: false,
  attachments: [],
  refusals: [],
  checking: 0,
  policy: null,
  policyError: null,
  apiKeys: { phase: 'idle' },
  evidence: { phase: 'idle' },
  pinnedEvidence: null,
  submission: { phase: 'idle' },
} satisfies Partial<NewRequestState>;

const busy = (submit: SubmitState) => submit.phase === 'uploading' || submit.phase === 'creating';
let localIds = 0;
const localId = () => `attachment-${++localIds}`;

/** The role of the session's profile in its tenant's organization; an API key reads `api-key`. */
export function roleInTenantOf({ tenants, tenant }: Pick<SessionState, 'tenants' | 'tenant'>): string | null {
  return tenants.find((t) => t.organization === tenant?.organization)?.role ?? null;
}

/**
 * The New request form's state: the draft (kept while the form is closed, so nothing typed is lost), the
 * evidence chosen for it (checked at once, uploaded only on submit), the tenant's policy for the lane
 * preview, and the submit with its upload progress and cancel. Scoped to the tenant: a switch forgets
 * the draft and calls off an upload, since a request is always raised where it was written.
 */
export function createNewRequestStore(
  client: ContractClient,
  session: SessionStore,
  { uploader = upload }: { uploader?: Uploader } = {},
) {
  let run: ReturnType<typeof runEvidenceUploads> | null = null;
  const options: TenantScopedOptions<NewRequestState> = {
    initial,
    onSwitch: () => {
      void run?.cancel();
      run = null;
    },
  };
  const store = createTenantScopedStore(session, options, (set, get, tenant) => {
    const loadList = async <T>(
      field: 'apiKeys' | 'evidence',
      fetch: () => Promise<{ ok: true; value: readonly T[] } | { ok: false; error: AppError }>,
    ) => {
      if (get()[field].phase === 'loading' || get()[field].phase === 'ready') return;
      const asked = tenant.guardTenant();
      set({ [field]: { phase: 'loading' } } as Partial<NewRequestState>);
      const got = await asked.settle(fetch());
      if (!got) return;
      set({
        [field]: got.ok ? { phase: 'ready', items: got.value } : { phase: 'error', error: got.error },
      } as Partial<NewRequestState>);
    };

    const attach = (attachment: Omit<Attachment, 'id'>) =>
      set((s) => ({ attachments: [...s.attachments, { ...attachment, id: localId() }] }));

    return {
      ...initial,
      choosesFiles: null,

      async init() {
        const where = tenant.scope();
        if (!where) return;
        const asked = tenant.guardTenant();
        const [info, policy] = await Promise.all([
          get().choosesFiles === null ? client.call('app.info', {}) : Promise.resolve(null),
          get().policy ? Promise.resolve(null) : asked.settle(client.call('policy.get', where)),
        ]);
        if (info?.ok) set({ choosesFiles: info.value.choosesFiles });
        if (policy && asked.current)
          set(policy.ok ? { policy: policy.value, policyError: null } : { policyError: policy.error });
      },

      async loadChoicesFor(kind) {
        const where = tenant.scope();
        if (!where) return;
        if (kind === 'api_key.rotate' || kind === 'api_key.revoke')
          await loadList('apiKeys', async () => {
            const got = await client.call('apiKeys.list', where);
            return got.ok ? { ok: true, value: got.value.keys } : got;
          });
        if (kind === 'evidence.delete')
          await loadList('evidence', async () => {
            const got = await client.call('evidence.list', where);
            return got.ok ? { ok: true, value: got.value.evidence } : got;
          });
      },

      edit(change) {
        if (busy(get().submission)) return;
        set((s) => {
          const problems = { ...s.problems };
          for (const field of Object.keys(change)) delete problems[field as keyof DraftProblems];
          const outcome = s.submission.phase === 'idle' ? {} : { submission: { phase: 'idle' } as const };
          return { draft: { ...s.draft, ...change }, problems, ...outcome };
        });
        if (change.kind !== undefined) void get().loadChoicesFor(change.kind);
      },

      discard() {
        if (busy(get().submission)) return;
        set({
          draft: emptyDraft,
          problems: {},
          note: null,
          attachments: [],
          refusals: [],
          pinnedEvidence: null,
          submission: { phase: 'idle' },
        });
      },

      startEvidenceDeletion(evidence) {
        if (busy(get().submission)) return;
        get().discard();
        const title = `Delete evidence “${evidence.name}”`;
        set({
          draft: {
            ...emptyDraft,
            kind: 'evidence.delete',
            evidenceId: evidence.id,
            title: title.slice(0, 200),
          },
          pinnedEvidence: evidence,
        });
        void get().loadChoicesFor('evidence.delete');
      },

      async startReversal(detail, keyNameOf) {
        const where = tenant.scope();
        if (!where || busy(get().submission)) return;
        const asked = tenant.guardTenant();
        get().discard();
        set({ planning: true, draft: { ...emptyDraft, reverses: detail.request.id } });
        const plan = await planReversal(client, where, detail, keyNameOf);
        if (!asked.current || get().draft.reverses !== detail.request.id) return;
        set({ planning: false, draft: plan.draft, note: plan.note });
        void get().loadChoicesFor(plan.draft.kind);
      },

      async addFiles(files) {
        if (busy(get().submission)) return;
        if (get().choosesFiles) return get().addDroppedFiles(files);
        const asked = tenant.guardTenant();
        const refusals: Refusal[] = [];
        set((s) => ({ refusals: [], checking: s.checking + files.length }));
        for (const file of files) {
          const checked = await checkPageFile(file);
          if (!asked.current) return;
          set((s) => ({ checking: s.checking - 1 }));
          if ('reason' in checked) refusals.push(checked);
          else {
            const refused = admissionRefusal(get().attachments, file.name, file.size);
            if (refused) refusals.push({ name: file.name, reason: refused });
            else
              attach({
                name: file.name,
                size: file.size,
                mediaType: checked.mediaType,
                file,
                fileId: null,
                evidenceId: null,
              });
          }
        }
        set({ refusals });
      },

      async addDroppedFiles(files) {
        // In the desktop app a page's bytes have no way to the main process: the preload hands over
        // the dropped files' paths instead, and the main process checks the type when it uploads.
        if (!client.grantDroppedFiles)
          return set({
            refusals: files.map((f) => ({
              name: f.name,
              reason: `“${f.name}” was dropped: attach files with Attach files… instead.`,
            })),
          });
        const asked = tenant.guardTenant();
        set({ refusals: [] });
        const granted = await asked.settle(client.grantDroppedFiles(files));
        if (!granted) return;
        if (!granted.ok) return set({ refusals: [{ name: '', reason: granted.error.message }] });
        const refusals: Refusal[] = granted.value.unreadable.map((name) => ({
          name,
          reason: `“${name}” is not a file that can be read (a folder, or a file moved since).`,
        }));
        // Text or a link dragged from another app has no file behind it.
        if (granted.value.files.length === 0 && refusals.length === 0)
          refusals.push({ name: '', reason: 'Only files can be dropped here.' });
        for (const file of granted.value.files) {
          const refused =
            sizeRefusal(file.name, file.size) ?? admissionRefusal(get().attachments, file.name, file.size);
          if (refused) refusals.push({ name: file.name, reason: refused });
          else
            attach({
              name: file.name,
              size: file.size,
              mediaType: null,
              file: null,
              fileId: file.fileId,
              evidenceId: null,
            });
        }
        set({ refusals });
      },

      async chooseFile() {
        if (busy(get().submission)) return;
        const asked = tenant.guardTenant();
        set({ refusals: [] });
        const chosen = await asked.settle(client.call('files.chooseEvidence', {}));
        if (!chosen) return;
        if (!chosen.ok) return set({ refusals: [{ name: '', reason: chosen.error.message }] });
        const file = chosen.value.file;
        if (!file) return;
        // The main process checks the type from the bytes when it uploads; the size is known now.
        const refused =
          sizeRefusal(file.name, file.size) ?? admissionRefusal(get().attachments, file.name, file.size);
        if (refused) return set({ refusals: [{ name: file.name, reason: refused }] });
        attach({
          name: file.name,
          size: file.size,
          mediaType: null,
          file: null,
          fileId: file.fileId,
          evidenceId: null,
        });
      },

      removeAttachment(id) {
        if (busy(get().submission)) return;
        set((s) => ({ attachments: s.attachments.filter((a) => a.id !== id) }));
      },

      dismissRefusals() {
        set({ refusals: [] });
      },

      async submit() {
        const where = tenant.scope();
        const { draft, submission, checking } = get();
        if (!where || busy(submission) || checking > 0) return null;
        const checked = checkDraft(draft, { isPerson: roleInTenantOf(session.getState()) !== 'api-key' });
        if (!checked.ok) {
          set({ problems: checked.problems, submission: { phase: 'idle' } });
          return null;
        }
        const asked = tenant.guardTenant();
        set({ problems: {} });
        run = runEvidenceUploads(
          client,
          uploader,
          where,
          {
            attachments: () => get().attachments,
            update: (id, change) =>
              asked.current &&
              set((s) => ({
                attachments: s.attachments.map((a) => (a.id === id ? { ...a, ...change } : a)),
              })),
            progress: (progress) => asked.current && set({ submission: { phase: 'uploading', ...progress } }),
          },
          checked.evidence,
        );
        const uploaded = await run.done;
        run = null;
        if (!asked.current) return null;
        if (uploaded.outcome !== 'uploaded') {
          set({
            submission:
              uploaded.outcome === 'cancelled'
                ? { phase: 'cancelled' }
                : { phase: 'failed', error: uploaded.error },
          });
          return null;
        }
        set({ submission: { phase: 'creating' } });
        const created = await asked.settle(
          client.call('approvals.create', {
            ...where,
            ...checked.request,
            evidenceIds: [...uploaded.evidenceIds],
          }),
        );
        if (!created) return null;
        if (!created.ok) {
          set({ submission: { phase: 'failed', error: created.error } });
          return null;
        }
        // Raised: the draft has become the request, and its files are the request's evidence.
        set({ submission: { phase: 'idle' } });
        get().discard();
        return created.value.request;
      },

      async cancelSubmit() {
        const submission = get().submission;
        if (submission.phase !== 'uploading' || submission.cancelling) return;
        set({ submission: { ...submission, cancelling: true } });
        await run?.cancel();
      },

      dispose() {
        tenant.dispose();
        void run?.cancel();
        stopEvents();
      },
    };
  });

  const stopEvents = client.onEvent((name, payload) => {
    if (name === 'progress') run?.onProgress(payload);
  });

  return store;
}

export type NewRequestStore = ReturnType<typeof createNewRequestStore>;

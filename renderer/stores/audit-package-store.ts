import type { ExportVerificationResult } from '../../shared/contract/calls/audit';
import type { PackageVerificationResult } from '../../shared/contract/calls/audit-package';
import type { SavePurpose } from '../../shared/contract/calls/files';
import { events } from '../../shared/contract/contract';
import type { Environment } from '../../shared/domain/environments';
import { type AppError, fail, ok, type Result } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import type { GrantedFile } from '../contract/uploads';
import { parseKeyLines } from './audit-export-store';
import type { SessionStore } from './session-store';
import { createTenantScopedStore } from './tenant-scoped';

export type ExportKind = 'package' | 'log';

/** What the auditor asks for: whose log, which environment, and the period by whole UTC days. */
export interface ExportForm {
  readonly kind: ExportKind;
  readonly organization: string;
  readonly environment: Environment;
  /** YYYY-MM-DD, the first day of the period. */
  readonly from: string;
  /** YYYY-MM-DD, its last day (included). */
  readonly through: string;
}

export interface SavedExport {
  readonly kind: ExportKind;
  readonly file: GrantedFile;
  readonly sha256: string;
  readonly organization: string;
  readonly environment: Environment;
  readonly period: { readonly from: string; readonly to: string };
}

export type Verification =
  | { readonly kind: 'package'; readonly result: PackageVerificationResult }
  | { readonly kind: 'log'; readonly result: ExportVerificationResult };

export interface FolderFile {
  readonly name: string;
  readonly size: number;
  readonly modifiedAt: string;
}

interface Progress {
  readonly taskId: string;
  readonly done: number;
  readonly total: number;
  readonly cancelling: boolean;
}

export type ExportStep =
  | { readonly phase: 'idle' }
  | { readonly phase: 'choosing' }
  /** The headless host's save picker: a name in the console's folder, the files already there beside it. */
  | {
      readonly phase: 'naming';
      readonly name: string;
      readonly files: readonly FolderFile[];
      readonly error: AppError | null;
      /** The name is taken: the next confirm replaces that file. */
      readonly replacing: boolean;
    }
  | ({ readonly phase: 'exporting' } & Progress)
  | ({ readonly phase: 'verifying'; readonly saved: SavedExport; readonly sampling: number } & Progress)
  | { readonly phase: 'done'; readonly saved: SavedExport; readonly verification: Verification }
  | { readonly phase: 'failed'; readonly error: AppError; readonly saved: SavedExport | null };

export interface PackageExportState {
  readonly form: ExportForm;
  readonly savesWithDialog: boolean | null;
  readonly step: ExportStep;
  /** The last export that was cancelled, so the screen can say so. */
  readonly cancelled: boolean;
  /** The sample size as typed. */
  readonly sampleText: string;
  readonly sampleError: string | null;
  init(): Promise<void>;
  setForm(change: Partial<ExportForm>): void;
  /** Asks where to save (the system dialog, or the page's picker), then exports and verifies. */
  start(): Promise<void>;
  setName(name: string): void;
  /** The page's picker: save under the typed name (replacing a file of that name once confirmed). */
  confirmName(): Promise<void>;
  cancel(): Promise<void>;
  setSampleText(text: string): void;
  /** Verifies the saved package again, drawing a sample of N requests from its closing checkpoint. */
  drawSample(): Promise<void>;
  /** Opens the saved HTML report: the system viewer, or the address of a page that shows it. */
  openReport(): Promise<Result<{ url: string | null }>>;
  dispose(): void;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const newTaskId = () => crypto.randomUUID();

/** The form's days as the period's instants: from the first day's start to the day after the last (UTC). */
export function periodOf(form: ExportForm): Result<{ from: string; to: string }> {
  const from = Date.parse(`${form.from}T00:00:00Z`);
  const through = Date.parse(`${form.through}T00:00:00Z`);
  if (Number.isNaN(from) || Number.isNaN(through))
    return fail('bad-request', 'Enter both days of the period.');
  if (through < from) return fail('bad-request', 'The period’s last day comes before its first.');
  return ok({ from: new Date(from).toISOString(), to: new Date(through + DAY).toISOString() });
}

export function suggestedName(form: ExportForm): string {
  const stem = form.kind === 'package' ? 'audit-package' : 'audit-log';
  const safe = form.organization.replace(/[^\w-]+/g, '_');
  return `${stem}-${safe}-${form.environment}-${form.from}-${form.through}${extensionOf(form.kind)}`;
}

const extensionOf = (kind: ExportKind) => (kind === 'package' ? '.zip' : '.jsonl');
const purposeOf = (kind: ExportKind): SavePurpose => (kind === 'package' ? 'audit-package' : 'audit-log');

/**
 * The auditor's export from the console: pick organization, environment and period, export the log or the
 * audit package to where they choose (with progress and cancel), verify it at once offline with the
 * platform's published keys (the reports saved beside it), draw a sample of N requests, and open the report.
 */
export function createAuditPackageStore(client: ContractClient, session: SessionStore) {
  const defaultForm = (): ExportForm => {
    const { tenant } = session.getState();
    const today = Date.now();
    return {
      kind: 'package',
      organization: tenant?.organization ?? session.getState().tenants[0]?.organization ?? '',
      environment: tenant?.environment ?? 'test',
      from: isoDay(today - 30 * DAY),
      through: isoDay(today),
    };
  };
  const initial = {
    step: { phase: 'idle' } as ExportStep,
    cancelled: false,
    sampleText: '10',
    sampleError: null,
  } satisfies Partial<PackageExportState>;

  const store = createTenantScopedStore<PackageExportState>(
    session,
    {
      initial,
      onSwitch: ({ previous, current }) => {
        const step = previous.step;
        if (step.phase === 'exporting' || step.phase === 'verifying')
          void client.call('audit.cancel', { taskId: step.taskId });
        current.setForm(defaultForm());
      },
    },
    (set, get, tenant) => {
      const profile = () => session.getState().active?.profile;

      async function publishedKeys(): Promise<Result<string[]>> {
        const p = profile();
        if (!p) return fail('unauthenticated', 'Sign in again.');
        const got = await client.call('audit.verifierKeys', { profile: p });
        if (!got.ok) return got;
        return parseKeyLines([got.value.current, ...got.value.keys].join('\n'));
      }

      async function verify(saved: SavedExport, sample: number): Promise<void> {
        const keys = await publishedKeys();
        if (!keys.ok) return set({ step: { phase: 'failed', error: keys.error, saved } });
        const taskId = newTaskId();
        set({
          step: {
            phase: 'verifying',
            saved,
            sampling: sample,
            taskId,
            done: 0,
            total: saved.file.size,
            cancelling: false,
          },
        });
        const verification: Result<Verification> =
          saved.kind === 'package'
            ? await client
                .call('audit.verifyPackage', {
                  taskId,
                  fileId: saved.file.fileId,
                  keys: keys.value,
                  // No sample until one is asked for: the first check shows the package's own verdict.
                  ...(sample > 0 ? { sample } : {}),
                })
                .then((r) => (r.ok ? ok({ kind: 'package' as const, result: r.value }) : r))
            : await client
                .call('audit.verifyExport', { taskId, fileId: saved.file.fileId, keys: keys.value })
                .then((r) => (r.ok ? ok({ kind: 'log' as const, result: r.value }) : r));
        const now = get().step;
        if (now.phase !== 'verifying' || now.taskId !== taskId) return;
        if (!verification.ok) return set({ step: { phase: 'failed', error: verification.error, saved } });
        const report = verification.value.result.report;
        if (report.cancelled) return set({ step: { phase: 'idle' }, cancelled: true });
        set({ step: { phase: 'done', saved, verification: verification.value } });
      }

      async function run(saveId: string): Promise<void> {
        const p = profile();
        const { form } = get();
        const period = periodOf(form);
        if (!p || !period.ok)
          return set({
            step: {
              phase: 'failed',
              error: period.ok ? { code: 'unauthenticated', message: 'Sign in again.' } : period.error,
              saved: null,
            },
          });
        const taskId = newTaskId();
        set({ step: { phase: 'exporting', taskId, done: 0, total: 0, cancelling: false }, cancelled: false });
        const input = {
          profile: p,
          tenant: { organization: form.organization, environment: form.environment },
          taskId,
          ...period.value,
          target: saveId,
        };
        const exported =
          form.kind === 'package'
            ? await client.call('audit.exportPackage', input)
            : await client.call('audit.exportLog', input);
        const now = get().step;
        if (now.phase !== 'exporting' || now.taskId !== taskId) return;
        if (!exported.ok) return set({ step: { phase: 'failed', error: exported.error, saved: null } });
        if (exported.value.outcome === 'cancelled') return set({ step: { phase: 'idle' }, cancelled: true });
        const saved: SavedExport = {
          kind: form.kind,
          file: exported.value.file,
          sha256: exported.value.sha256,
          organization: form.organization,
          environment: form.environment,
          period: 'manifest' in exported.value ? exported.value.manifest.period : period.value,
        };
        await verify(saved, 0);
      }

      return {
        ...initial,
        form: defaultForm(),
        savesWithDialog: null,

        async init() {
          if (get().savesWithDialog !== null) return;
          const info = await client.call('app.info', {});
          if (info.ok) set({ savesWithDialog: info.value.savesWithDialog });
          if (!get().form.organization) set({ form: defaultForm() });
        },

        setForm(change) {
          const step = get().step.phase;
          if (step === 'exporting' || step === 'verifying' || step === 'choosing') return;
          set((s) => ({ form: { ...s.form, ...change } }));
        },

        async start() {
          const { form, step, savesWithDialog } = get();
          if (step.phase === 'exporting' || step.phase === 'verifying' || step.phase === 'choosing') return;
          const period = periodOf(form);
          if (!period.ok) return set({ step: { phase: 'failed', error: period.error, saved: null } });
          if (!form.organization)
            return set({
              step: {
                phase: 'failed',
                error: { code: 'bad-request', message: 'Pick an organization.' },
                saved: null,
              },
            });
          const asked = tenant.guardTenant();
          if (!savesWithDialog) {
            const folder = await asked.settle(client.call('files.savedFolder', {}));
            if (!folder) return;
            return set({
              step: {
                phase: 'naming',
                name: suggestedName(form),
                // Only files of the same kind: the names this save could replace.
                files: folder.ok
                  ? folder.value.files.filter((f) => f.name.endsWith(extensionOf(form.kind)))
                  : [],
                error: null,
                replacing: false,
              },
              cancelled: false,
            });
          }
          set({ step: { phase: 'choosing' }, cancelled: false });
          const chosen = await asked.settle(
            client.call('files.chooseSave', {
              purpose: purposeOf(form.kind),
              suggestedName: suggestedName(form),
            }),
          );
          if (!chosen) return;
          if (!chosen.ok) return set({ step: { phase: 'failed', error: chosen.error, saved: null } });
          if (!chosen.value.target) return set({ step: { phase: 'idle' } });
          await run(chosen.value.target.saveId);
        },

        setName(name) {
          const step = get().step;
          if (step.phase === 'naming') set({ step: { ...step, name, error: null, replacing: false } });
        },

        async confirmName() {
          const step = get().step;
          if (step.phase !== 'naming') return;
          const name = step.name.trim();
          const asked = tenant.guardTenant();
          const placed = await asked.settle(
            client.call('files.saveInFolder', {
              purpose: purposeOf(get().form.kind),
              name,
              replace: step.replacing,
            }),
          );
          const now = get().step;
          if (!placed || now.phase !== 'naming') return;
          if (!placed.ok)
            return set({
              step: { ...now, error: placed.error, replacing: placed.error.code === 'conflict' },
            });
          await run(placed.value.target.saveId);
        },

        async cancel() {
          const step = get().step;
          if (step.phase === 'naming') return set({ step: { phase: 'idle' } });
          if (step.phase !== 'exporting' && step.phase !== 'verifying') return;
          set({ step: { ...step, cancelling: true } });
          await client.call('audit.cancel', { taskId: step.taskId });
        },

        setSampleText(text) {
          set({ sampleText: text, sampleError: null });
        },

        async drawSample() {
          const step = get().step;
          if (step.phase !== 'done' || step.saved.kind !== 'package') return;
          const text = get().sampleText.trim();
          const n = Number(text);
          if (!/^\d+$/.test(text) || n < 1 || n > 10_000)
            return set({ sampleError: 'Enter a whole number of requests from 1 to 10,000.' });
          await verify(step.saved, n);
        },

        async openReport() {
          const step = get().step;
          const reports = step.phase === 'done' ? step.verification.result.reports : null;
          if (!reports) return fail('not-found', 'This verification saved no report.');
          const opened = await client.call('audit.openReport', { fileId: reports.html.fileId });
          if (!opened.ok) return opened;
          return ok({ url: opened.value.opened === 'page' ? opened.value.url : null });
        },

        dispose() {
          tenant.dispose();
          stopEvents();
        },
      };
    },
  );

  const stopEvents = client.onEvent((name, payload) => {
    if (name !== 'progress') return;
    const progress = events.progress.safeParse(payload);
    const step = store.getState().step;
    if (!progress.success || (step.phase !== 'exporting' && step.phase !== 'verifying')) return;
    if (progress.data.task !== step.taskId) return;
    store.setState({ step: { ...step, done: progress.data.done, total: progress.data.total } });
  });

  return store;
}

export type AuditPackageStore = ReturnType<typeof createAuditPackageStore>;

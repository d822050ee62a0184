import { events } from '../../shared/contract/contract';
import type { AppError } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import type { Uploader } from '../contract/uploads';
import type { Attachment } from './evidence-attachments';
import type { EvidencePeriodInput } from './new-request-draft';
import type { TenantScope } from './tenant-scoped';

/** Where a submit's uploads are: which file of how many, and its bytes. */
export interface UploadProgress {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
  readonly name: string;
  /** Handing a page's file to the console (headless host), or sending it to the platform. */
  readonly step: 'preparing' | 'sending';
  readonly done: number;
  readonly total: number;
  readonly cancelling: boolean;
}

export type UploadOutcome =
  | { readonly outcome: 'uploaded'; readonly evidenceIds: readonly string[] }
  | { readonly outcome: 'cancelled' }
  | { readonly outcome: 'failed'; readonly error: AppError };

interface RunHooks {
  attachments(): readonly Attachment[];
  update(id: string, change: Partial<Attachment>): void;
  progress(progress: UploadProgress): void;
}

const newTaskId = () => crypto.randomUUID();

/**
 * A submit's evidence, uploaded one file after another: each page file handed to the console first
 * (headless host), then sent to the platform by `evidence.upload` with `progress` events under its task
 * id. Files uploaded by an earlier try keep their evidence id and are not sent again. Cancel stops the
 * file on its way (the hand-over by aborting it, the upload by `evidence.cancelUpload`).
 */
export function runEvidenceUploads(
  client: ContractClient,
  uploader: Uploader,
  where: TenantScope,
  hooks: RunHooks,
  period: EvidencePeriodInput = {},
) {
  let cancelled = false;
  let handOver: AbortController | null = null;
  let taskId: string | null = null;
  /** A cancel the main process answered "nothing running" to: the upload may not have started yet. */
  let unacknowledgedCancel: string | null = null;
  let current: UploadProgress | null = null;

  const report = (progress: UploadProgress) => {
    current = progress;
    hooks.progress(progress);
  };
  const sendCancel = async (id: string) => {
    const answer = await client.call('evidence.cancelUpload', { taskId: id });
    unacknowledgedCancel = answer.ok && answer.value.cancelled ? null : id;
  };
  const failed = (name: string, error: AppError): UploadOutcome => ({
    outcome: 'failed',
    // The main process names the file in its refusals; a failed hand-over does not.
    error: error.message.includes(name) ? error : { ...error, message: `“${name}”: ${error.message}` },
  });

  const uploadAll = async (): Promise<UploadOutcome> => {
    const pending = hooks.attachments().filter((a) => a.evidenceId === null);
    for (const [i, attachment] of pending.entries()) {
      if (cancelled) return { outcome: 'cancelled' };
      const base = { index: i + 1, count: pending.length, name: attachment.name, cancelling: false };
      let fileId = attachment.fileId;
      if (!fileId && attachment.file) {
        handOver = new AbortController();
        report({ ...base, step: 'preparing', done: 0, total: attachment.size });
        const handed = await uploader(attachment.file, {
          signal: handOver.signal,
          onProgress: (done, total) =>
            report({ ...base, step: 'preparing', done, total, cancelling: cancelled }),
        });
        handOver = null;
        if (cancelled) return { outcome: 'cancelled' };
        if (!handed.ok) return failed(attachment.name, handed.error);
        fileId = handed.value.fileId;
        hooks.update(attachment.id, { fileId });
      }
      if (!fileId) return failed(attachment.name, { code: 'not-found', message: 'choose the file again.' });
      taskId = newTaskId();
      report({ ...base, step: 'sending', done: 0, total: attachment.size });
      const sent = await client.call('evidence.upload', { ...where, ...period, taskId, fileId });
      taskId = null;
      if (!sent.ok) {
        // The console no longer holds the file (it restarted, say): the page's copy is handed over again.
        if (sent.error.code === 'not-found' && attachment.file) hooks.update(attachment.id, { fileId: null });
        return failed(attachment.name, sent.error);
      }
      if (sent.value.outcome === 'cancelled') return { outcome: 'cancelled' };
      // Uploaded, even if a cancel came too late to stop it: a later try must not send it again.
      hooks.update(attachment.id, { evidenceId: sent.value.evidence.id, fileId: null, file: null });
      if (cancelled) return { outcome: 'cancelled' };
    }
    const evidenceIds = hooks.attachments().flatMap((a) => (a.evidenceId ? [a.evidenceId] : []));
    return { outcome: 'uploaded', evidenceIds };
  };

  return {
    done: uploadAll(),

    async cancel() {
      cancelled = true;
      if (current) report({ ...current, cancelling: true });
      handOver?.abort();
      if (taskId) await sendCancel(taskId);
    },

    /** A `progress` event: the file being sent moved on (and a cancel that came too early is sent again). */
    onProgress(payload: unknown) {
      const progress = events.progress.safeParse(payload);
      if (!progress.success || !current || progress.data.task !== taskId || current.step !== 'sending')
        return;
      report({ ...current, done: progress.data.done, total: progress.data.total });
      if (unacknowledgedCancel === taskId) {
        unacknowledgedCancel = null;
        void sendCancel(taskId);
      }
    },
  };
}

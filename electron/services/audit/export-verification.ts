import { Worker } from 'node:worker_threads';
import type { VerificationReport } from '../../../shared/audit/report';
import { verificationReportCsv } from '../../../shared/audit/report-csv';
import { verificationReportHtml } from '../../../shared/audit/report-html';
import { fail, ok, type Result } from '../../../shared/result';
import type { EventBus } from '../contract/event-bus';
import type { FileGrants } from '../files/file-grants';
import { type SavedReports, saveReportsBeside } from './saved-reports';
import type { VerifyJob, WorkerMessage } from './verify-protocol';

export interface ExportVerificationResult {
  readonly fileName: string;
  readonly fileSha256: string | null;
  readonly verifiedAt: string;
  readonly report: VerificationReport;
  /** The HTML and CSV reports saved beside a file the person saved; null for an upload. */
  readonly reports: SavedReports | null;
}

/**
 * Offline verification of an export file the user chose, in a worker thread so the main process stays
 * responsive: progress goes out as `progress` events under the caller's task id, and `cancel` stops it.
 */
export class ExportVerification {
  readonly #running = new Map<string, Worker>();

  constructor(
    private readonly files: FileGrants,
    private readonly events: EventBus,
    private readonly workerUrl: URL,
    private readonly now: () => number,
  ) {}

  async verify(input: {
    taskId: string;
    fileId: string;
    keys: readonly string[];
    trusted?: readonly string[];
    expectedOrigin?: string;
  }): Promise<Result<ExportVerificationResult>> {
    const file = this.files.get(input.fileId);
    if (!file) return fail('not-found', 'Open the export file again.');
    if (this.#running.has(input.taskId)) return fail('conflict', 'That verification is already running.');
    const job: VerifyJob = {
      path: file.path,
      keys: input.keys,
      trusted: input.trusted ?? [],
      expectedOrigin: input.expectedOrigin ?? null,
    };
    const worker = new Worker(this.workerUrl, { workerData: job });
    this.#running.set(input.taskId, worker);
    try {
      const done = await new Promise<Extract<WorkerMessage, { kind: 'done' }> | undefined>((resolve) => {
        worker.on('message', (message: WorkerMessage) => {
          if (message.kind === 'progress')
            this.events.emit('progress', { task: input.taskId, done: message.done, total: message.total });
          else resolve(message);
        });
        worker.once('error', () => resolve(undefined));
        worker.once('exit', () => resolve(undefined));
      });
      if (!done) return fail('internal', 'The verifier stopped unexpectedly; try again.');
      const record = {
        fileName: file.name,
        fileSha256: done.sha256,
        verifiedAt: new Date(this.now()).toISOString(),
        report: done.report,
      };
      const reports = done.report.cancelled
        ? ok(null)
        : await saveReportsBeside(this.files, input.fileId, {
            html: verificationReportHtml(record),
            csv: verificationReportCsv(record),
          });
      if (!reports.ok) return reports;
      return ok({ ...record, reports: reports.value });
    } finally {
      this.#running.delete(input.taskId);
      void worker.terminate();
    }
  }

  cancel(taskId: string): boolean {
    const worker = this.#running.get(taskId);
    worker?.postMessage('cancel');
    return worker !== undefined;
  }
}

import { workerChunkHasher } from '../../../shared/audit/node-chunk-hasher';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import { parseVerifierKey, type VerifierKey } from '../../../shared/audit/note';
import { type PackageReport, packageReportCsv } from '../../../shared/audit/package/package-report';
import { packageReportHtml } from '../../../shared/audit/package/package-report-html';
import { verifyPackage } from '../../../shared/audit/package/verify-package';
import { fail, ok, type Result } from '../../../shared/result';
import type { EventBus } from '../contract/event-bus';
import type { FileGrants } from '../files/file-grants';
import { type SavedReports, saveReportsBeside } from './saved-reports';

export interface PackageVerificationResult {
  readonly fileName: string;
  readonly verifiedAt: string;
  readonly report: PackageReport;
  /** The HTML and CSV reports saved beside the package; null for an upload (nowhere beside it). */
  readonly reports: SavedReports | null;
}

/**
 * Offline verification of a saved or chosen audit package (shared/audit/package/verify-package.ts), with a
 * sample of N requests drawn from the checkpoint that closes its period when asked. The hashing runs on
 * worker threads (the log's leaves and the package's files); the walk itself yields between reads, so the
 * main process stays responsive. Progress goes out under the task id; `cancel` stops it. The reports are
 * saved beside the package, replacing an earlier verification's.
 */
export class PackageVerification {
  readonly #running = new Map<string, AbortController>();

  constructor(
    private readonly files: FileGrants,
    private readonly events: EventBus,
    private readonly now: () => number,
  ) {}

  async verify(input: {
    taskId: string;
    fileId: string;
    keys: readonly string[];
    sample?: number;
  }): Promise<Result<PackageVerificationResult>> {
    const file = this.files.get(input.fileId);
    if (!file) return fail('not-found', 'Open the package again.');
    if (this.#running.has(input.taskId)) return fail('conflict', 'That verification is already running.');
    const keys = input.keys
      .map((text) => parseVerifierKey(nodeAuditCrypto, text))
      .filter((k): k is VerifierKey => k !== undefined && k !== null);
    if (keys.length === 0) return fail('bad-request', 'None of the keys is a verifier key.');
    const abort = new AbortController();
    this.#running.set(input.taskId, abort);
    const chunkHasher = workerChunkHasher();
    try {
      let lastPost = 0;
      const report = await verifyPackage(file.path, {
        crypto: nodeAuditCrypto,
        keys,
        sample: input.sample,
        signal: abort.signal,
        chunkHasher,
        onProgress: ({ done, total }) => {
          // A few dozen messages a second at most: progress is for people, not a trace.
          const at = Date.now();
          if (at - lastPost < 50 && done < total) return;
          lastPost = at;
          this.events.emit('progress', { task: input.taskId, done, total });
        },
      });
      const verifiedAt = new Date(this.now()).toISOString();
      const reports = report.cancelled
        ? ok(null)
        : await saveReportsBeside(this.files, input.fileId, {
            html: packageReportHtml({ fileName: file.name, verifiedAt, report }),
            csv: packageReportCsv(report, file.name, verifiedAt),
          });
      if (!reports.ok) return reports;
      return ok({ fileName: file.name, verifiedAt, report, reports: reports.value });
    } finally {
      this.#running.delete(input.taskId);
      await chunkHasher.close();
    }
  }

  cancel(taskId: string): boolean {
    const running = this.#running.get(taskId);
    running?.abort();
    return running !== undefined;
  }
}

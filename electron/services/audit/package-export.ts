import type { WriteStream } from 'node:fs';
import { buildPackage } from '../../../shared/audit/package/builder';
import type { ManifestHeader } from '../../../shared/audit/package/format';
import { PackageZipWriter } from '../../../shared/audit/package/zip-writer';
import { ok, type Result } from '../../../shared/result';
import {
  type PackageExportInput,
  type PeriodExportDeps,
  type PeriodExportOutcome,
  PeriodExports,
} from './period-export';

export type PackageExportOutcome = PeriodExportOutcome<{
  readonly sha256: string;
  readonly manifest: ManifestHeader;
  readonly missingEvidence: readonly string[];
}>;

/**
 * Builds an audit package from the platform (shared/audit/package/builder.ts) and saves it where the
 * auditor chose, with `progress` events under the task id and `audit.cancel` to stop it; saveAtomically
 * leaves nothing behind on cancel, failure or crash.
 */
export class PackageExports {
  readonly #exports: PeriodExports;

  constructor(private readonly deps: PeriodExportDeps) {
    this.#exports = new PeriodExports(deps, 'package');
  }

  export(input: PackageExportInput): Promise<Result<PackageExportOutcome>> {
    return this.#exports.run(input, async ({ source, environment, period, signal, progress }) =>
      ok(async (out: WriteStream) => {
        const built = await buildPackage(source, new PackageZipWriter(out), {
          environment,
          from: period.from,
          to: period.to,
          now: () => new Date(this.deps.now()),
          signal,
          onProgress: progress,
        });
        return { sha256: built.sha256, manifest: built.manifest, missingEvidence: built.missingEvidence };
      }),
    );
  }

  cancel(taskId: string): boolean {
    return this.#exports.cancel(taskId);
  }
}

import { createHash } from 'node:crypto';
import type { WriteStream } from 'node:fs';
import { fail, ok, type Result } from '../../../shared/result';
import {
  type PackageExportInput,
  type PeriodExportDeps,
  type PeriodExportOutcome,
  PeriodExports,
} from './period-export';

export type LogExportOutcome = PeriodExportOutcome<{
  readonly sha256: string;
  /** The seqs the period maps to: [start, end). */
  readonly range: { readonly start: number; readonly end: number };
}>;

async function write(out: WriteStream, chunks: AsyncIterable<Uint8Array>, onChunk: (n: number) => void) {
  const hash = createHash('sha256');
  for await (const chunk of chunks) {
    hash.update(chunk);
    onChunk(chunk.length);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return hash.digest('hex');
}

/**
 * The tenant's log export for a period (the entries from the first after `from` to the last before `to`,
 * as the package builder maps a period), streamed from the platform to where the auditor chose, with
 * progress and cancel, atomically like a package.
 */
export class LogExports {
  readonly #exports: PeriodExports;

  constructor(deps: PeriodExportDeps) {
    this.#exports = new PeriodExports(deps, 'export');
  }

  export(input: PackageExportInput): Promise<Result<LogExportOutcome>> {
    return this.#exports.run(input, async ({ source, environment, period, progress }) => {
      const before = await source.newestBefore(environment, period.from);
      const last = await source.newestBefore(environment, period.to);
      const start = before ? before.seq + 1 : 0;
      const end = Math.max(start, last ? last.seq + 1 : 0);
      if (end === start) return fail('not-found', 'The log holds no entry in that period.');
      let done = 0;
      return ok(async (out: WriteStream) => ({
        sha256: await write(out, source.exportStream(environment, start, end), (n) => {
          done += n;
          progress(done, done);
        }),
        range: { start, end },
      }));
    });
  }

  cancel(taskId: string): boolean {
    return this.#exports.cancel(taskId);
  }
}

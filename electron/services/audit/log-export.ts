import { createHash } from 'node:crypto';
import type { WriteStream } from 'node:fs';
import { PackageBuildError } from '../../../shared/audit/package/builder';
import type { Environment } from '../../../shared/domain/environments';
import { fail, ok, type Result } from '../../../shared/result';
import type { EventBus } from '../contract/event-bus';
import type { FileGrants, GrantedFile } from '../files/file-grants';
import type { SaveTargets } from '../files/save-targets';
import type { ProfileSessions } from '../profiles/profile-sessions';
import { saveAtomically } from './atomic-save';
import { type PackageExportInput, periodUntilNow } from './package-export';
import type { PartialFiles } from './partial-files';
import { platformPackageSource } from './platform-package-source';

export type LogExportOutcome =
  | {
      readonly outcome: 'saved';
      readonly file: GrantedFile;
      readonly sha256: string;
      /** The seqs the period maps to: [start, end). */
      readonly range: { readonly start: number; readonly end: number };
    }
  | { readonly outcome: 'cancelled' };

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
  readonly #running = new Map<string, AbortController>();

  constructor(
    private readonly profiles: ProfileSessions,
    private readonly files: FileGrants,
    private readonly events: EventBus,
    private readonly partials: PartialFiles,
    private readonly targets: SaveTargets,
    private readonly now: () => number,
  ) {}

  async export(input: PackageExportInput): Promise<Result<LogExportOutcome>> {
    if (this.#running.has(input.taskId)) return fail('conflict', 'An export with this task id is running.');
    const period = periodUntilNow(input, this.now());
    if (!period.ok) return period;
    const target = this.targets.take(input.target);
    if (!target) return fail('not-found', 'Choose where to save the export again.');
    const abort = new AbortController();
    this.#running.set(input.taskId, abort);
    try {
      const client = await this.profiles.client(input.profile);
      if (!client.ok) return client;
      const env: Environment = input.tenant.environment;
      const source = platformPackageSource(client.value, input.tenant.organization, abort.signal);
      const before = await source.newestBefore(env, period.value.from);
      const last = await source.newestBefore(env, period.value.to);
      const start = before ? before.seq + 1 : 0;
      const end = Math.max(start, last ? last.seq + 1 : 0);
      if (end === start) return fail('not-found', 'The log holds no entry in that period.');
      let done = 0;
      const sha256 = await saveAtomically(this.partials, target, (out) =>
        write(out, source.exportStream(env, start, end), (n) => {
          done += n;
          this.events.emit('progress', { task: input.taskId, done, total: done });
        }),
      );
      const granted = await this.files.grantPath(target);
      if (!granted.ok) return granted;
      return ok({ outcome: 'saved', file: granted.value, sha256, range: { start, end } });
    } catch (error) {
      if (abort.signal.aborted) return ok({ outcome: 'cancelled' });
      if (error instanceof PackageBuildError) return fail(error.code, error.message);
      throw error;
    } finally {
      this.#running.delete(input.taskId);
    }
  }

  cancel(taskId: string): boolean {
    const running = this.#running.get(taskId);
    running?.abort();
    return running !== undefined;
  }
}

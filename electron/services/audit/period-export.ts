import type { WriteStream } from 'node:fs';
import { PackageBuildError, type PackageDataSource } from '../../../shared/audit/package/builder';
import type { ProfileRef, TenantRef } from '../../../shared/contract/spec';
import type { Environment } from '../../../shared/domain/environments';
import { fail, ok, type Result } from '../../../shared/result';
import type { EventBus } from '../contract/event-bus';
import type { FileGrants, GrantedFile } from '../files/file-grants';
import type { SaveTargets } from '../files/save-targets';
import type { ProfileSessions } from '../profiles/profile-sessions';
import { saveAtomically } from './atomic-save';
import type { PartialFiles } from './partial-files';
import { platformPackageSource } from './platform-package-source';

export interface PackageExportInput {
  readonly taskId: string;
  readonly profile: ProfileRef;
  readonly tenant: TenantRef;
  readonly from: string;
  readonly to: string;
  /** Where the person chose to save it (files.chooseSave / files.saveInFolder). */
  readonly target: string;
}

/**
 * The period as exported: one that reaches past now ends now (the auditor picked "through today"), so
 * nothing can still be appended to it; one that has not started yet is refused.
 */
export function periodUntilNow(
  input: { readonly from: string; readonly to: string },
  now: number,
): Result<{ from: string; to: string }> {
  const from = Date.parse(input.from);
  const to = Math.min(Date.parse(input.to), now);
  if (!(from < to)) return fail('bad-request', 'The period must end after it starts, and start before now.');
  return ok({ from: input.from, to: new Date(to).toISOString() });
}

export interface PeriodExportDeps {
  readonly profiles: ProfileSessions;
  readonly files: FileGrants;
  readonly events: EventBus;
  readonly partials: PartialFiles;
  readonly targets: SaveTargets;
  readonly now: () => number;
}

/** What one kind of export needs to write its file: the tenant's platform, the period, progress, cancel. */
export interface PeriodExportJob {
  readonly source: PackageDataSource;
  readonly environment: Environment;
  readonly period: { readonly from: string; readonly to: string };
  readonly signal: AbortSignal;
  progress(done: number, total: number): void;
}

export type PeriodExportOutcome<T> =
  | ({ readonly outcome: 'saved'; readonly file: GrantedFile } & T)
  | { readonly outcome: 'cancelled' };

/**
 * A file of one period saved where the auditor chose: one task per id, `progress` events under it, cancel
 * by `cancel(taskId)`, and saveAtomically's promise that nothing is left behind on cancel, failure or crash.
 * What goes into the file is the caller's: `start` answers a writer (or why there is nothing to write).
 */
export class PeriodExports {
  readonly #running = new Map<string, AbortController>();

  constructor(
    private readonly deps: PeriodExportDeps,
    private readonly noun: 'export' | 'package',
  ) {}

  async run<T extends object>(
    input: PackageExportInput,
    start: (job: PeriodExportJob) => Promise<Result<(out: WriteStream) => Promise<T>>>,
  ): Promise<Result<PeriodExportOutcome<T>>> {
    const { deps, noun } = this;
    if (this.#running.has(input.taskId))
      return fail('conflict', `${noun === 'export' ? 'An' : 'A'} ${noun} with this task id is running.`);
    const period = periodUntilNow(input, deps.now());
    if (!period.ok) return period;
    const target = deps.targets.take(input.target);
    if (!target) return fail('not-found', `Choose where to save the ${noun} again.`);
    const abort = new AbortController();
    this.#running.set(input.taskId, abort);
    try {
      const client = await deps.profiles.client(input.profile);
      if (!client.ok) return client;
      const writer = await start({
        source: platformPackageSource(client.value, input.tenant.organization, abort.signal),
        environment: input.tenant.environment,
        period: period.value,
        signal: abort.signal,
        progress: (done, total) => deps.events.emit('progress', { task: input.taskId, done, total }),
      });
      if (!writer.ok) return writer;
      const written = await saveAtomically(deps.partials, target, writer.value);
      const granted = await deps.files.grantPath(target);
      if (!granted.ok) return granted;
      return ok({ outcome: 'saved' as const, file: granted.value, ...written });
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

import { buildPackage, PackageBuildError } from '../../../shared/audit/package/builder';
import type { ManifestHeader } from '../../../shared/audit/package/format';
import { PackageZipWriter } from '../../../shared/audit/package/zip-writer';
import type { ProfileRef, TenantRef } from '../../../shared/contract/spec';
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

export type PackageExportOutcome =
  | {
      readonly outcome: 'saved';
      readonly file: GrantedFile;
      readonly sha256: string;
      readonly manifest: ManifestHeader;
      readonly missingEvidence: readonly string[];
    }
  | { readonly outcome: 'cancelled' };

/**
 * Builds an audit package from the platform (shared/audit/package/builder.ts) and saves it where the
 * auditor chose, with `progress` events under the task id and `audit.cancel` to stop it; saveAtomically
 * leaves nothing behind on cancel, failure or crash.
 */
export class PackageExports {
  readonly #running = new Map<string, AbortController>();

  constructor(
    private readonly profiles: ProfileSessions,
    private readonly files: FileGrants,
    private readonly events: EventBus,
    private readonly partials: PartialFiles,
    private readonly targets: SaveTargets,
    private readonly now: () => number,
  ) {}

  async export(input: PackageExportInput): Promise<Result<PackageExportOutcome>> {
    if (this.#running.has(input.taskId)) return fail('conflict', 'A package with this task id is running.');
    const period = periodUntilNow(input, this.now());
    if (!period.ok) return period;
    const target = this.targets.take(input.target);
    if (!target) return fail('not-found', 'Choose where to save the package again.');
    const abort = new AbortController();
    this.#running.set(input.taskId, abort);
    try {
      const client = await this.profiles.client(input.profile);
      if (!client.ok) return client;
      const { organization, environment } = input.tenant;
      const built = await saveAtomically(this.partials, target, (out) =>
        buildPackage(
          platformPackageSource(client.value, organization, abort.signal),
          new PackageZipWriter(out),
          {
            environment,
            from: period.value.from,
            to: period.value.to,
            now: () => new Date(this.now()),
            signal: abort.signal,
            onProgress: (done, total) => this.events.emit('progress', { task: input.taskId, done, total }),
          },
        ),
      );
      const granted = await this.files.grantPath(target);
      if (!granted.ok) return granted;
      return ok({
        outcome: 'saved',
        file: granted.value,
        sha256: built.sha256,
        manifest: built.manifest,
        missingEvidence: built.missingEvidence,
      });
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

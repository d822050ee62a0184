import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPackage, PackageBuildError } from '../../../shared/audit/package/builder';
import type { ManifestHeader } from '../../../shared/audit/package/format';
import { PackageZipWriter } from '../../../shared/audit/package/zip-writer';
import type { ProfileRef, TenantRef } from '../../../shared/contract/spec';
import { fail, ok, type Result } from '../../../shared/result';
import type { EventBus } from '../contract/event-bus';
import type { FileGrants, GrantedFile } from '../files/file-grants';
import type { ProfileSessions } from '../profiles/profile-sessions';
import type { PartialFiles } from './partial-files';
import { platformPackageSource } from './platform-package-source';

export interface PackageExportInput {
  readonly taskId: string;
  readonly profile: ProfileRef;
  readonly tenant: TenantRef;
  readonly from: string;
  readonly to: string;
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

/** Where the package goes: the save dialog's answer (Electron), or undefined when the person declined. */
export type ChooseSavePath = (suggestedName: string) => Promise<string | undefined>;

/**
 * Builds an audit package from the platform (shared/audit/package/builder.ts) and saves it where the
 * auditor chose, with `progress` events under the task id and `audit.cancel` to stop it. The archive is
 * written to a temporary file beside the destination and renamed into place only once whole and synced;
 * on cancel or failure it is removed, and after a crash PartialFiles removes it at the next start.
 */
export class PackageExports {
  readonly #running = new Map<string, AbortController>();

  constructor(
    private readonly profiles: ProfileSessions,
    private readonly files: FileGrants,
    private readonly events: EventBus,
    private readonly partials: PartialFiles,
    /** Where packages go when the shell has no save dialog (the headless host): the console's own folder. */
    private readonly defaultDir: string,
    private readonly now: () => number,
    private readonly chooseSavePath?: ChooseSavePath,
  ) {}

  async export(input: PackageExportInput): Promise<Result<PackageExportOutcome>> {
    if (this.#running.has(input.taskId)) return fail('conflict', 'A package with this task id is running.');
    const abort = new AbortController();
    this.#running.set(input.taskId, abort);
    try {
      const client = await this.profiles.client(input.profile);
      if (!client.ok) return client;
      const { organization, environment } = input.tenant;
      const name = `audit-package-${organization}-${environment}-${input.from.slice(0, 10)}-${input.to.slice(0, 10)}.zip`;
      const target = await this.#destination(name);
      if (!target) return ok({ outcome: 'cancelled' });
      const temporary = this.partials.begin(target);
      let out: WriteStream | undefined;
      try {
        out = createWriteStream(temporary, { flags: 'wx', mode: 0o600 });
        const writer = new PackageZipWriter(out);
        const built = await buildPackage(
          platformPackageSource(client.value, organization, abort.signal),
          writer,
          {
            environment,
            from: input.from,
            to: input.to,
            now: () => new Date(this.now()),
            signal: abort.signal,
            onProgress: (done, total) => this.events.emit('progress', { task: input.taskId, done, total }),
          },
        );
        const handle = await open(temporary, 'r+');
        await handle.sync();
        await handle.close();
        await rename(temporary, target);
        this.partials.end(temporary);
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
        out?.destroy();
        await rm(temporary, { force: true });
        this.partials.end(temporary);
        if (abort.signal.aborted) return ok({ outcome: 'cancelled' });
        if (error instanceof PackageBuildError) return fail(error.code, error.message);
        throw error;
      }
    } finally {
      this.#running.delete(input.taskId);
    }
  }

  cancel(taskId: string): boolean {
    const running = this.#running.get(taskId);
    running?.abort();
    return running !== undefined;
  }

  async #destination(name: string): Promise<string | undefined> {
    if (this.chooseSavePath) return this.chooseSavePath(name);
    await mkdir(this.defaultDir, { recursive: true, mode: 0o700 });
    return join(this.defaultDir, `${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}-${name}`);
  }
}

import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SavePurpose } from '../../../shared/contract/calls/files';
import { fail, ok, type Result } from '../../../shared/result';

/** Where a file goes: the save dialog's answer (Electron), or undefined when the person declined. */
export type ChooseSavePath = (suggestedName: string, purpose: SavePurpose) => Promise<string | undefined>;

export interface SaveTarget {
  readonly saveId: string;
  readonly name: string;
}

const extensions: Record<SavePurpose, string> = { 'audit-package': '.zip', 'audit-log': '.jsonl' };

/** A file name the console's own folder may hold: no directory part, nothing hidden, the purpose's extension. */
const SAFE_NAME = /^[\w][\w .()-]{0,195}$/;

/**
 * Places the person chose to save a file, by an opaque id used once: the renderer names a target by id and
 * sees only its file name, never a path, and cannot make the main process write anywhere the person did not
 * choose. Electron asks with the system save dialog; the headless host has none, so the person names the
 * file on the page and it goes to the console's own folder (with the names already there to see, and a
 * name already taken written over only when they say so).
 */
export class SaveTargets {
  readonly #targets = new Map<string, { path: string; name: string }>();

  constructor(
    /** The console's own folder for saved files (the headless host's only place to save). */
    readonly folder: string,
    private readonly chooseSavePath?: ChooseSavePath,
  ) {}

  get hasDialog(): boolean {
    return this.chooseSavePath !== undefined;
  }

  /** The system save dialog; null when the person closed it. */
  async choose(purpose: SavePurpose, suggestedName: string): Promise<Result<SaveTarget | null>> {
    if (!this.chooseSavePath)
      return fail('bad-request', 'This console saves in its own folder; name the file on the page.');
    const path = await this.chooseSavePath(suggestedName, purpose);
    return ok(path ? this.#add(path) : null);
  }

  /** A file in the console's own folder, by the name the person typed. */
  async inFolder(purpose: SavePurpose, name: string, replace: boolean): Promise<Result<SaveTarget>> {
    if (!SAFE_NAME.test(name) || !name.endsWith(extensions[purpose]))
      return fail(
        'bad-request',
        `Name the file with letters, digits, spaces, dots, dashes or brackets, ending in ${extensions[purpose]}.`,
      );
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const path = join(this.folder, name);
    const existing = await stat(path).catch(() => undefined);
    if (existing && !existing.isFile()) return fail('conflict', 'That name is taken by a folder.');
    if (existing && !replace) return fail('conflict', `${name} exists already. Replace it?`);
    return ok(this.#add(path));
  }

  /** The files already in the console's folder, newest first, so the person sees what a name would replace. */
  async folderFiles(): Promise<{ name: string; size: number; modifiedAt: string }[]> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    const files = await Promise.all(
      names
        .filter((n) => !n.startsWith('.'))
        .map(async (name) => {
          const info = await stat(join(this.folder, name)).catch(() => undefined);
          return info?.isFile() ? { name, size: info.size, modifiedAt: info.mtime.toISOString() } : undefined;
        }),
    );
    return files
      .filter((f): f is NonNullable<typeof f> => f !== undefined)
      .sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt))
      .slice(0, 200);
  }

  /** The path behind a target, once: a second export cannot reuse the person's one choice. */
  take(saveId: string): string | undefined {
    const target = this.#targets.get(saveId);
    this.#targets.delete(saveId);
    return target?.path;
  }

  #add(path: string): SaveTarget {
    const saveId = randomBytes(16).toString('base64url');
    const name = basename(path);
    this.#targets.set(saveId, { path, name });
    return { saveId, name };
  }
}

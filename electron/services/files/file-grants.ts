import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fail, ok, type Result } from '../../../shared/result';

export interface GrantedFile {
  readonly fileId: string;
  readonly name: string;
  readonly size: number;
}

interface Grant extends GrantedFile {
  readonly path: string;
  /** An upload the console made itself (headless host); deleted when released. */
  readonly temporary: boolean;
  /** A verification report the console wrote itself: the only files it shows in a page of their own. */
  readonly report?: boolean;
}

/**
 * Files the user chose, by an opaque id: the renderer names a file by id and sees its name and size,
 * never a path, and cannot make the main process open anything the user did not pick (the Electron
 * open dialog) or hand over (an upload to the headless host).
 */
export class FileGrants {
  readonly #grants = new Map<string, Grant>();

  constructor(private readonly uploadDir: string) {}

  async grantPath(path: string): Promise<Result<GrantedFile>> {
    try {
      const info = await stat(path);
      if (!info.isFile()) return fail('bad-request', 'Choose a file.');
      return ok(this.#add({ path, name: basename(path), size: info.size, temporary: false }));
    } catch {
      return fail('not-found', 'The file cannot be read.');
    }
  }

  /** A report the console has just written (a verification's HTML or CSV), to open or show. */
  async grantReport(path: string): Promise<Result<GrantedFile>> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return fail('not-found', 'The report cannot be read.');
    return ok(this.#add({ path, name: basename(path), size: info.size, temporary: false, report: true }));
  }

  /** A granted report by id; any other granted file is not one. */
  getReport(fileId: string): (GrantedFile & { path: string }) | undefined {
    const grant = this.#grants.get(fileId);
    return grant?.report ? grant : undefined;
  }

  /** Whether the file is one the person saved (not an upload the console keeps only for a while). */
  isSaved(fileId: string): boolean {
    const grant = this.#grants.get(fileId);
    return grant !== undefined && !grant.temporary && !grant.report;
  }

  /** Files dropped on the window, by the paths the preload read from them; folders are not files. */
  async grantDropped(paths: readonly string[]): Promise<{ files: GrantedFile[]; unreadable: string[] }> {
    const files: GrantedFile[] = [];
    const unreadable: string[] = [];
    for (const path of paths) {
      const granted = await this.grantPath(path);
      if (granted.ok) files.push(granted.value);
      else unreadable.push(basename(path));
    }
    return { files, unreadable };
  }

  /** Streams an upload to a private temporary file; over `maxBytes` it is refused and removed. */
  async grantUpload(name: string, body: Readable, maxBytes: number): Promise<Result<GrantedFile>> {
    await mkdir(this.uploadDir, { recursive: true, mode: 0o700 });
    const path = join(this.uploadDir, randomBytes(16).toString('hex'));
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > maxBytes) throw new RangeError('too large');
            yield chunk;
          }
        },
        createWriteStream(path, { mode: 0o600 }),
      );
    } catch (error) {
      await rm(path, { force: true });
      return error instanceof RangeError
        ? fail('payload-too-large', 'The file is larger than the console accepts.')
        : fail('bad-request', 'The file did not arrive whole; try again.');
    }
    const safeName = name.replace(/[^\w .()-]/g, '_').slice(0, 200) || 'upload';
    return ok(this.#add({ path, name: safeName, size, temporary: true }));
  }

  get(fileId: string): (GrantedFile & { path: string }) | undefined {
    return this.#grants.get(fileId);
  }

  async release(fileId: string): Promise<void> {
    const grant = this.#grants.get(fileId);
    this.#grants.delete(fileId);
    if (grant?.temporary) await rm(grant.path, { force: true });
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.#grants.keys()].map((id) => this.release(id)));
  }

  #add(grant: Omit<Grant, 'fileId'>): GrantedFile {
    const fileId = randomBytes(16).toString('base64url');
    this.#grants.set(fileId, { ...grant, fileId });
    return { fileId, name: grant.name, size: grant.size };
  }
}

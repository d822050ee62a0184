import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';

const Journal = z.array(z.string().max(4096)).max(1000);

/**
 * Files being written where the person chose, under a hidden temporary name beside the final one (so the
 * final rename stays on one file system and is atomic). Each is noted in a journal in the console's own
 * directory before it is created, and forgotten once renamed or removed, so whatever a crash left behind
 * is removed at the next start: no half-written package is ever left under any name.
 */
export class PartialFiles {
  readonly #journal: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.#journal = join(dataDir, 'partial-files.json');
  }

  /** Removes every temporary file a previous run left (a crash, a killed process). */
  sweep(): void {
    for (const path of this.#read()) rmSync(path, { force: true });
    this.#write([]);
  }

  /** A temporary name beside `target`, noted before anything is written to it. */
  begin(target: string): string {
    const path = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
    this.#write([...this.#read(), path]);
    return path;
  }

  /** The temporary file is gone (renamed into place, or removed): forget it. */
  end(path: string): void {
    this.#write(this.#read().filter((p) => p !== path));
  }

  #read(): string[] {
    try {
      const parsed = Journal.safeParse(JSON.parse(readFileSync(this.#journal, 'utf8')));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  #write(paths: string[]): void {
    writeFileSync(this.#journal, JSON.stringify(paths), { mode: 0o600 });
  }
}

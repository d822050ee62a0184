import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { PartialFiles } from './partial-files';

/**
 * Writes a file where the person chose, never leaving half of one under any name: to a temporary file
 * beside the target (noted in PartialFiles, so a crash's leftover goes at the next start), synced, then
 * renamed into place. On failure or cancel the temporary file is removed and the error rethrown.
 */
export async function saveAtomically<T>(
  partials: PartialFiles,
  target: string,
  write: (out: WriteStream) => Promise<T>,
): Promise<T> {
  const temporary = partials.begin(target);
  let out: WriteStream | undefined;
  try {
    out = createWriteStream(temporary, { flags: 'wx', mode: 0o600 });
    const value = await write(out);
    const handle = await open(temporary, 'r+');
    await handle.sync();
    await handle.close();
    await rename(temporary, target);
    partials.end(temporary);
    return value;
  } catch (error) {
    out?.destroy();
    await rm(temporary, { force: true });
    partials.end(temporary);
    throw error;
  }
}

import { z } from 'zod';
import { GrantedFile } from './spec';

/**
 * Files dropped on the desktop app's window. The preload turns each dropped `File` into its path
 * (Electron's webUtils) and sends only those paths, on a channel of their own: page script cannot
 * name a path, so the main process opens nothing the user did not drag onto the window.
 */
export const IPC_DROP_CHANNEL = 'files:dropped';

/** At most this many files in one drop; a request takes fewer than that anyway. */
export const MAX_DROPPED_FILES = 20;

export const DroppedPaths = z.array(z.string().min(1).max(4096)).max(MAX_DROPPED_FILES);

export const DroppedFiles = z.strictObject({
  files: z.array(GrantedFile),
  /** Names of dropped things that are not readable files (a folder, a file gone since). */
  unreadable: z.array(z.string()),
});
export type DroppedFiles = z.infer<typeof DroppedFiles>;

import { z } from 'zod';
import { call } from '../spec';

export const appCalls = {
  'app.info': call({
    summary: 'What the renderer needs to know about its shell: the platform to suggest, and who opens links.',
    input: z.strictObject({}),
    output: z.object({
      /** The embedded demo platform under `npm start`; none in a packaged app until the user enters one. */
      defaultPlatformUrl: z.string().nullable(),
      /** Whether the main process opens the system browser itself (Electron) or the renderer must. */
      opensBrowser: z.boolean(),
      /** Whether the main process shows the system file dialog (Electron) or the renderer uploads (headless). */
      choosesFiles: z.boolean(),
      /** Electron asks where to save with the system dialog; the headless host saves in its own folder. */
      savesWithDialog: z.boolean(),
    }),
    errors: [],
  }),
  'app.keychain': call({
    summary:
      'Whether the OS keychain (where every secret of the console lives) can be used, and if not, what is missing and how to fix it.',
    input: z.strictObject({}),
    output: z.object({ available: z.boolean(), problem: z.string().nullable(), fix: z.string().nullable() }),
    errors: [],
  }),
} as const;

import { z } from 'zod';
import { call } from '../spec';

/** What a file is saved as: it picks the dialog's title and filter, and the extension a name must end in. */
export const SavePurpose = z.enum(['audit-package', 'audit-log']);
export type SavePurpose = z.infer<typeof SavePurpose>;

export const SaveId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'Expected a save id');
/** Where the person chose to save a file: an id to hand to the call that writes it, and the file's name. */
export const SaveTarget = z.object({ saveId: SaveId, name: z.string() });

const SuggestedName = z.string().min(1).max(200);

export const fileCalls = {
  'files.chooseSave': call({
    summary:
      'Asks where to save a file (the system save dialog); the renderer gets a save id and the file name, never a path. The headless host has no dialog: use files.saveInFolder.',
    input: z.strictObject({ purpose: SavePurpose, suggestedName: SuggestedName }),
    output: z.object({ target: SaveTarget.nullable() }),
    errors: ['bad-request'],
  }),
  'files.savedFolder': call({
    summary:
      "The files already in the console's own folder (name, size, when written), newest first: what the headless host's save picker shows, so a name that would replace one is seen.",
    input: z.strictObject({}),
    output: z.object({
      files: z.array(z.object({ name: z.string(), size: z.number(), modifiedAt: z.string() })),
    }),
    errors: [],
  }),
  'files.saveInFolder': call({
    summary:
      "A file in the console's own folder by the name the person typed (no folder part; the purpose's extension); `conflict` when the name is taken and `replace` is not set.",
    input: z.strictObject({ purpose: SavePurpose, name: SuggestedName, replace: z.boolean().default(false) }),
    output: z.object({ target: SaveTarget }),
    errors: ['bad-request', 'conflict'],
  }),
} as const;

import type { SavePurpose } from '../../../shared/contract/calls/files';
/** What the person is asked to choose a file for; the shell shows its open dialog accordingly. */
export type FilePurpose = 'audit-export' | 'evidence';

/** The system open dialog's title and filters for each purpose (the main process only ever opens one file). */
export const fileDialogs: Readonly<
  Record<FilePurpose, { title: string; filters: { name: string; extensions: string[] }[] }>
> = {
  'audit-export': {
    title: 'Open an audit export',
    filters: [{ name: 'Audit exports and packages', extensions: ['jsonl', 'ndjson', 'json', 'txt', 'zip'] }],
  },
  // The filter only helps the person find files; the content decides, whatever the name says.
  evidence: {
    title: 'Choose evidence to attach',
    filters: [
      {
        name: 'Evidence',
        extensions: ['png', 'jpg', 'jpeg', 'gif', 'webp', 'pdf', 'json', 'txt', 'log', 'csv'],
      },
      { name: 'All files', extensions: ['*'] },
    ],
  },
};

/** The system save dialog's title and filter for each thing the console saves. */
export const saveDialogs: Readonly<
  Record<SavePurpose, { title: string; filters: { name: string; extensions: string[] }[] }>
> = {
  'audit-package': {
    title: 'Save the audit package',
    filters: [{ name: 'Audit packages', extensions: ['zip'] }],
  },
  'audit-log': {
    title: 'Save the audit log export',
    filters: [{ name: 'Audit exports', extensions: ['jsonl'] }],
  },
};

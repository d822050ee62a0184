/**
 * A file name safe to store and to offer back in a download: no directories, no control characters,
 * nothing a file system or a shell treats specially, no leading dots, at most 200 characters.
 */
export function sanitizeFileName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = Array.from(base.normalize('NFC'))
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned === '' ? 'evidence' : cleaned;
}

import { hasRefusedCharacters } from '../../shared/text/free-text';

/**
 * A file name safe to store and to offer back in a download: no directories, no control characters (C0,
 * DEL, C1) or bidirectional formatting characters (which could show "invoice‮fdp.exe" as "invoiceexe.pdf"),
 * nothing a file system or a shell treats specially, no leading dots, at most 200 characters.
 */
export function sanitizeFileName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = Array.from(base.normalize('NFC'))
    .filter((c) => !hasRefusedCharacters(c, false))
    .join('')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned === '' ? 'evidence' : cleaned;
}

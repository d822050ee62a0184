import {
  type EvidenceMediaType,
  MAX_EVIDENCE_BYTES,
  sniffMediaType,
} from '../../shared/evidence/content-type';

/**
 * Files chosen for a request that is not raised yet. Nothing reaches the platform until the request is
 * submitted: a file dropped or picked in the page stays in the page (the headless host) or as the main
 * process's grant (the desktop app's open dialog), so an abandoned form leaves nothing behind.
 */
export interface Attachment {
  /** This form's own id for the file (two files may share a name). */
  readonly id: string;
  readonly name: string;
  readonly size: number;
  /** Known once the bytes were checked here (files from the page); the main process checks the rest. */
  readonly mediaType: EvidenceMediaType | null;
  /** The page's file, until the console holds it (the headless host). */
  readonly file: File | null;
  /** The console's grant for the file, once it holds it. */
  readonly fileId: string | null;
  /** The platform's evidence id, once uploaded: a retried submit does not upload it twice. */
  readonly evidenceId: string | null;
}

/** A file that was not attached, and why, in words that name it. */
export interface Refusal {
  readonly name: string;
  readonly reason: string;
}

/** The most evidence files one request takes (the platform's `evidenceIds` limit). */
export const MAX_ATTACHMENTS = 20;

const typeNames: Readonly<Record<EvidenceMediaType, string>> = {
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'application/pdf': 'PDF',
  'application/json': 'JSON',
  'text/plain': 'Plain text',
};

export function mediaTypeName(type: EvidenceMediaType | null): string {
  return type ? typeNames[type] : 'Checked when uploaded';
}

/** Why a file of this size cannot be evidence, or null; the same words the main process uses. */
export function sizeRefusal(name: string, size: number): string | null {
  if (size === 0) return `“${name}” is empty.`;
  if (size > MAX_EVIDENCE_BYTES) return `“${name}” is larger than 10 MiB, the most an evidence file may be.`;
  return null;
}

/**
 * A file from the page, checked by the platform's own rules before anything is sent: its size first
 * (without reading a file that is too large), then its type from its bytes, never from its name.
 */
export async function checkPageFile(file: File): Promise<{ mediaType: EvidenceMediaType } | Refusal> {
  const bySize = sizeRefusal(file.name, file.size);
  if (bySize) return { name: file.name, reason: bySize };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return { name: file.name, reason: `“${file.name}” could not be read; choose it again.` };
  }
  const mediaType = sniffMediaType(bytes);
  if (mediaType) return { mediaType };
  return {
    name: file.name,
    reason: `“${file.name}” is not a kind of file evidence may be: images (PNG, JPEG, GIF, WebP), PDF, JSON and plain text are taken, judged from the file’s content. HTML, SVG and other files are refused.`,
  };
}

/** The same file twice (same name and size) is attached once. */
export function isDuplicate(attachments: readonly Attachment[], name: string, size: number): boolean {
  return attachments.some((a) => a.name === name && a.size === size);
}

/** Why a file cannot join the request's attachments (already there, or one too many), if it cannot. */
export function admissionRefusal(
  attachments: readonly Attachment[],
  name: string,
  size: number,
): string | null {
  if (isDuplicate(attachments, name, size)) return `“${name}” is attached already.`;
  if (attachments.length >= MAX_ATTACHMENTS) return `A request takes at most ${MAX_ATTACHMENTS} files.`;
  return null;
}

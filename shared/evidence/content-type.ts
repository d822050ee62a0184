import type { evidenceMediaTypes } from '../api/evidence';
import { fail, ok, type Result } from '../result';

export type EvidenceMediaType = (typeof evidenceMediaTypes)[number];
type MediaType = EvidenceMediaType;

/** The largest evidence file the platform takes. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

const signatures: readonly { type: MediaType; magic: readonly number[]; offset?: number }[] = [
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', magic: [0x47, 0x49, 0x46, 0x38] },
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
];

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  return magic.every((b, i) => bytes[offset + i] === b);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Control characters other than tab, newlines, form feed and carriage return mark binary data. */
function hasBinaryControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x09 || (code > 0x0d && code < 0x20)) return true;
  }
  return false;
}

/**
 * What the bytes are, judged from their content. Text that a browser would run (HTML, SVG, XML) is
 * refused, as is anything unrecognised: evidence is for reading, never for executing.
 */
export function sniffMediaType(bytes: Uint8Array): MediaType | undefined {
  for (const s of signatures) if (startsWith(bytes, s.magic, s.offset)) return s.type;
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  if (hasBinaryControl(text)) return undefined;
  const head = text.trimStart().slice(0, 512).toLowerCase();
  if (head.startsWith('<')) return undefined;
  try {
    JSON.parse(text);
    return 'application/json';
  } catch {
    return 'text/plain';
  }
}

/**
 * The platform's rules for an evidence file, in one place for both sides: the platform applies them to
 * what it receives, the console to a file before it sends it (so a person hears why at once).
 */
export function checkEvidence(bytes: Uint8Array): Result<EvidenceMediaType> {
  if (bytes.length === 0) return fail('bad-request', 'The file is empty.');
  if (bytes.length > MAX_EVIDENCE_BYTES)
    return fail('payload-too-large', 'Evidence files are at most 10 MiB.');
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) {
    return fail(
      'unsupported-media-type',
      'Evidence must be an image (PNG, JPEG, GIF, WebP), a PDF, JSON or plain text.',
    );
  }
  return ok(mediaType);
}

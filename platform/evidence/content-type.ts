import type { evidenceMediaTypes } from '../../shared/api/evidence';

type MediaType = (typeof evidenceMediaTypes)[number];

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

/** The deepest JSON a request body may nest: far beyond any real payload, far below any stack limit. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deeply a JSON text nests, counted on the raw text before it is parsed (strings skipped), so a body of
 * ten thousand brackets is refused without building it or recursing over it.
 */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

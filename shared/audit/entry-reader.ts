import canonicalize from 'canonicalize';
import { EXPORT_ACTION, KEY_ANNOUNCEMENT_ACTION } from './format';

/**
 * Reading entries, two ways. The fast way pulls `seq` and `ts` from the fixed places canonical JSON puts
 * them (keys sorted: "action" first, "seq" and "ts" last) without parsing the line; the Merkle root
 * vouches for the rest. The full way parses and checks everything; it serves lines the fast way cannot
 * read, rare actions the verifier must look into, and any window whose root did not match.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const ACTION_KEY = encoder.encode('{"action":"');
const AUDIT_ACTIONS = encoder.encode('audit.');
const TS_KEY = encoder.encode(',"ts":"');
const SEQ_KEY = encoder.encode(',"seq":');
/** `new Date().toISOString()`: 24 characters, e.g. 2026-11-25T14:35:35.123Z. */
export const TS_BYTES = 24;
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function matchesAt(b: Uint8Array, at: number, pattern: Uint8Array): boolean {
  if (at < 0 || at + pattern.length > b.length) return false;
  for (let i = 0; i < pattern.length; i++) if (b[at + i] !== pattern[i]) return false;
  return true;
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

/** Where a fast-read line's `ts` starts: at a fixed distance from its end. */
export function fastTsStart(end: number): number {
  return end - 2 - TS_BYTES;
}

/** The line's `seq`, or -1 when the line needs the full reading. Allocates nothing: it runs once a line. */
export function fastEntry(b: Uint8Array, start: number, end: number): number {
  if (end - start < 64 || !matchesAt(b, start, ACTION_KEY)) return -1;
  if (matchesAt(b, start + ACTION_KEY.length, AUDIT_ACTIONS)) return -1;
  if (b[end - 1] !== 0x7d || b[end - 2] !== 0x22) return -1;
  const tsStart = fastTsStart(end);
  if (!matchesAt(b, tsStart - TS_KEY.length, TS_KEY)) return -1;
  if (b[tsStart + 4] !== 0x2d || b[tsStart + 10] !== 0x54) return -1;
  if (b[tsStart + 19] !== 0x2e || b[tsStart + 23] !== 0x5a) return -1;
  const last = tsStart - TS_KEY.length - 1;
  let first = last;
  while (first > start && isDigit(b[first])) first--;
  first++;
  const digits = last - first + 1;
  if (digits < 1 || digits > 15 || (digits > 1 && b[first] === 0x30)) return -1;
  if (!matchesAt(b, first - SEQ_KEY.length, SEQ_KEY)) return -1;
  let seq = 0;
  for (let i = first; i <= last; i++) seq = seq * 10 + ((b[i] as number) - 0x30);
  return seq;
}

/**
 * A test for lines whose action starts with one of `prefixes`: canonical JSON puts "action" first, so a
 * few byte comparisons at the start of the line decide it, without parsing. It runs once a line, so the
 * common `{"action":"` is compared once and the prefixes are a trie walked along the action's bytes: each
 * byte is looked at once, however many prefixes share it.
 */
export function actionMatcher(prefixes: readonly string[]): (b: Uint8Array, start: number) => boolean {
  // Node 0 is the root; an edge to 0 means no prefix goes on with that byte.
  const edges: number[] = new Array(256).fill(0);
  const ends: boolean[] = [false];
  for (const p of prefixes) {
    let node = 0;
    for (const byte of encoder.encode(p)) {
      let next = edges[node * 256 + byte] as number;
      if (next === 0) {
        next = ends.length;
        ends.push(false);
        for (let i = 0; i < 256; i++) edges.push(0);
        edges[node * 256 + byte] = next;
      }
      node = next;
    }
    ends[node] = true;
  }
  const trie = Int32Array.from(edges);
  const terminal = Uint8Array.from(ends, (e) => (e ? 1 : 0));
  return (b, start) => {
    if (!matchesAt(b, start, ACTION_KEY)) return false;
    let node = 0;
    for (let i = start + ACTION_KEY.length; terminal[node] === 0; i++) {
      if (i >= b.length) return false;
      node = trie[node * 256 + (b[i] as number)] as number;
      if (node === 0) return false;
    }
    return true;
  };
}

export interface EntryFields {
  readonly seq: number;
  readonly ts: string;
  readonly organization: string;
  readonly environment: string;
  readonly announcedKey: string | undefined;
  /** For the export's own entry: the range and time it recorded. */
  readonly exported: { start: unknown; end: unknown; exportedAt: unknown } | undefined;
}

export type FullEntry = { ok: true; value: EntryFields; text: string } | { ok: false; reason: string };

export function readEntry(bytes: Uint8Array): FullEntry {
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(bytes);
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'line is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'line is not a JSON object' };
  }
  const e = value as Record<string, unknown>;
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 0)
    return { ok: false, reason: 'entry has no valid seq' };
  if (typeof e.ts !== 'string' || !TS.test(e.ts)) return { ok: false, reason: 'entry has no valid ts' };
  if (
    typeof e.organization !== 'string' ||
    typeof e.environment !== 'string' ||
    typeof e.action !== 'string'
  ) {
    return { ok: false, reason: 'entry lacks organization, environment or action' };
  }
  const after = (e.change as { after?: Record<string, unknown> } | null)?.after;
  const announcedKey =
    e.action === KEY_ANNOUNCEMENT_ACTION && typeof after?.verifierKey === 'string'
      ? after.verifierKey
      : undefined;
  const exported =
    e.action === EXPORT_ACTION && after
      ? { start: after.start, end: after.end, exportedAt: after.exportedAt }
      : undefined;
  return {
    ok: true,
    text,
    value: {
      seq: e.seq as number,
      ts: e.ts,
      organization: e.organization,
      environment: e.environment,
      announcedKey,
      exported,
    },
  };
}

/** True when the text is exactly what the platform would write for its value (RFC 8785). */
export function isCanonical(text: string): boolean {
  try {
    return canonicalize(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

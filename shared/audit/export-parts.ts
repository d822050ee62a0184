import canonicalize from 'canonicalize';
import type { FindingList } from './findings';
import { ExportHeader } from './format';
import type { AuditCrypto } from './hash';
import { bytesToLatin1 } from './hash';
import {
  type Checkpoint,
  type ParsedNote,
  parseCheckpointBody,
  parseNote,
  type VerifierKey,
  verifyNote,
} from './note';

/** The header and checkpoint lines of an export: unsigned text that must have exactly one spelling. */

const decoder = new TextDecoder('utf-8', { fatal: true });

function canonicalValue(bytes: Uint8Array): unknown {
  try {
    const text = decoder.decode(bytes);
    const value: unknown = JSON.parse(text);
    return canonicalize(value) === text ? value : undefined;
  } catch {
    return undefined;
  }
}

export function parseHeader(bytes: Uint8Array): ExportHeader | undefined {
  const parsed = ExportHeader.safeParse(canonicalValue(bytes));
  return parsed.success ? parsed.data : undefined;
}

export interface FileCheckpoint {
  readonly index: number;
  readonly note: string;
  readonly parsed: ParsedNote;
  readonly checkpoint: Checkpoint;
}

export function parseCheckpointLine(bytes: Uint8Array, index: number): FileCheckpoint | undefined {
  const value = canonicalValue(bytes);
  if (typeof value !== 'object' || value === null || Object.keys(value).length !== 1) return undefined;
  const note = (value as { checkpoint?: unknown }).checkpoint;
  if (typeof note !== 'string') return undefined;
  const parsed = parseNote(note);
  const checkpoint = parsed && parseCheckpointBody(parsed.text);
  return parsed && checkpoint ? { index, note, parsed, checkpoint } : undefined;
}

/** A checkpoint the caller saw before. Settled once a signed checkpoint proves this file's root at its size. */
export interface TrustedCheckpoint {
  readonly note: string;
  readonly checkpoint: Checkpoint;
  status: 'consistent' | 'fork' | 'not-covered';
  /** As a latin1 string (see TreeHasher). */
  pendingRoot?: string;
}

export function readTrusted(
  crypto: AuditCrypto,
  notes: readonly string[],
  origin: string,
  keys: readonly VerifierKey[],
): TrustedCheckpoint[] {
  const trusted: TrustedCheckpoint[] = [];
  for (const note of notes) {
    const parsed = parseNote(note);
    const checkpoint = parsed && parseCheckpointBody(parsed.text);
    if (!parsed || !checkpoint || checkpoint.origin !== origin) continue;
    if (verifyNote(crypto, parsed, keys).status !== 'valid') continue;
    trusted.push({ note, checkpoint, status: 'not-covered' });
  }
  return trusted;
}

export function settleTrusted(
  trusted: TrustedCheckpoint[],
  provenSize: number,
  provenBy: string,
  findings: FindingList,
): void {
  for (const t of trusted) {
    if (t.status !== 'not-covered' || !t.pendingRoot || t.checkpoint.size > provenSize) continue;
    if (t.pendingRoot === bytesToLatin1(t.checkpoint.root)) {
      t.status = 'consistent';
    } else {
      t.status = 'fork';
      findings.add({
        class: 'fork',
        window: { start: 0, end: t.checkpoint.size },
        message: `this log differs at size ${t.checkpoint.size} from a checkpoint seen before`,
        evidence: [t.note, provenBy],
      });
    }
  }
}

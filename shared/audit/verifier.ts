import canonicalize from 'canonicalize';
import {
  type ExportSource,
  forEachLine,
  isCheckpointLine,
  readFirstLine,
  readTrailingCheckpoints,
} from './export-source';
import { FindingList } from './findings';
import { EXPORT_ACTION, ExportHeader, KEY_ANNOUNCEMENT_ACTION, parseOrigin } from './format';
import { type AuditCrypto, equalBytes, fromBase64, toBase64 } from './hash';
import { CompactRange, MerkleHasher, perfectSubtreeSizes } from './merkle';
import {
  type Checkpoint,
  describeKey,
  type ParsedNote,
  parseCheckpointBody,
  parseNote,
  parseVerifierKey,
  type VerifierKey,
  verifyNote,
} from './note';
import { type Finding, type VerificationReport, type VerifiedCheckpoint, verdictOf } from './report';
import { SequenceTracker } from './sequence';

export interface VerifyOptions {
  readonly crypto: AuditCrypto;
  /** Pinned verifier keys. Keys announced inside a verified part of the log are added as they are proven. */
  readonly keys: readonly VerifierKey[];
  /** Signed checkpoints seen before for this log; the export must extend them. */
  readonly trusted?: readonly string[];
  /** When the caller knows whose log it expects (the console does), any other origin is a finding. */
  readonly expectedOrigin?: string;
  readonly onProgress?: (progress: { bytesRead: number; totalBytes: number; entriesRead: number }) => void;
  readonly signal?: AbortSignal;
  readonly maxFindings?: number;
  readonly chunkBytes?: number;
}

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_CHECKPOINTS = 1_000_000;
const MAX_WINDOW_LINES = 8192;
const decoder = new TextDecoder('utf-8', { fatal: true });

interface FileCheckpoint {
  readonly index: number;
  readonly note: string;
  readonly parsed: ParsedNote;
  readonly checkpoint: Checkpoint;
}

interface TrustedCheckpoint {
  readonly note: string;
  readonly checkpoint: Checkpoint;
  status: 'consistent' | 'fork' | 'not-covered';
  /** The root this file's entries give at the trusted size, waiting for a signed checkpoint to prove it. */
  pendingRoot?: Uint8Array;
}

interface EntryView {
  seq: number | undefined;
  line: number;
}

/** Verifies an audit export against pinned keys, streaming it once; never throws on what the file holds. */
export async function verifyExport(
  source: ExportSource,
  options: VerifyOptions,
): Promise<VerificationReport> {
  const findings = new FindingList(options.maxFindings ?? 10_000);
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const hasher = new MerkleHasher(options.crypto);
  const unusable = (message: string): VerificationReport => ({
    ...emptyReport(),
    usable: false,
    verdict: 'unverifiable',
    findings: [{ class: 'malformed', line: 1, message }],
  });

  const first = await readFirstLine(source, MAX_HEADER_BYTES);
  if (!first) return unusable('the file has no header line');
  const header = parseHeader(first.line);
  if (!header) return unusable('the first line is not a cc-audit-export/1 header');
  const prefix = header.prefix.map((p) => fromBase64(p));
  if (prefix.some((p) => p?.length !== 32) || prefix.length !== perfectSubtreeSizes(header.start).length) {
    return unusable('the header prefix does not match its start');
  }
  if (header.end < header.start) return unusable('the header range ends before it starts');

  const origin = header.origin;
  const originParts = parseOrigin(origin);
  if (
    !originParts ||
    originParts.organization !== header.organization ||
    originParts.environment !== header.environment ||
    (options.expectedOrigin !== undefined && options.expectedOrigin !== origin)
  ) {
    findings.add({
      class: 'wrong-origin',
      line: 1,
      message: options.expectedOrigin
        ? `this is the log of ${origin}, not of ${options.expectedOrigin}`
        : `origin ${origin} does not name this export's organization and environment`,
    });
  }

  // The checkpoints sit at the end of the file; read them first so one pass over the entries can check
  // every window as it closes.
  const tail = await readTrailingCheckpoints(source, first.next, MAX_CHECKPOINTS, chunkBytes);
  const checkpoints: FileCheckpoint[] = [];
  const checkpointProblems: { index: number; finding: Omit<Finding, 'line'> }[] = [];
  tail.lines.forEach((bytes, index) => {
    const parsed = parseCheckpointLine(bytes);
    if (!parsed) {
      checkpointProblems.push({
        index,
        finding: { class: 'malformed', message: 'checkpoint line is not a signed checkpoint' },
      });
    } else if (parsed.checkpoint.origin !== origin) {
      checkpointProblems.push({
        index,
        finding: { class: 'wrong-origin', message: `checkpoint belongs to ${parsed.checkpoint.origin}` },
      });
    } else if (parsed.checkpoint.size <= header.start || parsed.checkpoint.size > header.end) {
      checkpointProblems.push({
        index,
        finding: {
          class: 'malformed',
          message: `checkpoint size ${parsed.checkpoint.size} is outside the exported range`,
        },
      });
    } else {
      checkpoints.push({ index, ...parsed });
    }
  });
  checkpoints.sort((a, b) => a.checkpoint.size - b.checkpoint.size || a.index - b.index);
  if (tail.overflow)
    findings.add({ class: 'malformed', message: 'more checkpoints than any real export holds' });

  const trusted: TrustedCheckpoint[] = [];
  for (const note of options.trusted ?? []) {
    const parsed = parseNote(note);
    const checkpoint = parsed && parseCheckpointBody(parsed.text);
    if (!parsed || !checkpoint || checkpoint.origin !== origin) continue;
    if (verifyNote(options.crypto, parsed, options.keys).status !== 'valid') continue;
    trusted.push({ note, checkpoint, status: 'not-covered' });
  }

  // Walk the entries.
  const keys: VerifierKey[] = [...options.keys];
  const announced: { seq: number; key: VerifierKey }[] = [];
  const keysUsed = new Set<string>();
  const range = new CompactRange(hasher, { size: header.start, hashes: prefix as Uint8Array[] });
  let lastVerified = header.start;
  let latestVerified: VerifiedCheckpoint | null = null;
  let broken = false;
  let structuralInWindow = false;
  let window: { seq: number | undefined; text: string | undefined; line: number }[] = [];
  let nextCheckpoint = 0;
  let line = 1;
  let entriesRead = 0;
  let previousTs = '';
  let pending: EntryView | undefined;
  const sequence = new SequenceTracker(header.start, header.end, findings, () => {
    structuralInWindow = true;
  });

  const checkTrusted = (size: number, root: Uint8Array) => {
    for (const t of trusted)
      if (t.checkpoint.size === size && t.status === 'not-covered') t.pendingRoot = root;
  };
  // The prefix is only the header's word until a signed checkpoint over a larger tree proves it.
  checkTrusted(header.start, range.root());

  /**
   * Takes the root when the entries reach a checkpoint's size; judges it one line later, once the
   * sequence tracker has decided about the window's last entry.
   */
  const prepareClose = (): (() => void) | undefined => {
    const size = range.size;
    const here = [] as FileCheckpoint[];
    while (
      nextCheckpoint < checkpoints.length &&
      (checkpoints[nextCheckpoint] as FileCheckpoint).checkpoint.size === size
    ) {
      here.push(checkpoints[nextCheckpoint] as FileCheckpoint);
      nextCheckpoint++;
    }
    const root = range.root();
    checkTrusted(size, root);
    if (here.length === 0) return undefined;
    return () => closeWindow(size, root, here);
  };

  const closeWindow = (size: number, root: Uint8Array, here: FileCheckpoint[]) => {
    const valid: FileCheckpoint[] = [];
    for (const cp of here) {
      const active = keys.concat(announced.filter((a) => a.seq < lastVerified).map((a) => a.key));
      const verdict = verifyNote(options.crypto, cp.parsed, active);
      const at = { start: lastVerified, end: size };
      if (verdict.status === 'bad-signature') {
        findings.add({
          class: 'bad-signature',
          window: at,
          message: `checkpoint at size ${size} carries a signature by ${describeKey(verdict.key)} that does not verify`,
          evidence: [cp.note],
        });
      } else if (verdict.status === 'unknown-key') {
        findings.add({
          class: 'unknown-key',
          window: at,
          message: `checkpoint at size ${size} is signed by no key this verifier knows`,
        });
      } else {
        keysUsed.add(describeKey(verdict.key));
        valid.push(cp);
      }
    }
    const distinct = valid.filter(
      (cp, i) => valid.findIndex((o) => equalBytes(o.checkpoint.root, cp.checkpoint.root)) === i,
    );
    if (distinct.length > 1) {
      findings.add({
        class: 'fork',
        window: { start: 0, end: size },
        message: `two signed checkpoints disagree about the log at size ${size}`,
        evidence: distinct.map((cp) => cp.note),
      });
    }
    for (const t of trusted) {
      const signed = distinct.find(
        (cp) =>
          cp.checkpoint.size === t.checkpoint.size && !equalBytes(cp.checkpoint.root, t.checkpoint.root),
      );
      if (signed && t.status !== 'fork') {
        t.status = 'fork';
        findings.add({
          class: 'fork',
          window: { start: 0, end: size },
          message: `this log differs at size ${size} from a checkpoint seen before`,
          evidence: [t.note, signed.note],
        });
      }
    }
    if (broken || valid.length === 0) return;
    const match = valid.find((cp) => equalBytes(cp.checkpoint.root, root));
    if (match) {
      lastVerified = size;
      latestVerified = { origin, size, root: toBase64(root), note: match.note };
      settleTrusted(trusted, size, match.note, findings);
      structuralInWindow = false;
      window = [];
      return;
    }
    broken = true;
    if (!structuralInWindow) pinModified(window, lastVerified, size, findings);
  };

  let deferredClose: (() => void) | undefined;
  const takePending = (next: number | undefined) => {
    if (pending) sequence.accept(pending.seq, next, pending.line);
    pending = undefined;
    deferredClose?.();
    deferredClose = undefined;
  };

  const completed = await forEachLine(
    source,
    first.next,
    tail.start,
    chunkBytes,
    (bytes) => {
      line++;
      if (isCheckpointLine(bytes)) {
        findings.add({ class: 'malformed', line, message: 'checkpoint line stands among the entries' });
        return;
      }
      entriesRead++;
      range.append(hasher.leaf(bytes));
      const entry = readEntry(bytes);
      if (!entry.ok) {
        structuralInWindow = true;
        findings.add({ class: 'malformed', line, message: entry.reason });
      } else {
        const e = entry.value;
        if (e.organization !== header.organization || e.environment !== header.environment) {
          structuralInWindow = true;
          findings.add({
            class: 'wrong-origin',
            seq: e.seq,
            line,
            message: `entry belongs to ${e.organization}/${e.environment}`,
          });
        }
        if (e.ts < previousTs) {
          findings.add({
            class: 'time-regression',
            seq: e.seq,
            line,
            message: `time goes back from ${previousTs} to ${e.ts}`,
          });
        }
        previousTs = e.ts;
        const x = e.exported;
        if (x && x.start === header.start && x.end === header.end && x.exportedAt !== header.exportedAt) {
          findings.add({
            class: 'malformed',
            line: 1,
            message: "the header's export time differs from the export's own entry",
          });
        }
        if (e.announcedKey) {
          const key = parseVerifierKey(options.crypto, e.announcedKey);
          if (key) announced.push({ seq: e.seq, key });
        }
        if (broken && !isCanonical(entry.text)) {
          findings.add({
            class: 'entry-modified',
            seq: e.seq,
            line,
            message: 'entry is not in the form the platform writes',
          });
        }
      }
      const seq = entry.ok ? entry.value.seq : undefined;
      takePending(seq);
      pending = { seq, line };
      if (!broken && window.length < MAX_WINDOW_LINES)
        window.push({ seq, text: entry.ok ? entry.text : undefined, line });
      deferredClose = prepareClose();
    },
    (bytesDone) => {
      options.onProgress?.({ bytesRead: first.next + bytesDone, totalBytes: source.size, entriesRead });
      return !options.signal?.aborted;
    },
  );
  takePending(undefined);
  if (completed && source.size > 0 && (await source.read(source.size - 1, 1))[0] !== 0x0a) {
    findings.add({ class: 'malformed', message: 'the file does not end with a newline' });
  }

  for (const problem of checkpointProblems) {
    findings.add({ ...problem.finding, line: line + 1 + problem.index });
  }
  if (completed) sequence.finish(line);

  const provenToEnd = completed && lastVerified === header.end && range.size === header.end && !broken;
  return {
    verdict: completed ? verdictOf(findings.items, findings.omitted, provenToEnd) : 'unverifiable',
    usable: true,
    cancelled: !completed,
    origin,
    requested: { start: header.start, end: header.end },
    verified: lastVerified > header.start ? { start: header.start, end: lastVerified } : null,
    entriesRead,
    checkpointsRead: tail.lines.length,
    keysUsed: [...keysUsed],
    latestVerified,
    trusted: trusted.map((t) => ({ size: t.checkpoint.size, status: t.status })),
    findings: findings.items,
    findingsOmitted: findings.omitted,
  };
}

function emptyReport(): Omit<VerificationReport, 'verdict' | 'usable' | 'findings'> {
  return {
    cancelled: false,
    origin: null,
    requested: null,
    verified: null,
    entriesRead: 0,
    checkpointsRead: 0,
    keysUsed: [],
    latestVerified: null,
    trusted: [],
    findingsOmitted: 0,
  };
}

/** The header, which must be in canonical form: it is not signed, so it may have only one spelling. */
function parseHeader(bytes: Uint8Array): ExportHeader | undefined {
  try {
    const text = decoder.decode(bytes);
    const value: unknown = JSON.parse(text);
    if (canonicalize(value) !== text) return undefined;
    const parsed = ExportHeader.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function parseCheckpointLine(bytes: Uint8Array): Omit<FileCheckpoint, 'index'> | undefined {
  try {
    const text = decoder.decode(bytes);
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Object.keys(value).length !== 1) return undefined;
    if (canonicalize(value) !== text) return undefined;
    const note = (value as { checkpoint?: unknown }).checkpoint;
    if (typeof note !== 'string') return undefined;
    const parsed = parseNote(note);
    const checkpoint = parsed && parseCheckpointBody(parsed.text);
    return parsed && checkpoint ? { note, parsed, checkpoint } : undefined;
  } catch {
    return undefined;
  }
}

interface EntryFields {
  seq: number;
  ts: string;
  organization: string;
  environment: string;
  announcedKey: string | undefined;
  /** For the export's own entry: the range and time it recorded. */
  exported: { start: unknown; end: unknown; exportedAt: unknown } | undefined;
}

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function readEntry(
  bytes: Uint8Array,
): { ok: true; value: EntryFields; text: string } | { ok: false; reason: string } {
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(bytes);
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'line is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'line is not a JSON object' };
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
  let announcedKey: string | undefined;
  let exported: EntryFields['exported'];
  const after = (e.change as { after?: Record<string, unknown> } | null)?.after;
  if (e.action === KEY_ANNOUNCEMENT_ACTION && typeof after?.verifierKey === 'string')
    announcedKey = after.verifierKey;
  if (e.action === EXPORT_ACTION && after)
    exported = { start: after.start, end: after.end, exportedAt: after.exportedAt };
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

function isCanonical(text: string): boolean {
  try {
    return canonicalize(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

/**
 * A window whose root does not match its signed checkpoint, with no missing or extra entries to explain
 * it: name the entries that are not in the platform's canonical form, else the whole window.
 */
function pinModified(
  window: readonly { seq: number | undefined; text: string | undefined; line: number }[],
  start: number,
  end: number,
  findings: FindingList,
): void {
  let pinned = 0;
  for (const w of window) {
    if (w.text !== undefined && w.seq !== undefined && !isCanonical(w.text)) {
      findings.add({
        class: 'entry-modified',
        seq: w.seq,
        line: w.line,
        message: 'entry is not in the form the platform writes',
      });
      pinned++;
    }
  }
  if (pinned === 0) {
    findings.add({
      class: 'entry-modified',
      window: { start, end },
      message: `an entry between seq ${start} and ${end - 1} differs from what the platform signed`,
    });
  }
}

/** A trusted checkpoint is settled once a signed checkpoint at or beyond its size proves this file's root there. */
function settleTrusted(
  trusted: TrustedCheckpoint[],
  provenSize: number,
  provenBy: string | undefined,
  findings: FindingList,
): void {
  for (const t of trusted) {
    if (t.status !== 'not-covered' || !t.pendingRoot || t.checkpoint.size > provenSize) continue;
    if (equalBytes(t.pendingRoot, t.checkpoint.root)) {
      t.status = 'consistent';
    } else {
      t.status = 'fork';
      findings.add({
        class: 'fork',
        window: { start: 0, end: t.checkpoint.size },
        message: `this log differs at size ${t.checkpoint.size} from a checkpoint seen before`,
        evidence: provenBy ? [t.note, provenBy] : [t.note],
      });
    }
  }
}

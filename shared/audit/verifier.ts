import { type BrokenWindow, pinModified } from './broken-window';
import { type ChunkHasher, type HashedUnit, inlineChunkHasher } from './chunk-hasher';
import { actionMatcher, fastEntry, fastTsStart, isCanonical, readEntry, TS_BYTES } from './entry-reader';
import {
  type FileCheckpoint,
  parseCheckpointLine,
  parseHeader,
  readTrusted,
  settleTrusted,
  type TrustedCheckpoint,
} from './export-parts';
import {
  BufferPool,
  type ExportSource,
  isCheckpointAt,
  lineEndsOf,
  lineUnits,
  readFirstLine,
  readTrailingCheckpoints,
} from './export-source';
import { FindingList } from './findings';
import { parseOrigin } from './format';
import {
  type AuditCrypto,
  bytesToLatin1,
  equalBytes,
  fromBase64,
  genericTreeHasher,
  latin1ToBytes,
  toBase64,
} from './hash';
import { CompactRange, perfectSubtreeSizes } from './merkle';
import { describeKey, parseVerifierKey, type VerifierKey, verifyNote } from './note';
import {
  type Finding,
  unusableReport,
  type VerificationReport,
  type VerifiedCheckpoint,
  verdictOf,
} from './report';
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
  /** Where leaves and the tree above them are hashed; by default on the calling thread. */
  readonly chunkHasher?: ChunkHasher;
  /**
   * Hands entries whose action starts with one of `actions` to `visit`, in file order, as they are walked
   * (the audit package's checks of decisions, devices and members). The bytes are only valid during the
   * call. `seq` is NaN where the line has no readable seq.
   */
  readonly onEntry?: {
    readonly actions: readonly string[];
    visit(seq: number, line: Uint8Array, lineNumber: number): void;
  };
}

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_CHECKPOINTS = 1_000_000;
const encoder = new TextEncoder();
const latin1 = new TextDecoder('latin1');

/**
 * Verifies an audit export against pinned keys in one streaming pass with constant memory (the
 * checkpoints excepted, one per 1,024 entries). Never throws on what the file holds.
 */
export async function verifyExport(
  source: ExportSource,
  options: VerifyOptions,
): Promise<VerificationReport> {
  const findings = new FindingList(options.maxFindings ?? 10_000);
  const visited = options.onEntry ? actionMatcher(options.onEntry.actions) : undefined;
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const tree = options.crypto.treeHasher?.() ?? genericTreeHasher(options.crypto);

  const first = await readFirstLine(source, MAX_HEADER_BYTES);
  const header = first && parseHeader(first.line);
  if (!first || !header)
    return unusableReport('the first line is not a cc-audit-export/1 header in canonical form');
  const prefix = header.prefix.map((p) => fromBase64(p));
  if (prefix.some((p) => p?.length !== 32) || prefix.length !== perfectSubtreeSizes(header.start).length) {
    return unusableReport('the header prefix does not match its start');
  }
  if (header.end < header.start) return unusableReport('the header range ends before it starts');
  const origin = header.origin;
  const parts = parseOrigin(origin);
  const expected = options.expectedOrigin;
  if (
    !parts ||
    parts.organization !== header.organization ||
    parts.environment !== header.environment ||
    (expected !== undefined && expected !== origin)
  ) {
    findings.add({
      class: 'wrong-origin',
      line: 1,
      message: expected
        ? `this is the log of ${origin}, not of ${expected}`
        : `origin ${origin} does not name this export's tenant`,
    });
  }

  // The checkpoints sit at the end; read them first so that one pass over the entries checks each window.
  const tail = await readTrailingCheckpoints(source, first.next, MAX_CHECKPOINTS, chunkBytes);
  const checkpoints: FileCheckpoint[] = [];
  const checkpointProblems: { index: number; finding: Omit<Finding, 'line'> }[] = [];
  tail.lines.forEach((bytes, index) => {
    const cp = parseCheckpointLine(bytes, index);
    const problem = (f: Omit<Finding, 'line'>) => checkpointProblems.push({ index, finding: f });
    if (!cp)
      problem({
        class: 'malformed',
        message: 'checkpoint line is not a signed checkpoint in canonical form',
      });
    else if (cp.checkpoint.origin !== origin)
      problem({ class: 'wrong-origin', message: `checkpoint belongs to ${cp.checkpoint.origin}` });
    else if (cp.checkpoint.size <= header.start || cp.checkpoint.size > header.end) {
      problem({
        class: 'malformed',
        message: `checkpoint size ${cp.checkpoint.size} is outside the exported range`,
      });
    } else checkpoints.push(cp);
  });
  checkpoints.sort((a, b) => a.checkpoint.size - b.checkpoint.size || a.index - b.index);
  if (tail.overflow)
    findings.add({ class: 'malformed', message: 'more checkpoints than any real export holds' });
  const trusted = readTrusted(options.crypto, options.trusted ?? [], origin, options.keys);
  const trustedSizes = new Set(trusted.map((t) => t.checkpoint.size));
  // Every size at which the root is taken, ascending: where the hashing of units is cut (see TreePlan).
  const cutSizes = [...new Set([...checkpoints.map((cp) => cp.checkpoint.size), ...trustedSizes])].sort(
    (a, b) => a - b,
  );
  let walkCut = cutSizes.findIndex((size) => size > header.start);
  if (walkCut < 0) walkCut = cutSizes.length;

  const announced: { seq: number; key: VerifierKey }[] = [];
  const keysUsed = new Set<string>();
  const range = new CompactRange<string>(tree.node, tree.empty, {
    size: header.start,
    hashes: (prefix as Uint8Array[]).map(bytesToLatin1),
  });
  let lastVerified = header.start;
  let latestVerified: VerifiedCheckpoint | null = null;
  let broken = false;
  let toPin: BrokenWindow | undefined;
  let structuralInWindow = false;
  let windowFrom = first.next;
  let windowFirstLine = 2;
  let nextCheckpoint = 0;
  let line = 1;
  let lineEnd = first.next;
  let entriesRead = 0;
  // The tree size the walk has reached; the range catches up at the end of each subtree (see HashedUnit).
  let leafCount = header.start;
  let subtreeSizes: readonly number[] = [];
  let subtreeRoots = '';
  let subtree = 0;
  let subtreeEnd = -1;
  const previousTs = new Uint8Array(TS_BYTES);
  let hasPreviousTs = false;
  // The entry whose seq the tracker decides once it sees the next one (-1: none; NaN: unreadable seq).
  let pendingSeq = -1;
  let pendingLine = 0;
  let deferredClose: (() => void) | undefined;
  const sequence = new SequenceTracker(header.start, header.end, findings, () => {
    structuralInWindow = true;
  });

  const noteRoot = (size: number, root: string) => {
    for (const t of trusted)
      if (t.checkpoint.size === size && t.status === 'not-covered') t.pendingRoot = root;
  };
  // The prefix is the header's word only, until a signed checkpoint over a larger tree proves it.
  noteRoot(header.start, range.root());

  const closeWindow = (
    size: number,
    root: string,
    here: FileCheckpoint[],
    endOffset: number,
    endLine: number,
  ) => {
    const valid: FileCheckpoint[] = [];
    const at = { start: lastVerified, end: size };
    for (const cp of here) {
      const keys = options.keys.concat(announced.filter((a) => a.seq < lastVerified).map((a) => a.key));
      const verdict = verifyNote(options.crypto, cp.parsed, keys);
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
    const match = valid.find((cp) => bytesToLatin1(cp.checkpoint.root) === root);
    if (match) {
      lastVerified = size;
      latestVerified = { origin, size, root: toBase64(latin1ToBytes(root)), note: match.note };
      settleTrusted(trusted, size, match.note, findings);
      structuralInWindow = false;
      windowFrom = endOffset;
      windowFirstLine = endLine + 1;
      return;
    }
    broken = true;
    // Missing or extra entries already explain a mismatch; otherwise the window is read again to pin it.
    if (!structuralInWindow)
      toPin = { from: windowFrom, to: endOffset, firstLine: windowFirstLine, start: lastVerified, end: size };
  };

  /** Takes the root as the entries reach a checkpoint's size; judges it a line later, once seq is settled. */
  const prepareClose = () => {
    const size = leafCount;
    // The walk passes every size once, in order: most sizes have nothing to take.
    if (size !== cutSizes[walkCut]) return undefined;
    walkCut++;
    const here: FileCheckpoint[] = [];
    while (
      nextCheckpoint < checkpoints.length &&
      (checkpoints[nextCheckpoint] as FileCheckpoint).checkpoint.size === size
    ) {
      here.push(checkpoints[nextCheckpoint++] as FileCheckpoint);
    }
    // The root costs log(n) hashes: take it only at sizes something was signed at.
    if (here.length === 0 && !trustedSizes.has(size)) return undefined;
    // Every such size was a cut of the hashing plan, so the range is whole here.
    if (range.size !== size) throw new Error(`the tree stands at ${range.size} where ${size} was planned`);
    const root = range.root();
    noteRoot(size, root);
    if (here.length === 0) return undefined;
    const endOffset = lineEnd;
    const endLine = line;
    return () => closeWindow(size, root, here, endOffset, endLine);
  };

  const timeCheck = (bytes: Uint8Array, at: number, seq: number) => {
    // Both are ASCII in one format, so byte order is time order; neighbours share most of their bytes, so
    // only the bytes from the first difference on are compared further and copied.
    let i = 0;
    if (hasPreviousTs) {
      while (i < TS_BYTES && bytes[at + i] === previousTs[i]) i++;
      if (i < TS_BYTES && (bytes[at + i] as number) < (previousTs[i] as number)) {
        findings.add({
          class: 'time-regression',
          seq,
          line,
          message: `time goes back from ${latin1.decode(previousTs)} to ${latin1.decode(bytes.subarray(at, at + TS_BYTES))}`,
        });
      }
    }
    for (; i < TS_BYTES; i++) previousTs[i] = bytes[at + i] as number;
    hasPreviousTs = true;
  };

  /** The full reading, for lines the fast path cannot vouch for. */
  const readSlowly = (bytes: Uint8Array): number | undefined => {
    const entry = readEntry(bytes);
    if (!entry.ok) {
      structuralInWindow = true;
      findings.add({ class: 'malformed', line, message: entry.reason });
      return undefined;
    }
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
    const tsBytes = encoder.encode(e.ts.padEnd(TS_BYTES, '0').slice(0, TS_BYTES));
    timeCheck(tsBytes, 0, e.seq);
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
    return e.seq;
  };

  const onLine = (work: Uint8Array, start: number, end: number, base: number) => {
    line++;
    lineEnd = base + end + 1;
    if (isCheckpointAt(work, start, end)) {
      findings.add({ class: 'malformed', line, message: 'checkpoint line stands among the entries' });
      return;
    }
    entriesRead++;
    if (++leafCount === subtreeEnd) {
      range.appendSubtree(
        subtreeRoots.slice(32 * subtree, 32 * subtree + 32),
        subtreeSizes[subtree] as number,
      );
      subtree++;
      subtreeEnd = subtree < subtreeSizes.length ? leafCount + (subtreeSizes[subtree] as number) : -1;
    }
    let seq = broken ? -1 : fastEntry(work, start, end);
    if (seq >= 0) timeCheck(work, fastTsStart(end), seq);
    else seq = readSlowly(work.subarray(start, end)) ?? Number.NaN;
    if (visited?.(work, start)) options.onEntry?.visit(seq, work.subarray(start, end), line);
    if (pendingSeq !== -1)
      sequence.accept(
        Number.isNaN(pendingSeq) ? undefined : pendingSeq,
        Number.isNaN(seq) ? undefined : seq,
        pendingLine,
      );
    deferredClose?.();
    pendingSeq = seq;
    pendingLine = line;
    deferredClose = prepareClose();
  };

  // Later units are hashed (by the chunk hasher's workers, if it has any) while this one is walked. Each
  // is planned here, in file order: where the tree stands when it starts, and the sizes inside it where a
  // root will be taken, so that its part of the tree can be hashed on its own.
  const hashing = options.chunkHasher ?? inlineChunkHasher(options.crypto);
  let nextCut = 0;
  let planned = header.start;
  const buffers = new BufferPool();
  const units = lineUnits(source, first.next, tail.start, chunkBytes, buffers);
  const queue: { base: number; hashed: Promise<HashedUnit> }[] = [];
  let unitsDone = false;
  const fill = async () => {
    while (!unitsDone && queue.length < hashing.depth) {
      const next = await units.next();
      if (next.done) {
        unitsDone = true;
        break;
      }
      const { ends, leaves } = lineEndsOf(next.value.work);
      while (nextCut < cutSizes.length && (cutSizes[nextCut] as number) <= planned) nextCut++;
      const cuts: number[] = [];
      for (let c = nextCut; c < cutSizes.length && (cutSizes[c] as number) <= planned + leaves; c++)
        cuts.push(cutSizes[c] as number);
      const plan = { firstLeaf: planned, cuts };
      planned += leaves;
      queue.push({ base: next.value.offset - 1, hashed: hashing.hashUnit(next.value.work, ends, plan) });
    }
  };
  let completed = true;
  let filling = fill();
  for (;;) {
    await filling;
    const current = queue.shift();
    if (!current) break;
    // Reading and hashing of the next units go on while this one is walked.
    filling = fill();
    const { work, ends, sizes, roots } = await current.hashed;
    const base = current.base;
    subtreeSizes = sizes;
    subtreeRoots = roots;
    subtree = 0;
    subtreeEnd = sizes.length > 0 ? leafCount + (sizes[0] as number) : -1;
    let start = 1;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i] as number;
      onLine(work, start, end, base);
      start = end + 1;
    }
    buffers.give(work.buffer);
    options.onProgress?.({ bytesRead: base + work.length, totalBytes: source.size, entriesRead });
    if (options.signal?.aborted) {
      completed = false;
      await filling;
      await Promise.allSettled(queue.map((q) => q.hashed));
      break;
    }
  }
  if (pendingSeq !== -1)
    sequence.accept(Number.isNaN(pendingSeq) ? undefined : pendingSeq, undefined, pendingLine);
  deferredClose?.();

  if (completed && toPin) await pinModified(source, toPin, chunkBytes, findings);
  if (completed && source.size > 0 && (await source.read(source.size - 1, 1))[0] !== 0x0a) {
    findings.add({ class: 'malformed', message: 'the file does not end with a newline' });
  }
  for (const problem of checkpointProblems)
    findings.add({ ...problem.finding, line: line + 1 + problem.index });
  if (completed) sequence.finish(line);

  const provenToEnd = completed && lastVerified === header.end && leafCount === header.end && !broken;
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
    trusted: trusted.map((t: TrustedCheckpoint) => ({ size: t.checkpoint.size, status: t.status })),
    findings: findings.items,
    findingsOmitted: findings.omitted,
  };
}

import type { Environment } from '../../domain/environments';
import { parseCheckpointLine, parseHeader } from '../export-parts';
import type { ExportHeader } from '../format';
import {
  BreakGlassEntry,
  DecisionEntry,
  EvidenceUploadEntry,
  parseLine,
  RequestEntry,
  ReviewCloseEntry,
} from './entries';

const NEWLINE = 0x0a;
const decoder = new TextDecoder();

/**
 * What a package builder learns from the period's export as it streams past: the header, the closing
 * checkpoint, the requests raised or decided, the evidence the log ties to them (with ids where the log
 * names them), the evidence packs of campaigns closed in it, and the device keys and people that decided.
 * It reads only the lines it needs.
 */
export class PeriodScan {
  header: ExportHeader | undefined;
  closingNote: string | undefined;
  readonly requests = new Set<string>();
  /** hash → evidence id, where an entry names both. */
  readonly evidenceIds = new Map<string, string>();
  /** hash → a request that names it. */
  readonly evidenceRequests = new Map<string, string>();
  /** hash → the evidence id and environment a `review.close` entry names for a file of its pack. */
  readonly packFiles = new Map<string, { id: string; environment: Environment }>();
  readonly deviceKeys = new Set<string>();
  readonly deciders = new Set<string>();
  #carry: Uint8Array = new Uint8Array(0);

  /** Feeds the next bytes of the export. */
  push(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.#carry.length > 0) {
      bytes = new Uint8Array(this.#carry.length + chunk.length);
      bytes.set(this.#carry, 0);
      bytes.set(chunk, this.#carry.length);
    }
    let start = 0;
    for (let nl = bytes.indexOf(NEWLINE); nl >= 0; nl = bytes.indexOf(NEWLINE, start)) {
      this.#line(bytes.subarray(start, nl));
      start = nl + 1;
    }
    this.#carry = bytes.slice(start);
  }

  #line(line: Uint8Array): void {
    if (!this.header) {
      this.header = parseHeader(line);
      return;
    }
    const head = decoder.decode(line.subarray(0, 40));
    if (head.startsWith('{"checkpoint":')) {
      const cp = parseCheckpointLine(line, 0);
      if (cp && cp.checkpoint.size === this.header.end) this.closingNote = cp.note;
      return;
    }
    if (!/^\{"action":"(approval\.(request|decide|break_glass)|evidence\.upload|review\.close)"/.test(head))
      return;
    const value = parseLine(line);
    const request = RequestEntry.safeParse(value);
    if (request.success) {
      this.requests.add(request.data.resource.id);
      for (const e of request.data.change.after.evidence ?? [])
        this.#evidence(e.sha256, request.data.resource.id, e.id);
      return;
    }
    const closed = ReviewCloseEntry.safeParse(value);
    if (closed.success) {
      for (const f of closed.data.change.after.pack)
        if (!this.packFiles.has(f.sha256))
          this.packFiles.set(f.sha256, { id: f.evidence, environment: f.environment });
      return;
    }
    const upload = EvidenceUploadEntry.safeParse(value);
    if (upload.success) {
      const { id, requestId, sha256 } = upload.data.change.after;
      if (requestId) this.#evidence(sha256, requestId, id);
      return;
    }
    const decision = DecisionEntry.safeParse(value);
    const breakGlass = decision.success ? undefined : BreakGlassEntry.safeParse(value);
    const statement = decision.success
      ? decision.data.change.after.statement
      : breakGlass?.success
        ? breakGlass.data.change.after.statement
        : undefined;
    if (!statement) return;
    this.requests.add(statement.requestId);
    for (const hash of statement.evidenceHashes) this.#evidence(hash, statement.requestId);
    if (decision.success) {
      this.deviceKeys.add(decision.data.signature.keyId);
      this.deciders.add(decision.data.actor.id);
    }
  }

  #evidence(sha256: string, requestId: string, id?: string): void {
    if (!this.evidenceRequests.has(sha256)) this.evidenceRequests.set(sha256, requestId);
    if (id && !this.evidenceIds.has(sha256)) this.evidenceIds.set(sha256, id);
  }
}

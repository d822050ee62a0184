import canonicalize from 'canonicalize';
import type { Environment } from '../../domain/environments';
import { parseCheckpointBody, parseNote } from '../note';
import {
  ANNOUNCEMENTS_PATH,
  EXPORT_PATH,
  evidencePath,
  MANIFEST_PATH,
  type ManifestHeader,
  PACKAGE_FORMAT,
  type PackageAnnouncement,
  REFERENCES_PATH,
  type References,
} from './format';
import { PeriodScan } from './period-scan';
import type { PackageZipWriter } from './zip-writer';

/**
 * What the builder needs of a platform, for one organization: each call is a declared route of the
 * platform's public API (shared/api/routes), or, in a benchmark, the platform's own log in process. Every
 * method throws a PackageBuildError when the platform refuses or cannot be reached.
 */
export interface PackageDataSource {
  /** The newest entry of the environment's log with a time before `before`: its seq and exact bytes. */
  newestBefore(env: Environment, before: string): Promise<{ seq: number; entry: string } | null>;
  /** The entry at `seq`, or null when the log is not that long. */
  entryAt(env: Environment, seq: number): Promise<string | null>;
  /** Every entry about one resource (a device key, a person), with its seq. */
  entriesOf(
    env: Environment,
    resource: { type: string; id: string },
  ): Promise<{ seq: number; entry: string }[]>;
  /** The export file (cc-audit-export/1) of entries [start, end). */
  exportStream(env: Environment, start: number, end: number): AsyncIterable<Uint8Array>;
  /** The log's newest signed checkpoint (note text). */
  checkpoint(env: Environment): Promise<string>;
  inclusion(env: Environment, seq: number, size: number): Promise<string[]>;
  consistency(env: Environment, from: number, to: number): Promise<string[]>;
  keyAnnouncements(env: Environment): Promise<Omit<PackageAnnouncement, 'origin'>[]>;
  /** The evidence attached to a request: id and SHA-256 of each (deleted files are not listed). */
  evidenceOf(env: Environment, requestId: string): Promise<{ id: string; sha256: string; size: number }[]>;
  /** One evidence file's bytes, as they arrive. */
  evidenceContent(env: Environment, evidenceId: string): Promise<AsyncIterable<Uint8Array>>;
}

export class PackageBuildError extends Error {
  constructor(
    readonly code: 'bad-request' | 'not-found' | 'internal' | 'unavailable' | 'forbidden' | 'unauthenticated',
    message: string,
  ) {
    super(message);
  }
}

export interface BuildRequest {
  readonly environment: Environment;
  /** RFC 3339; `to` exclusive, and not in the future. */
  readonly from: string;
  readonly to: string;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
  /** Bytes written so far, and the total as far as it is known. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BuildResult {
  readonly manifest: ManifestHeader;
  /** The archive's SHA-256 (hex). */
  readonly sha256: string;
  readonly files: number;
  /** Evidence the log names but the platform no longer serves (deleted by an approved request). */
  readonly missingEvidence: readonly string[];
}

const encoder = new TextEncoder();

function lineOf(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new PackageBuildError('internal', 'A manifest line is not serializable.');
  return `${text}\n`;
}

/**
 * Assembles an audit package from a platform (README, "The audit package"): maps the period to seqs, streams
 * the export into the archive while noting what its decisions depend on, then adds the key announcements,
 * the references with their proofs, each evidence file once (by SHA-256, campaigns' packs included), and
 * the manifest last. Pure: all I/O is the data source's and the writer's.
 */
export async function buildPackage(
  source: PackageDataSource,
  writer: PackageZipWriter,
  request: BuildRequest,
): Promise<BuildResult> {
  const { environment: env, signal } = request;
  const check = () => {
    if (signal?.aborted) throw new PackageBuildError('bad-request', 'The package was cancelled.');
  };
  const from = Date.parse(request.from);
  const to = Date.parse(request.to);
  if (!(from < to)) throw new PackageBuildError('bad-request', 'The period must end after it starts.');
  if (to > request.now().getTime()) throw new PackageBuildError('bad-request', 'The period must have ended.');
  const before = await source.newestBefore(env, request.from);
  const last = await source.newestBefore(env, request.to);
  const start = before ? before.seq + 1 : 0;
  const end = Math.max(start, last ? last.seq + 1 : 0);
  if (end === 0)
    throw new PackageBuildError('bad-request', 'The log holds nothing before the end of the period.');
  check();

  let written = 0;
  let total = 0;
  const progress = (n: number) => {
    written += n;
    request.onProgress?.(written, Math.max(total, written));
  };
  const scan = new PeriodScan();
  async function* tapped(chunks: AsyncIterable<Uint8Array>) {
    for await (const chunk of chunks) {
      check();
      scan.push(chunk);
      progress(chunk.length);
      yield chunk;
    }
  }
  await writer.add(EXPORT_PATH, tapped(source.exportStream(env, start, end)));
  const header = scan.header;
  const closingText = scan.closingNote;
  const closing = parseCheckpointBody((parseNote(closingText ?? '') ?? { text: '' }).text);
  if (!header || !closingText || !closing || header.start !== start || header.end !== end)
    throw new PackageBuildError('internal', 'The platform sent an export that is not the period asked for.');
  total = written;
  const host = header.origin.split('/audit/')[0] ?? '';
  const liveOrigin = `${host}/audit/${header.organization}/live`;
  const origins = { own: header.origin, live: liveOrigin };

  // Signing-key announcements of every log the package draws on.
  const logs: Environment[] = env === 'test' ? ['test', 'live'] : ['live'];
  const announcements: PackageAnnouncement[] = [];
  for (const log of logs)
    for (const a of await source.keyAnnouncements(log))
      announcements.push({ ...a, origin: log === env ? origins.own : origins.live });
  writer.addBytes(ANNOUNCEMENTS_PATH, encoder.encode(`${canonicalize({ announcements })}\n`));
  check();

  // References: the entries just outside the period, and what its decisions depend on from before it.
  const references: References = { checkpoints: [{ note: closingText as string }], entries: [] };
  const latestNote = await source.checkpoint(env);
  const latest = parseCheckpointBody((parseNote(latestNote) ?? { text: '' }).text);
  if (!latest || latest.size <= end)
    throw new PackageBuildError('internal', 'The platform has no checkpoint past the export.');
  references.checkpoints.push({
    note: latestNote,
    consistency: await source.consistency(env, end, latest.size),
  });
  const own = async (seq: number, entry: string) => {
    const atClosing = seq < end;
    const proof = await source.inclusion(env, seq, atClosing ? end : latest.size);
    references.entries.push({ checkpoint: atClosing ? 0 : 1, seq, entry, proof });
  };
  if (before) await own(before.seq, before.entry);
  const after = await source.entryAt(env, end);
  if (after === null)
    throw new PackageBuildError('internal', 'The platform did not serve the entry after the period.');
  await own(end, after);
  for (const id of [...scan.deviceKeys].sort())
    for (const e of await source.entriesOf(env, { type: 'device_key', id }))
      if (e.seq < start && e.seq !== before?.seq) await own(e.seq, e.entry);
  let liveIndex = -1;
  let liveSize = 0;
  for (const id of [...scan.deciders].sort()) {
    const member = (await source.entriesOf('live', { type: 'user', id })).filter((e) =>
      /^\{"action":"member\./.test(e.entry),
    );
    for (const e of member) {
      if (env === 'live') {
        if (e.seq < start && e.seq !== before?.seq) await own(e.seq, e.entry);
        continue;
      }
      if (liveIndex < 0) {
        const note = await source.checkpoint('live');
        const body = parseCheckpointBody((parseNote(note) ?? { text: '' }).text);
        if (!body) throw new PackageBuildError('internal', 'The live log has no valid checkpoint.');
        liveSize = body.size;
        liveIndex = references.checkpoints.push({ note }) - 1;
      }
      if (e.seq >= liveSize) continue;
      references.entries.push({
        checkpoint: liveIndex,
        seq: e.seq,
        entry: e.entry,
        proof: await source.inclusion('live', e.seq, liveSize),
      });
    }
    check();
  }
  references.entries.sort((a, b) => a.checkpoint - b.checkpoint || a.seq - b.seq);
  writer.addBytes(REFERENCES_PATH, encoder.encode(`${canonicalize(references)}\n`));

  // Evidence: each file the period's requests and closed campaigns name, once, by SHA-256; ids come from the
  // log or the request.
  const ids = new Map(scan.evidenceIds);
  const sizes = new Map<string, number>();
  const unresolved = [...scan.evidenceRequests].filter(([hash]) => !ids.has(hash));
  for (const requestId of new Set(unresolved.map(([, r]) => r)))
    for (const e of await source.evidenceOf(env, requestId)) {
      if (!ids.has(e.sha256)) ids.set(e.sha256, e.id);
      sizes.set(e.sha256, e.size);
    }
  // A closed campaign's pack is stored in the environment its entry names (live), whatever the package's log.
  const places = new Map<string, { id: string; environment: Environment }>();
  for (const [hash, id] of ids) places.set(hash, { id, environment: env });
  for (const [hash, place] of scan.packFiles) if (!places.has(hash)) places.set(hash, place);
  const missing: string[] = [];
  const hashes = [...new Set([...scan.evidenceRequests.keys(), ...scan.packFiles.keys()])].sort();
  total = written + hashes.reduce((n, h) => n + (sizes.get(h) ?? 0), 0);
  for (const hash of hashes) {
    check();
    const place = places.get(hash);
    if (!place) {
      missing.push(hash);
      continue;
    }
    const { id, environment } = place;
    const file = await writer.add(evidencePath(hash), tapped(await source.evidenceContent(environment, id)));
    if (file.sha256 !== hash)
      throw new PackageBuildError('internal', `The platform served evidence ${id} with another SHA-256.`);
    if (!sizes.has(hash)) total += file.size;
  }

  const files = [...writer.files].sort((a, b) => (a.path < b.path ? -1 : 1));
  const manifest: ManifestHeader = {
    format: PACKAGE_FORMAT,
    origins: { log: origins.own, references: env === 'test' ? [origins.live] : [] },
    organization: header.organization,
    environment: env,
    period: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), start, end },
    createdAt: request.now().toISOString(),
    files: files.length,
  };
  const text = [manifest, ...files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 }))]
    .map(lineOf)
    .join('');
  writer.addBytes(MANIFEST_PATH, encoder.encode(text));
  check();
  const sha256 = await writer.end();
  return { manifest, sha256, files: files.length + 1, missingEvidence: missing };
}

import { open } from 'node:fs/promises';
import type { ChunkHasher } from '../chunk-hasher';
import { parseCheckpointLine, parseHeader } from '../export-parts';
import { type ExportSource, readFirstLine, readTrailingCheckpoints } from '../export-source';
import { FindingList } from '../findings';
import { parseOrigin } from '../format';
import { type AuditCrypto, toBase64, toHex } from '../hash';
import type { Checkpoint, VerifierKey } from '../note';
import { describeKey } from '../note';
import type { AnyFindingClass, Finding, VerificationReport } from '../report';
import { verifyExport } from '../verifier';
import { checkPackageFiles, checkPeriod } from './checks';
import { DecisionChecker, type DecisionSummary } from './decisions';
import { visitedActions } from './entries';
import {
  ANNOUNCEMENTS_PATH,
  Announcements,
  EXPORT_PATH,
  limits,
  MANIFEST_PATH,
  type ManifestHeader,
  REFERENCES_PATH,
  References,
} from './format';
import { readJsonPart, readManifest } from './package-parts';
import { type PackageReport, type SampledRequest, unusablePackage } from './package-report';
import { rangeHasher } from './range-hasher';
import { proveAnnouncements, proveReferences } from './references';
import { Sampler, sampleSeed } from './sampling';
import { type PackageEntry, readZipLayout } from './zip-layout';

export interface PackageVerifyOptions {
  readonly crypto: AuditCrypto;
  readonly keys: readonly VerifierKey[];
  readonly trusted?: readonly string[];
  /** Draw a sample of this many requests (see sampling.ts). */
  readonly sample?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: { done: number; total: number }) => void;
  /** The log walk's leaf hashing (workerChunkHasher); inline by default. */
  readonly chunkHasher?: ChunkHasher;
  /** Worker threads that hash the package's files and the package itself. */
  readonly hashWorkers?: number;
  readonly maxFindings?: number;
}

/** The first bytes of every ZIP archive (a local file header): how the CLI tells a package from an export. */
export const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04] as const;

interface SampleRecord {
  kind: string | null;
  raisedSeq: number | null;
  decisions: DecisionSummary[];
}

/**
 * Verifies an audit package offline (README, "The audit package"): the log as an export is verified, the
 * period's decisions, its evidence and the manifest. The log is walked once; the package's files and the
 * package itself are hashed on worker threads meanwhile, each read a buffer at a time. Never throws on
 * what the file holds.
 */
export async function verifyPackage(path: string, options: PackageVerifyOptions): Promise<PackageReport> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  const hasher = rangeHasher(path, options.hashWorkers ?? 2);
  try {
    const packageHash = hasher.hash(0, size);
    const layout = await readZipLayout(handle, size);
    if (!layout.ok) return unusablePackage(`not an audit package: ${layout.reason}`, size);
    const findings = new FindingList<AnyFindingClass>(options.maxFindings ?? 10_000);
    for (const problem of layout.problems) findings.add({ class: 'manifest-mismatch', message: problem });
    const entries = new Map<string, PackageEntry>();
    for (const e of layout.entries) if (!entries.has(e.path)) entries.set(e.path, e);
    const sourceOf = (p: string): ExportSource | undefined => {
      const e = entries.get(p);
      return e && entrySource(handle, e);
    };
    // Every file but the manifest is hashed now, beside the rest: the largest first, so the workers end together.
    const hashes = new Map<string, Promise<string | null>>();
    for (const e of [...entries.values()].sort((a, b) => b.size - a.size))
      if (e.path !== MANIFEST_PATH) hashes.set(e.path, hasher.hash(e.dataStart, e.size));

    const manifest = await readManifest(
      sourceOf(MANIFEST_PATH),
      entries.get(MANIFEST_PATH),
      limits.manifestBytes,
      findings,
    );
    const exportSource = sourceOf(EXPORT_PATH);
    const first = exportSource && (await readFirstLine(exportSource, 64 * 1024));
    const header = first && parseHeader(first.line);
    if (!exportSource || !first || !header) {
      findings.add({
        class: 'manifest-mismatch',
        path: EXPORT_PATH,
        message: 'the package holds no log export',
      });
      return finish({
        packageSha256: await packageHash,
        size,
        findings,
        manifest: manifest.header,
        log: null,
        keysUsed: [],
        sample: null,
        counts: { decisions: 0, evidenceFiles: 0, references: 0, announcedKeys: 0 },
      });
    }
    const origin = parseOrigin(header.origin);
    const host = origin?.host ?? '';
    const liveOrigin = `${host}/audit/${header.organization}/live`;

    const announcementsFile = await readJsonPart(
      sourceOf(ANNOUNCEMENTS_PATH),
      ANNOUNCEMENTS_PATH,
      limits.announcementsBytes,
      Announcements,
      findings,
    );
    const keys = proveAnnouncements(
      options.crypto,
      options.keys,
      announcementsFile?.announcements ?? [],
      host,
      findings,
    );

    const closing = await closingCheckpoint(exportSource, first.next, header.end, header.origin);
    const referencesFile = await readJsonPart(
      sourceOf(REFERENCES_PATH),
      REFERENCES_PATH,
      limits.referencesBytes,
      References,
      findings,
    );
    const proven = referencesFile
      ? proveReferences(
          options.crypto,
          keys,
          referencesFile,
          {
            ownOrigin: header.origin,
            otherOrigins: header.environment === 'test' ? [liveOrigin] : [],
            closing,
          },
          findings,
        )
      : [];

    const sampler =
      options.sample !== undefined && closing
        ? new Sampler<SampleRecord>(
            options.crypto,
            sampleSeed(options.crypto, { ...closing, n: options.sample }),
            options.sample,
            () => ({ kind: null, raisedSeq: null, decisions: [] }),
          )
        : undefined;
    const population = new Set<string>();
    const checker = new DecisionChecker(options.crypto, findings, keys, header.environment === 'live', {
      request(requestId, seq, kind) {
        population.add(requestId);
        const record = sampler?.offer(requestId);
        if (record) {
          record.kind = kind;
          record.raisedSeq = seq;
        }
      },
      decision(requestId, summary) {
        population.add(requestId);
        sampler?.offer(requestId)?.decisions.push(summary);
      },
    });
    // Earlier entries first, in log order, so each decision meets the state just before it.
    for (const r of [...proven].sort((a, b) => a.seq - b.seq)) {
      if (r.origin === header.origin && r.seq < header.start) checker.ownReference(r.entry);
      else if (r.origin !== header.origin) checker.liveReference(r.entry);
    }

    let filesDone = 0;
    const filesTotal = [...entries.values()].reduce((n, e) => n + e.size, 0);
    const log = await verifyExport(exportSource, {
      crypto: options.crypto,
      keys,
      trusted: options.trusted,
      chunkHasher: options.chunkHasher,
      signal: options.signal,
      maxFindings: options.maxFindings,
      onEntry: {
        actions: visitedActions,
        visit: (seq, line) => checker.visit(seq, line),
      },
      onProgress: ({ bytesRead }) =>
        options.onProgress?.({ done: bytesRead + filesDone, total: exportSource.size + filesTotal }),
    });
    for (const f of log.findings) findings.add(f);
    findings.omitted += log.findingsOmitted;
    // Cancelled: nothing more is waited for (the hashing workers are stopped on the way out).
    if (log.cancelled)
      return finish({
        packageSha256: null,
        size,
        findings,
        manifest: manifest.header,
        log,
        keysUsed: [...log.keysUsed],
        sample: null,
        counts: {
          decisions: checker.decisions,
          evidenceFiles: 0,
          references: proven.length,
          announcedKeys: 0,
        },
      });

    const actual = new Map<string, string | null>();
    for (const [p, pending] of hashes) {
      actual.set(p, await pending);
      filesDone += entries.get(p)?.size ?? 0;
      options.onProgress?.({ done: exportSource.size + filesDone, total: exportSource.size + filesTotal });
    }
    checker.evidence.check((p) => actual.get(p) ?? undefined, findings);
    checkPackageFiles(entries, manifest, actual, checker.evidence, findings);
    if (manifest.header)
      await checkPeriod(manifest.header, header, exportSource, first.next, proven, findings);

    const sample = sampler &&
      closing && {
        n: sampler.n,
        seed: toHex(sampler.seed),
        closing: { origin: closing.origin, size: closing.size, root: toBase64(closing.root) },
        proven: log.latestVerified?.size === closing.size && log.verdict !== 'tampered',
        population: population.size,
        requests: sampler.result().map(
          ({ requestId, rank, record }): SampledRequest => ({
            requestId,
            rank,
            ...record,
            evidence: checker.evidence.hashesOf(requestId),
            findings: findings.items.filter((f) => f.request === requestId),
          }),
        ),
      };
    const evidenceFiles = [...entries.keys()].filter((p) => p.startsWith('evidence/')).length;
    return finish({
      packageSha256: await packageHash,
      size,
      findings,
      manifest: manifest.header,
      log,
      keysUsed: [...new Set([...log.keysUsed, ...keys.slice(options.keys.length).map(describeKey)])],
      sample: sample ?? null,
      counts: {
        decisions: checker.decisions,
        evidenceFiles,
        references: proven.length,
        announcedKeys: keys.length - options.keys.length,
      },
    });
  } finally {
    await hasher.close();
    await handle.close();
  }
}

interface Outcome {
  readonly packageSha256: string | null;
  readonly size: number;
  readonly findings: FindingList<AnyFindingClass>;
  readonly manifest: ManifestHeader | undefined;
  readonly log: VerificationReport | null;
  readonly keysUsed: string[];
  readonly sample: PackageReport['sample'];
  readonly counts: PackageReport['counts'];
}

/** The verdict and report from everything found: tampered on any contradiction, verified only on none. */
function finish({
  packageSha256,
  size,
  findings,
  manifest,
  log,
  keysUsed,
  sample,
  counts,
}: Outcome): PackageReport {
  const items: readonly Finding<AnyFindingClass>[] = findings.items;
  const { findings: _f, findingsOmitted: _o, ...logPart } = log ?? { findings: [], findingsOmitted: 0 };
  const logVerified = log?.verdict === 'verified';
  const tampered =
    findings.omitted > 0 ||
    log?.verdict === 'tampered' ||
    items.some((f) => !['unknown-key', 'device-key-unknown', 'evidence-missing'].includes(f.class));
  const cancelled = log?.cancelled ?? false;
  return {
    kind: 'package',
    verdict:
      tampered && !cancelled
        ? 'tampered'
        : logVerified && items.length === 0 && !cancelled
          ? 'verified'
          : 'unverifiable',
    usable: true,
    cancelled,
    packageSha256,
    packageSize: size,
    organization: manifest?.organization ?? log?.origin?.split('/audit/')[1]?.split('/')[0] ?? null,
    environment: manifest?.environment ?? null,
    period: manifest?.period ?? null,
    createdAt: manifest?.createdAt ?? null,
    log: log ? (logPart as PackageReport['log']) : null,
    keysUsed,
    counts,
    sample,
    findings: items,
    findingsOmitted: findings.omitted,
  };
}

/** A file inside the archive as a random-access source over the archive's handle. */
function entrySource(handle: Awaited<ReturnType<typeof open>>, entry: PackageEntry): ExportSource {
  const clamp = (offset: number, length: number) => Math.max(0, Math.min(length, entry.size - offset));
  return {
    size: entry.size,
    async read(offset, length) {
      const buffer = Buffer.allocUnsafe(clamp(offset, length));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, entry.dataStart + offset);
      return buffer.subarray(0, bytesRead);
    },
    async readInto(target, at, length, position) {
      const n = clamp(position, length);
      return (await handle.read(target, at, n, entry.dataStart + position)).bytesRead;
    },
  };
}

/** The export's checkpoint at its end, as the file claims it; the log walk decides whether it holds. */
async function closingCheckpoint(
  source: ExportSource,
  notBefore: number,
  end: number,
  origin: string,
): Promise<Checkpoint | undefined> {
  const tail = await readTrailingCheckpoints(source, notBefore, 100_000, 1 << 20);
  for (let i = tail.lines.length - 1; i >= 0; i--) {
    const cp = parseCheckpointLine(tail.lines[i] as Uint8Array, i);
    if (cp && cp.checkpoint.size === end && cp.checkpoint.origin === origin) return cp.checkpoint;
  }
  return undefined;
}

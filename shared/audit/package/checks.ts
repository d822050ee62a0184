import type { ExportSource } from '../export-source';
import type { FindingList } from '../findings';
import type { ExportHeader } from '../format';
import type { AnyFindingClass } from '../report';
import type { EvidenceNames } from './evidence-names';
import { evidenceHashOfPath, MANIFEST_PATH, type ManifestHeader } from './format';
import type { Manifest } from './package-parts';
import type { ProvenReference } from './references';
import type { PackageEntry } from './zip-layout';

/**
 * The manifest against the archive: every listed file present with its size and SHA-256, and nothing in
 * the archive that it does not list. An evidence file whose bytes differ from the hash its name (and the
 * manifest) promise is the evidence check's finding, not a second one here; an evidence file no request (or
 * closed campaign) of the period names is one here.
 */
export function checkPackageFiles(
  entries: ReadonlyMap<string, PackageEntry>,
  manifest: Manifest,
  actual: ReadonlyMap<string, string | null>,
  named: EvidenceNames,
  findings: FindingList<AnyFindingClass>,
): void {
  const mismatch = (path: string, message: string) =>
    findings.add({ class: 'manifest-mismatch', path, message });
  if (!manifest.header) return;
  for (const [path, listed] of manifest.files) {
    const entry = entries.get(path);
    if (!entry) {
      mismatch(path, 'listed in the manifest but not in the package');
      continue;
    }
    const promised = evidenceHashOfPath(path);
    if (promised !== undefined && listed.sha256 !== promised) {
      mismatch(path, `the manifest gives SHA-256 ${listed.sha256}, not the one the file is named by`);
      continue;
    }
    const got = actual.get(path);
    if (got === null || got === undefined) mismatch(path, 'the file cannot be read whole');
    else if (promised !== undefined && got !== promised) continue;
    else if (entry.size !== listed.size)
      mismatch(path, `${entry.size} bytes, the manifest says ${listed.size}`);
    else if (got !== listed.sha256) mismatch(path, `SHA-256 ${got}, the manifest says ${listed.sha256}`);
  }
  for (const path of entries.keys()) {
    if (path === MANIFEST_PATH) continue;
    if (!manifest.files.has(path)) mismatch(path, 'in the package but not in the manifest');
    const hash = evidenceHashOfPath(path);
    if (hash !== undefined && !named.has(hash))
      mismatch(path, 'no request or campaign of the period names this file');
  }
}

const decoder = new TextDecoder();

/** An entry's time in ms (RFC 3339 texts of different precision do not compare as strings). */
function tsOf(line: string | undefined): number | undefined {
  try {
    const ts = (JSON.parse(line ?? '') as { ts?: unknown }).ts;
    const ms = typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
    return Number.isNaN(ms) ? undefined : ms;
  } catch {
    return undefined;
  }
}

/** The first and last entry lines of an export (the line after the header, the line before the checkpoints). */
async function edgeTimes(
  source: ExportSource,
  firstLine: number,
): Promise<{ first: number | undefined; last: number | undefined }> {
  const head = decoder.decode(await source.read(firstLine, 64 * 1024));
  const first = tsOf(head.split('\n')[0]);
  const from = Math.max(firstLine, source.size - 1024 * 1024);
  const tail = decoder.decode(await source.read(from, source.size - from)).split('\n');
  const entries = tail.filter((l) => l.startsWith('{"action"'));
  return { first, last: tsOf(entries[entries.length - 1]) };
}

/**
 * The period the manifest states against the log: the same log and seq range as the export's header, the
 * entries inside [from, to), and the entries just outside (proven references) outside it, so the range is
 * exactly the period, neither cut short nor padded.
 */
export async function checkPeriod(
  manifest: ManifestHeader,
  header: ExportHeader,
  source: ExportSource,
  firstLine: number,
  proven: readonly ProvenReference[],
  findings: FindingList<AnyFindingClass>,
): Promise<void> {
  const mismatch = (message: string) =>
    findings.add({ class: 'manifest-mismatch', path: MANIFEST_PATH, message });
  const { period } = manifest;
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  if (manifest.origins.log !== header.origin) mismatch(`the manifest names the log ${manifest.origins.log}`);
  if (manifest.organization !== header.organization || manifest.environment !== header.environment)
    mismatch('the manifest names another tenant than the export');
  if (period.start !== header.start || period.end !== header.end)
    mismatch(`the manifest's range ${period.start}..${period.end} is not the export's`);
  if (from >= to) mismatch('the period ends before it starts');
  const edges =
    header.end > header.start ? await edgeTimes(source, firstLine) : { first: undefined, last: undefined };
  if (edges.first !== undefined && edges.first < from) mismatch('the export starts before the period');
  if (edges.last !== undefined && edges.last >= to) mismatch('the export runs past the period');
  const own = (seq: number) => proven.find((r) => r.origin === header.origin && r.seq === seq);
  if (header.start > 0) {
    const before = tsOf(own(header.start - 1)?.entry);
    if (before === undefined) mismatch(`no proven entry ${header.start - 1} shows where the period starts`);
    else if (before >= from) mismatch(`entry ${header.start - 1}, before the export, is inside the period`);
  }
  const after = tsOf(own(header.end)?.entry);
  if (after === undefined) mismatch(`no proven entry ${header.end} shows where the period ends`);
  else if (after < to) mismatch(`entry ${header.end}, after the export, is inside the period`);
}

import {
  type AnyFindingClass,
  type Finding,
  findingPlace,
  formatReport,
  type Verdict,
  type VerificationReport,
} from '../report';
import type { DecisionSummary } from './decisions';

export interface SampledRequest {
  readonly requestId: string;
  /** SHA-256(seed || id), hex: the request's place in the sample. */
  readonly rank: string;
  readonly kind: string | null;
  /** The seq of its `approval.request` entry, when it was raised in the period. */
  readonly raisedSeq: number | null;
  readonly decisions: readonly DecisionSummary[];
  /** SHA-256 of each evidence file the log ties to it. */
  readonly evidence: readonly string[];
  /** Its findings (each also in the report's list). */
  readonly findings: readonly Finding<AnyFindingClass>[];
}

export interface PackageSample {
  readonly n: number;
  /** Hex. */
  readonly seed: string;
  /** The checkpoint that closes the period, which the seed is made from. */
  readonly closing: { readonly origin: string; readonly size: number; readonly root: string };
  /** True when that checkpoint verified (otherwise the sample is only what the package claims). */
  readonly proven: boolean;
  /** How many requests the period holds (raised or decided in it). */
  readonly population: number;
  readonly requests: readonly SampledRequest[];
}

export interface PackageReport {
  readonly kind: 'package';
  readonly verdict: Verdict;
  /** False when the input is not a package at all (not a ZIP, or no archive that can be read). */
  readonly usable: boolean;
  readonly cancelled: boolean;
  readonly packageSha256: string | null;
  readonly packageSize: number;
  readonly organization: string | null;
  readonly environment: string | null;
  readonly period: {
    readonly from: string;
    readonly to: string;
    readonly start: number;
    readonly end: number;
  } | null;
  readonly createdAt: string | null;
  /** The log export's own report (its findings are in `findings` too). */
  readonly log: Omit<VerificationReport, 'findings' | 'findingsOmitted'> | null;
  readonly keysUsed: readonly string[];
  readonly counts: {
    readonly decisions: number;
    readonly evidenceFiles: number;
    readonly references: number;
    readonly announcedKeys: number;
  };
  readonly sample: PackageSample | null;
  readonly findings: readonly Finding<AnyFindingClass>[];
  readonly findingsOmitted: number;
}

export function unusablePackage(message: string, size: number): PackageReport {
  return {
    kind: 'package',
    verdict: 'unverifiable',
    usable: false,
    cancelled: false,
    packageSha256: null,
    packageSize: size,
    organization: null,
    environment: null,
    period: null,
    createdAt: null,
    log: null,
    keysUsed: [],
    counts: { decisions: 0, evidenceFiles: 0, references: 0, announcedKeys: 0 },
    sample: null,
    findings: [{ class: 'malformed', message }],
    findingsOmitted: 0,
  };
}

/** The CLI's short report: the log's part as for an export, then the package's. */
export function formatPackageReport(report: PackageReport, file: string): string {
  const lines: string[] = [];
  if (report.log) {
    const log = formatReport({ ...report.log, findings: [], findingsOmitted: 0 }, file).split('\n');
    lines.push(...log.slice(1).filter((l) => l !== ''));
  }
  lines.unshift(`${report.verdict.toUpperCase()}: ${file} (audit package)`);
  if (report.packageSha256) lines.push(`  sha256     ${report.packageSha256}`);
  if (report.period)
    lines.push(
      `  period     ${report.period.from} to ${report.period.to} (seq ${report.period.start} to ${report.period.end})`,
    );
  const c = report.counts;
  lines.push(
    `  checked    ${c.decisions} decisions, ${c.evidenceFiles} evidence files, ${c.references} references`,
  );
  if (report.sample) {
    const s = report.sample;
    lines.push(
      `  sample     ${s.requests.length} of ${s.population} requests, seed ${s.seed.slice(0, 16)}… from size ${s.closing.size}${s.proven ? '' : ' (checkpoint not proven)'}`,
    );
    for (const r of s.requests)
      lines.push(
        `    ${r.requestId}  ${r.findings.length === 0 ? 'ok' : `${r.findings.length} finding(s)`}  ${r.decisions.length} decision(s), ${r.evidence.length} file(s)`,
      );
  }
  if (report.cancelled) lines.push('  cancelled before the end');
  if (report.findings.length > 0) {
    lines.push('', `Findings (${report.findings.length + report.findingsOmitted}):`);
    for (const f of report.findings)
      lines.push(`  ${f.class.padEnd(22)} ${findingPlace(f).padEnd(18)} ${f.message}`);
    if (report.findingsOmitted > 0) lines.push(`  … and ${report.findingsOmitted} more`);
  }
  return `${lines.join('\n')}\n`;
}

export function csvField(value: string | number | undefined | null): string {
  const text = value === undefined || value === null ? '' : String(value);
  // Quoted always; a leading formula character is defused, so a spreadsheet never runs a cell.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * The findings as CSV (RFC 4180), one row each, every row carrying what the report is about: the
 * package's SHA-256, the verdict, the keys, the period and the sample's seed (and whether the finding's
 * request is in the sample). A clean package gives one row of class `none`, so the file still says so.
 */
export function packageReportCsv(report: PackageReport, fileName: string, verifiedAt: string): string {
  const sampled = new Set(report.sample?.requests.map((r) => r.requestId) ?? []);
  const about = [
    fileName,
    report.packageSha256,
    verifiedAt,
    report.verdict,
    report.keysUsed.join(' '),
    report.period?.from,
    report.period?.to,
    report.period?.start,
    report.period?.end,
    report.sample?.seed,
    report.sample?.requests.map((r) => r.requestId).join(' '),
  ];
  const header = [
    'class',
    'request',
    'seq',
    'window',
    'path',
    'line',
    'message',
    'in_sample',
    'file',
    'package_sha256',
    'verified_at',
    'verdict',
    'keys',
    'period_from',
    'period_to',
    'seq_start',
    'seq_end',
    'sample_seed',
    'sample',
  ];
  const rows = [header.map(csvField).join(',')];
  const findings: readonly (Omit<Finding<AnyFindingClass>, 'class'> & { class: string })[] =
    report.findings.length > 0 ? report.findings : [{ class: 'none', message: 'no findings' }];
  for (const f of findings) {
    const finding = [
      f.class,
      f.request,
      f.seq,
      f.window ? `${f.window.start}-${f.window.end}` : '',
      f.path,
      f.line,
      f.message,
      f.request && sampled.has(f.request) ? 'yes' : '',
    ];
    rows.push([...finding, ...about].map(csvField).join(','));
  }
  if (report.findingsOmitted > 0)
    rows.push(
      ['omitted', '', '', '', '', '', `${report.findingsOmitted} more findings`, '', ...about]
        .map(csvField)
        .join(','),
    );
  return `${rows.join('\r\n')}\r\n`;
}

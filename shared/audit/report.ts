export const findingClasses = [
  'entry-modified',
  'entry-deleted',
  'entry-inserted',
  'reordered',
  'truncated',
  'bad-signature',
  'unknown-key',
  'wrong-origin',
  'fork',
  'time-regression',
  'malformed',
] as const;
export type FindingClass = (typeof findingClasses)[number];

/** The audit package's own checks (shared/audit/package/), beside the log's. */
export const packageFindingClasses = [
  'decision-signature-bad',
  'device-key-unknown',
  'device-key-revoked',
  'decider-not-authorized',
  'evidence-missing',
  'evidence-modified',
  'manifest-mismatch',
] as const;
export type PackageFindingClass = (typeof packageFindingClasses)[number];
export type AnyFindingClass = FindingClass | PackageFindingClass;

export interface Finding<C extends AnyFindingClass = FindingClass> {
  readonly class: C;
  readonly message: string;
  /** The entry it concerns, when one entry can be named. */
  readonly seq?: number;
  /** Otherwise the smallest run of entries [start, end) the checkpoints allow. */
  readonly window?: { readonly start: number; readonly end: number };
  /** 1-based line of the export file, for lines that are not the format. */
  readonly line?: number;
  /** Signed notes that prove the finding (both sides of a fork). */
  readonly evidence?: readonly string[];
  /** In an audit package: the approval request it concerns. */
  readonly request?: string;
  /** In an audit package: the file of the package it concerns. */
  readonly path?: string;
}

export type Verdict = 'verified' | 'tampered' | 'unverifiable';

export interface VerifiedCheckpoint {
  readonly origin: string;
  readonly size: number;
  /** Standard base64. */
  readonly root: string;
  readonly note: string;
}

export interface VerificationReport {
  readonly verdict: Verdict;
  /** False when the input is not an export at all (unreadable header); nothing else could be checked. */
  readonly usable: boolean;
  readonly cancelled: boolean;
  readonly origin: string | null;
  /** The range the header says the file holds. */
  readonly requested: { readonly start: number; readonly end: number } | null;
  /** The range a verified signed checkpoint proves, from the header's start. */
  readonly verified: { readonly start: number; readonly end: number } | null;
  readonly entriesRead: number;
  readonly checkpointsRead: number;
  readonly keysUsed: readonly string[];
  /** The newest checkpoint this file proves; a caller keeps it to check the next export or live view. */
  readonly latestVerified: VerifiedCheckpoint | null;
  readonly trusted: readonly {
    readonly size: number;
    readonly status: 'consistent' | 'fork' | 'not-covered';
  }[];
  readonly findings: readonly Finding[];
  /** Findings past the report's cap, counted but not listed. */
  readonly findingsOmitted: number;
}

/**
 * Classes that say something is missing rather than contradicted: they leave a verdict unverifiable (not
 * proven) instead of tampered. A package without a device key's registration, or without a file, proves
 * nothing about it either way.
 */
const unprovenClasses: ReadonlySet<AnyFindingClass> = new Set<AnyFindingClass>([
  'unknown-key',
  'device-key-unknown',
  'evidence-missing',
]);
const tamperClasses: ReadonlySet<AnyFindingClass> = new Set(
  [...findingClasses, ...packageFindingClasses].filter((c) => !unprovenClasses.has(c)),
);

export function verdictOf(
  findings: readonly Finding<AnyFindingClass>[],
  omitted: number,
  provenToEnd: boolean,
): Verdict {
  if (omitted > 0 || findings.some((f) => tamperClasses.has(f.class))) return 'tampered';
  return provenToEnd ? 'verified' : 'unverifiable';
}

/** Where a finding points: request and seq, file, seq, window or line, as one short text. */
export function findingPlace(f: Finding<AnyFindingClass>, dash = '..'): string {
  if (f.request !== undefined) return f.seq !== undefined ? `${f.request} seq ${f.seq}` : f.request;
  if (f.seq !== undefined) return `seq ${f.seq}`;
  if (f.window) return `seq ${f.window.start}${dash}${f.window.end - 1}`;
  if (f.path !== undefined) return f.path;
  if (f.line !== undefined) return `line ${f.line}`;
  return '';
}

/** A short human report, the CLI's default output. */
export function formatReport(report: VerificationReport, file: string): string {
  const lines: string[] = [];
  const verdict = report.verdict.toUpperCase();
  lines.push(`${verdict}: ${file}`);
  if (report.origin) lines.push(`  origin     ${report.origin}`);
  if (report.requested)
    lines.push(`  requested  entries ${report.requested.start} to ${report.requested.end}`);
  lines.push(
    `  verified   ${report.verified ? `entries ${report.verified.start} to ${report.verified.end}` : 'nothing'}`,
  );
  lines.push(`  read       ${report.entriesRead} entries, ${report.checkpointsRead} checkpoints`);
  if (report.keysUsed.length > 0) lines.push(`  keys       ${report.keysUsed.join(', ')}`);
  for (const t of report.trusted) lines.push(`  trusted    checkpoint at size ${t.size}: ${t.status}`);
  if (report.cancelled) lines.push('  cancelled before the end of the file');
  if (report.findings.length > 0) {
    lines.push('', `Findings (${report.findings.length + report.findingsOmitted}):`);
    for (const f of report.findings) {
      const where = findingPlace(f);
      lines.push(`  ${f.class.padEnd(22)} ${where.padEnd(18)} ${f.message}`);
    }
    if (report.findingsOmitted > 0) lines.push(`  … and ${report.findingsOmitted} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** The report for input that is not an export at all. */
export function unusableReport(message: string): VerificationReport {
  return {
    verdict: 'unverifiable',
    usable: false,
    cancelled: false,
    origin: null,
    requested: null,
    verified: null,
    entriesRead: 0,
    checkpointsRead: 0,
    keysUsed: [],
    latestVerified: null,
    trusted: [],
    findings: [{ class: 'malformed', line: 1, message }],
    findingsOmitted: 0,
  };
}

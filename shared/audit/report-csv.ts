import { csvField } from './package/package-report';
import type { VerificationRecord } from './report-html';

/**
 * A log export's findings as CSV (RFC 4180), like a package's (package-report.ts): one row each, every row
 * carrying the file, its SHA-256, the verdict, the keys and the range verified; a clean export gives one
 * row of class `none`.
 */
export function verificationReportCsv(record: VerificationRecord): string {
  const { report } = record;
  const about = [
    record.fileName,
    record.fileSha256,
    record.verifiedAt,
    report.verdict,
    report.keysUsed.join(' '),
    report.verified?.start,
    report.verified?.end,
  ];
  const header = [
    'class',
    'seq',
    'window',
    'line',
    'message',
    'file',
    'file_sha256',
    'verified_at',
    'verdict',
    'keys',
    'seq_start',
    'seq_end',
  ];
  const rows = [header.map(csvField).join(',')];
  const findings =
    report.findings.length > 0 ? report.findings : [{ class: 'none', message: 'no findings' } as const];
  for (const f of findings) {
    const window = 'window' in f && f.window ? `${f.window.start}-${f.window.end}` : '';
    const seq = 'seq' in f ? f.seq : undefined;
    const line = 'line' in f ? f.line : undefined;
    rows.push([f.class, seq, window, line, f.message, ...about].map(csvField).join(','));
  }
  if (report.findingsOmitted > 0)
    rows.push(
      ['omitted', '', '', '', `${report.findingsOmitted} more findings`, ...about].map(csvField).join(','),
    );
  return `${rows.join('\r\n')}\r\n`;
}
